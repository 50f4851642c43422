"""The interactive IOS CLI of a lab switch: exec modes, config mode, files, what NAPALM sends."""

from __future__ import annotations

import re

from lagprov.lab.base import CliReply
from lagprov.lab.ios import files as ios_files
from lagprov.lab.ios.config import Context
from lagprov.lab.ios.device import IosCliSwitch
from lagprov.lab.ios.parse import IosCliError, Words
from lagprov.lab.ios.showcmd import show

_EXEC = ("configure", "copy", "dir", "disable", "enable", "exit", "logout", "more", "reload",
         "show", "terminal", "verify", "write", "ping", "clear", "delete", "ssh", "setup",
         "send")
_USER_EXEC = ("enable", "exit", "logout", "show", "terminal", "ping", "ssh", "setup", "send")
_SHOW = ("archive", "etherchannel", "lacp", "interfaces", "ip", "running-config",
         "startup-config", "system", "version", "hosts", "clock", "flash:", "vlan")


class IosCli:
    """One SSH session on an :class:`~lagprov.lab.ios.switch.IosSwitch`."""

    def __init__(self, switch: IosCliSwitch, username: str) -> None:
        self.sw = switch
        self.username = username
        self.mode = "user"  # "user" | "exec" | "config"
        self.ctx = Context()
        self.pending: str | None = None  # "enable" | "reload"
        self.config_lines = 0

    def banner(self) -> str:
        return "\n"

    def prompt(self) -> str:
        if self.pending == "enable":
            return "Password: "
        if self.pending == "reload":
            return ""
        host = self.sw.running.hostname
        if self.mode == "user":
            return f"{host}>"
        if self.mode == "exec":
            return f"{host}#"
        return f"{host}({self.ctx.mode})#"

    def handle(self, line: str) -> CliReply:
        faults = self.sw.fabric.faults(self.sw.name)
        if self.pending is not None:
            return self._answer_pending(line)
        prompt_len = len(self.prompt())
        try:
            if any(bad in line for bad in faults.reject_commands):
                raise IosCliError("invalid", len(line) - len(line.lstrip()), line)
            if self.mode == "config":
                return self._config(line, faults.drop_after_config_lines)
            return CliReply(self._exec(line))
        except IosCliError as exc:
            return CliReply(exc.render(prompt_len))
        except _Close:
            return CliReply(close=True)

    def _answer_pending(self, line: str) -> CliReply:
        pending, self.pending = self.pending, None
        if pending == "enable":
            if line == ENABLE_SECRET:
                self.mode = "exec"
                return CliReply()
            return CliReply("% Access denied\n\n")
        if line.strip().lower() in ("", "y", "yes", "confirm"):
            self.sw.reload()
            return CliReply("\n", close=True)
        return CliReply()

    # ---- config mode ------------------------------------------------------------------
    def _config(self, line: str, drop_after: int | None) -> CliReply:
        words = Words(line)
        tok = words.peek()
        if tok is not None and tok.text.lower() == "do":
            return CliReply(self._exec(line[tok.column + 2:].strip()))
        with self.sw.lock:
            applied = self.sw.configurator().apply(self.ctx, line)
            self.sw.log(line)
        if applied.leave:
            self.mode = "exec"
            self.ctx = Context()
        if line.strip() and line.strip() not in ("end", "exit"):
            self.config_lines += 1
            if drop_after is not None and self.config_lines >= drop_after:
                self.sw.fabric.faults(self.sw.name).drop_after_config_lines = None  # one drop
                return CliReply(applied.output, close=True)
        return CliReply(applied.output)

    # ---- exec modes -------------------------------------------------------------------
    def _exec(self, line: str) -> str:
        command, _, pipe = line.partition(" | ")
        words = Words(command)
        if not words.more():
            return ""
        kw = words.keyword(_USER_EXEC if self.mode == "user" else _EXEC)
        handler = getattr(self, "_cmd_" + (kw or "").replace("-", "_"))
        out: str = handler(words)
        return _filter(out, pipe) if pipe else out

    def _cmd_enable(self, w: Words) -> str:
        w.done()
        if self.mode == "user":
            self.pending = "enable"
        return ""

    def _cmd_disable(self, w: Words) -> str:
        w.done()
        self.mode = "user"
        return ""

    def _cmd_exit(self, w: Words) -> str:
        w.done()
        raise _Close

    _cmd_logout = _cmd_exit

    def _cmd_terminal(self, w: Words) -> str:
        w.rest()
        return ""

    def _cmd_ssh(self, w: Words) -> str:
        raise IosCliError("incomplete", line=w.line)

    _cmd_setup = _cmd_send = _cmd_ssh

    def _cmd_ping(self, w: Words) -> str:
        w.word()
        return "Type escape sequence to abort.\n% Unrecognized host or address.\n"

    def _cmd_clear(self, w: Words) -> str:
        w.rest()
        return ""

    def _cmd_delete(self, w: Words) -> str:
        path = w.rest().split()[-1] if w.more() else ""
        name = ios_files.flash_name(path)
        if name and (self.sw.flash / name).is_file():
            (self.sw.flash / name).unlink()
            return ""
        return ios_files.error_opening(path)

    def _cmd_configure(self, w: Words) -> str:
        sub = w.keyword(("terminal", "replace", "memory"), required=False)
        if sub == "replace":
            path = w.word()
            w.rest()
            return self._replace(path)
        w.done()
        self.mode, self.ctx = "config", Context()
        return "Enter configuration commands, one per line.  End with CNTL/Z.\n"

    def _replace(self, path: str) -> str:
        text = ios_files.read_text(self.sw.flash, path)
        if text is None:
            return ios_files.error_opening(path)
        error = self.sw.replace_config(text)
        if error:
            return f"{error}\nFailed to apply command\nThe original configuration has been " \
                   "successfully restored.\n"
        return "Total number of passes: 1\nRollback Done\n\n"

    def _cmd_write(self, w: Words) -> str:
        w.keyword(("memory",), required=False)
        w.done()
        self.sw.save()
        return "Building configuration...\n[OK]\n"

    def _cmd_copy(self, w: Words) -> str:
        src, dst = _file_arg(w.word()), _file_arg(w.word())
        w.done()
        sw = self.sw
        if src == "running-config" and dst == "startup-config":
            return self._cmd_write(Words(""))
        if src in ("running-config", "startup-config") and dst.startswith("flash"):
            cfg = sw.running if src == "running-config" else sw.startup
            return ios_files.write_text(sw.flash, dst, sw.config_text(cfg))
        if src == "null:":
            return ios_files.write_text(sw.flash, dst, "")
        text = ios_files.read_text(sw.flash, src)
        if text is None:
            return ios_files.error_opening(src)
        if dst == "running-config":
            reject = sw.fabric.faults(sw.name).reject_commands
            output, error = sw.apply_lines(text.splitlines(), reject=reject)
            size = len(text.encode())
            done = f"{size} bytes copied in 0.064 secs ({size * 15} bytes/sec)\n"
            return output + (error or done)
        if dst == "startup-config":
            _, error = sw.apply_lines(text.splitlines(), cfg := sw.startup.clone())
            if not error:
                sw.startup = cfg
            return error or "[OK]\n"
        raise IosCliError("invalid", 0, w.line)

    def _cmd_dir(self, w: Words) -> str:
        arg = w.word() if w.more() else "flash:"
        w.done()
        return ios_files.dir_listing(self.sw.flash, arg)

    def _cmd_verify(self, w: Words) -> str:
        opt = w.word()
        if opt.lower() != "/md5":
            raise IosCliError("invalid", w.tokens[w.pos - 1].column, w.line)
        return ios_files.verify_md5(self.sw.flash, w.word())

    def _cmd_more(self, w: Words) -> str:
        path = w.word()
        text = ios_files.read_text(self.sw.flash, path)
        return ios_files.error_opening(path) if text is None else text

    def _cmd_reload(self, w: Words) -> str:
        w.done()
        self.pending = "reload"
        return "Proceed with reload? [confirm]"

    def _cmd_show(self, w: Words) -> str:
        return show(self.sw, w, _SHOW if self.mode == "exec" else ("version", "clock"))


