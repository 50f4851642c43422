"""The Junos CLI of the lab switch: operational and configuration mode, as Netmiko
``juniper_junos`` drives it (prompts with trailing space, ``[edit]`` line, exact markers)."""

from __future__ import annotations

import json
import re

from lagprov.lab.base import CliReply
from lagprov.lab.junos.device import JunosCliSwitch
from lagprov.lab.junos.schema import JunosSyntaxError, Kind, Token, parse_statement, tokenize
from lagprov.lab.junos.show import lacp_json, show_lacp_interfaces
from lagprov.lab.junos.show_if import interfaces_json, show_interfaces_extensive
from lagprov.lab.junos.tree import Config, diff

CONFIG_VERBS = ("set", "delete", "rollback", "edit")
_EXIT_QUESTION = "Exit with uncommitted changes? [yes,no] (yes) "


def caret(column: int, message: str) -> str:
    """Junos' error: a caret under the offending column (prompt included), then the message."""
    return " " * column + "^\n" + message + "\n"


def apply_pipes(text: str, pipes: list[str]) -> str:
    """`| match`, `| except`, `| count`, `| no-more` on a text output."""
    for pipe in pipes:
        verb, _, arg = pipe.partition(" ")
        arg = arg.strip().strip('"')
        lines = text.splitlines()
        if verb == "match":
            text = "".join(ln + "\n" for ln in lines if re.search(arg, ln))
        elif verb == "except":
            text = "".join(ln + "\n" for ln in lines if not re.search(arg, ln))
        elif verb == "count":
            text = f"Count: {len(lines)} lines\n"
    return text


class JunosCli:
    """One CLI session (implements ``CliSession``)."""

    def __init__(self, switch: JunosCliSwitch, username: str, owner: str) -> None:
        self.switch = switch
        self.user = username
        self.owner = owner
        self.config_mode = False
        self.exclusive = False
        self.edit: list[str] = []
        self.asking_exit = False
        self.config_lines = 0

    # -- CliSession ------------------------------------------------------------------------
    def banner(self) -> str:
        return f"--- JUNOS {self.switch.db.revisions[-1].config.value('version')} built " \
               "2023-01-01 00:00:00 UTC\n"

    def _host_prompt(self, mark: str) -> str:
        return f"{self.user}@{self.switch.hostname}{mark} "

    def prompt(self) -> str:
        if self.asking_exit:
            return _EXIT_QUESTION
        if not self.config_mode:
            return self._host_prompt(">")
        pending = self.switch.db.pending_minutes
        note = (f"# commit confirmed will be rolled back in {pending} minutes\n"
                if pending is not None else "")
        level = "[edit" + "".join(" " + k for k in self.edit) + "]"
        return f"\n{note}{level}\n{self._host_prompt('#')}"

    def handle(self, line: str) -> CliReply:
        with self.switch.lock:
            faults = self.switch.faults()
            stripped = line.strip()
            for bad in faults.reject_commands:
                if bad and bad in stripped:
                    return CliReply(caret(len(self.prompt().split("\n")[-1]), "syntax error."))
            if self.asking_exit:
                return CliReply(self._answer_exit(stripped))
            if not self.config_mode:
                return CliReply(self._operational(stripped))
            output = self._configuration(stripped)
            if stripped.split(" ")[0] in ("set", "delete"):
                self.config_lines += 1
                limit = faults.drop_after_config_lines
                if limit is not None and self.config_lines >= limit:
                    faults.drop_after_config_lines = None  # one drop: the next session works
                    return CliReply(output, close=True)
            return CliReply(output)

    # -- operational mode ----------------------------------------------------------------------
    def _operational(self, line: str) -> str:
        words = line.split()
        if not words:
            return ""
        if words[:2] == ["set", "cli"] and len(words) >= 4:
            return self._set_cli(words[2], words[3])
        if words[0] == "configure":
            return self._enter_config(words[1:])
        if words[0] == "show":
            return self.show(line)
        if words[0] in ("exit", "quit"):
            return ""
        return caret(len(self._host_prompt(">")), "unknown command.")

    def _set_cli(self, what: str, value: str) -> str:
        if what == "screen-width":
            return f"Screen width set to {value}\n"
        if what == "screen-length":
            return f"Screen length set to {value}\n"
        if what == "complete-on-space":
            return "Disabling complete-on-space\n" if value == "off" else \
                "Enabling complete-on-space\n"
        return caret(len(self._host_prompt(">")) + len("set cli "), "syntax error.")

    def _enter_config(self, args: list[str]) -> str:
        db = self.switch.db
        exclusive = args[:1] == ["exclusive"]
        error = db.acquire(self.owner, self.user) if exclusive else db.lock_error(self.owner)
        if error is not None:
            return f"error: {error}\n"
        self.config_mode, self.exclusive, self.edit = True, exclusive, []
        out = "warning: uncommitted changes will be discarded on exit\n" if exclusive else ""
        out += "Entering configuration mode\n"
        if db.changed():
            out += "The configuration has been changed but not committed\n"
        return out

    def show(self, line: str) -> str:
        """An operational `show` command with its pipes."""
        head, *pipes = [p.strip() for p in line.split("|")]
        words = head.split()[1:]
        display = next((p.split()[1] for p in pipes if p.startswith("display ")
                        and len(p.split()) > 1), "")
        rest = [p for p in pipes if not p.startswith(("display", "no-more"))]
        if words[:1] == ["configuration"]:
            text = self._show_config(self.switch.db.committed, words[1:], display)
        elif words[:2] == ["lacp", "interfaces"]:
            text = self._show_lacp(words[2:], display == "json")
        elif words[:1] == ["interfaces"] and len(words) >= 2:
            text = self._show_interface(words[1], display == "json")
        elif words[:1] == ["version"]:
            sw = self.switch
            text = (f"fpc0:\n{'-' * 76}\nHostname: {sw.hostname}\nModel: "
                    f"{sw.hardware.name.lower()}\nJunos: "
                    f"{sw.db.committed.value('version')}\n")
        else:
            return caret(len(self._host_prompt(">")) + len("show "), "syntax error.")
        return apply_pipes(text, rest)

    def _show_config(self, config: Config, path: list[str], display: str) -> str:
        if path:
            try:
                stmt = parse_statement(self.switch.schema, tokenize(" ".join(path)),
                                       need_value=False)
            except JunosSyntaxError as exc:
                return caret(len(self._host_prompt(">")) + 19 + exc.column, exc.message)
            keys = stmt.keys
        else:
            keys = ()
        if display == "set":
            prefix = "set " + " ".join(keys)
            return "".join(ln + "\n" for ln in config.display_set() if ln.startswith(prefix))
        tree = config.tree()
        for key in keys:
            tree = tree.children.get(key) or type(tree)()
        return "".join(ln + "\n" for ln in tree.render())

    def _show_lacp(self, args: list[str], as_json: bool) -> str:
        sw = self.switch
        aes = sw.aes()
        wanted = [a for a in args if a != "extensive"]
        chosen = {n: v for n, v in aes.items() if (not wanted or n in wanted)
                  and v.mode.value != "on"}
        tables = {n: sw.ae_state(v).members for n, v in chosen.items()}
        if as_json:
            return json.dumps(lacp_json(tables), indent=4) + "\n"
        return show_lacp_interfaces(tables, extensive="extensive" in args)

    def _show_interface(self, name: str, as_json: bool) -> str:
        ae = self.switch.aes().get(name)
        if ae is None:
            return f"error: device {name} not found\n"
        state = self.switch.ae_state(ae)
        if as_json:
            return json.dumps(interfaces_json(state), indent=4) + "\n"
        return show_interfaces_extensive(state)

    # -- configuration mode --------------------------------------------------------------------
    def _answer_exit(self, answer: str) -> str:
        self.asking_exit = False
        if answer in ("", "yes", "y"):
            return self._leave_config()
        return ""

    def _leave_config(self) -> str:
        if self.exclusive:
            self.switch.db.release(self.owner, discard=True)
        self.config_mode, self.exclusive, self.edit = False, False, []
        return "Exiting configuration mode\n"

    def _exit_config(self) -> str:
        if self.switch.db.changed():
            self.asking_exit = True
            return "The configuration has been changed but not committed\n"
        return self._leave_config()

    def _configuration(self, line: str) -> str:
        words = line.split()
        if not words:
            return ""
        verb = words[0]
        if verb in CONFIG_VERBS:
            with self.switch.lock:
                self.switch.command_log.append(line)
        if verb in ("set", "delete"):
            return self._set_or_delete(line, verb)
        if verb == "commit":
            return self._commit([t.text for t in tokenize(line)[1:]])
        if verb == "rollback":
            number = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
            error = self.switch.db.load_rollback(number)
            return f"{error}\n" if error else "load complete\n"
        if verb == "show":
            return self._config_show(line)
        if verb == "run":
            return self._operational(line[3:].strip())
        if verb == "edit":
            return self._edit(line)
        if verb in ("top", "up") or (verb == "exit" and words[1:] != ["configuration-mode"]
                                     and self.edit):
            self.edit = [] if verb == "top" else self.edit[:-1]
            return ""
        if verb in ("exit", "quit"):
            return self._exit_config()
        return caret(len(self._host_prompt("#")), "syntax error.")

    def _tokens(self, line: str) -> list[Token]:
        tokens = tokenize(line)[1:]
        offset = len(self._host_prompt("#"))
        base = [Token(k, -1) for k in " ".join(self.edit).split()] if self.edit else []
        return base + [Token(t.text, t.column + offset) for t in tokens]

    def _set_or_delete(self, line: str, verb: str) -> str:
        try:
            tokens = self._tokens(line)
            stmt = parse_statement(self.switch.schema, tokens, need_value=verb == "set",
                                   base=len(self._host_prompt("#")) + len(verb) + 1)
        except JunosSyntaxError as exc:
            column = exc.column if exc.column >= 0 else len(self._host_prompt("#"))
            if exc.message.startswith("Value "):
                return caret(column, exc.message)
            return caret(column, exc.message if exc.message != "syntax error." else
                         "syntax error.")
        if verb == "set":
            self.switch.db.candidate.set(stmt)
            return ""
        if not self.switch.db.candidate.delete(stmt):
            return "warning: statement not found\n"
        return ""

    def _edit(self, line: str) -> str:
        try:
            stmt = parse_statement(self.switch.schema, self._tokens(line),
                                   need_value=False)
        except JunosSyntaxError as exc:
            return caret(max(exc.column, 0), exc.message)
        if stmt.kind is not Kind.CONTAINER:
            return caret(len(self._host_prompt("#")) + 5, "syntax error.")
        self.edit = list(stmt.keys)
        return ""

    def _config_show(self, line: str) -> str:
        head, *pipes = [p.strip() for p in line.split("|")]
        db = self.switch.db
        if pipes and pipes[0].startswith("compare"):
            parts = pipes[0].split()
            number = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
            if number >= len(db.revisions):
                return f"error: rollback {number}: no such rollback file\n"
            return diff(db.revisions[number].config, db.candidate)
        display = "set" if "display set" in pipes else ""
        return self._show_config(db.candidate, [*self.edit, *head.split()[1:]], display)

    def _commit(self, args: list[str]) -> str:
        db = self.switch.db
        and_quit = "and-quit" in args
        if "comment" in args:
            idx = args.index("comment")
            del args[idx: idx + 2]
        check = args[:1] == ["check"]
        minutes: int | None = None
        if args[:1] == ["confirmed"]:
            minutes = int(args[1]) if len(args) > 1 and args[1].isdigit() else 10
        ok, text = db.commit(self.owner, self.user, check_only=check, confirmed_minutes=minutes)
        if ok and and_quit and not check:
            text += self._leave_config()
        return text