ENABLE_SECRET = "lab-secret"


class _Close(Exception):
    pass


def _file_arg(text: str) -> str:
    low = text.lower()
    for full in ("running-config", "startup-config"):
        if full.startswith(low) and len(low) >= 3:
            return full
    if low in ("system:running-config", "system:/running-config"):
        return "running-config"
    if low in ("nvram:startup-config", "nvram:/startup-config"):
        return "startup-config"
    return text


def _filter(out: str, pipe: str) -> str:
    """``| include|exclude|begin|section REGEX`` as IOS applies them."""
    words = Words(pipe)
    kw = words.keyword(("include", "exclude", "begin", "section", "count"))
    pattern = re.compile(words.rest())
    lines = out.splitlines()
    if kw == "include":
        lines = [x for x in lines if pattern.search(x)]
    elif kw == "exclude":
        lines = [x for x in lines if not pattern.search(x)]
    elif kw == "begin":
        idx = next((i for i, x in enumerate(lines) if pattern.search(x)), len(lines))
        lines = lines[idx:]
    elif kw == "count":
        count = sum(1 for x in lines if pattern.search(x))
        return f"Number of lines which match regexp = {count}\n"
    else:
        keep: list[str] = []
        inside = False
        for x in lines:
            if not x.startswith(" "):
                inside = bool(pattern.search(x))
            if inside:
                keep.append(x)
        lines = keep
    return "".join(x + "\n" for x in lines)

