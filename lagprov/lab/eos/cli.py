"""The EOS command interpreter: one per SSH CLI session and one per eAPI request.

Modes and prompts as EOS prints them (``eos7120-1>``, ``#``, ``(config)#``,
``(config-if-Et1)#``, ``(config-if-Po10)#``, sessions ``(config-s-napalm)#`` and
``(config-s-napalm-if-Et1)#``; session names are cut to 6 characters in the prompt [K]).
What Netmiko ``arista_eos`` needs: ``terminal width`` answers ``Width set to N columns.``,
``terminal length 0`` answers ``Pagination disabled.``, ``enable`` asks ``Password:``.
"""

from __future__ import annotations

import json
import re

from lagprov.lab.base import CliReply
from lagprov.lab.eos.apply import GLOBAL, INCOMPLETE, INVALID, Ctx, EosInputError, apply_line, kw
from lagprov.lab.eos.config import EosConfig, default_config
from lagprov.lab.eos.device import EosCliSwitch
from lagprov.lab.eos.showcmd import PRIVILEGED, Result, run_show

_NAVIGATION = ("exit", "end")


def _timer_seconds(text: str) -> float | None:
    m = re.fullmatch(r"(\d{1,2}):(\d{2}):(\d{2})", text)
    if m is None:
        return None
    h, mi, s = (int(g) for g in m.groups())
    return float(h * 3600 + mi * 60 + s)


def apply_pipe(text: str, pipe: str) -> str | None:
    """Output filters ``include``/``exclude``/``begin``/``no-more``; None if unknown."""
    words = pipe.split(None, 1)
    if not words:
        return None
    what, arg = words[0].lower(), (words[1] if len(words) > 1 else "")
    lines = text.splitlines()
    if kw(what, "no-more"):
        return text
    if kw(what, "include") and arg:
        lines = [line for line in lines if re.search(arg, line)]
    elif kw(what, "exclude") and arg:
        lines = [line for line in lines if not re.search(arg, line)]
    elif kw(what, "begin") and arg:
        start = next((i for i, line in enumerate(lines) if re.search(arg, line)), len(lines))
        lines = lines[start:]
    else:
        return None
    return "".join(f"{line}\n" for line in lines)


class EosCli:
    """One EOS CLI context (a :class:`~lagprov.lab.base.CliSession`)."""

    def __init__(self, switch: EosCliSwitch, username: str, *, interactive: bool = True) -> None:
        self.switch = switch
        self.username = username
        self.interactive = interactive
        self.privileged = False
        self.ctx: Ctx | None = None
        self.session: str | None = None
        self.awaiting_secret = False
        self.config_lines = 0

    # ------------------------------------------------------------ CliSession
    def banner(self) -> str:
        """EOS prints no banner by default."""
        return ""

    def prompt(self) -> str:
        """The prompt for the current mode."""
        if self.awaiting_secret:
            return "Password: "
        host = self.switch.running.hostname
        if self.ctx is None:
            return f"{host}{'#' if self.privileged else '>'}"
        mode = "config" if self.session is None else f"config-s-{self.session[:6]}"
        suffix = "" if self.ctx.kind == "config" else f"-{self.ctx.tag}"
        return f"{host}({mode}{suffix})#"

    def handle(self, line: str) -> CliReply:
        """Run one line typed at the prompt."""
        if self.awaiting_secret:
            self.awaiting_secret = False
            if line == self.switch.enable_secret:
                self.privileged = True
                return CliReply()
            return CliReply("% Access denied\n")
        text = line.strip()
        faults = self.switch.faults()
        if any(bad and bad in text for bad in faults.reject_commands):
            return CliReply(f"{INVALID}\n")
        command, _, pipe = text.partition(" | ")
        json_mode = pipe.strip().lower() == "json"
        result = self.execute(command.strip(), json_mode=json_mode)
        limit = faults.drop_after_config_lines
        dropped = limit is not None and self.config_lines >= limit
        if dropped:
            faults.drop_after_config_lines = None  # one drop: the next session works
        close = result.close or dropped
        return CliReply(self._format(result, pipe.strip(), json_mode), close=close)

    def _format(self, result: Result, pipe: str, json_mode: bool) -> str:
        if result.error is not None:
            return f"{result.error}\n"
        if json_mode:
            return json.dumps(result.data if result.data is not None else {}, indent=2) + "\n"
        if pipe:
            filtered = apply_pipe(result.output, pipe)
            return f"{INVALID}\n" if filtered is None else filtered
        return result.output

    # ------------------------------------------------------------ commands
    def execute(self, command: str, *, json_mode: bool = False,
                secret: str | None = None) -> Result:
        """Run one command in the current mode (used by the CLI and by eAPI)."""
        words = command.split()
        if not words:
            return Result()
        if self.ctx is not None:
            return self._config(command, words, json_mode)
        return self._exec(words, json_mode, secret)

    def _show(self, words: list[str], json_mode: bool) -> Result:
        return run_show(self.switch, words[1:], json_mode=json_mode,
                        privileged=self.privileged, session=self.session)

    def _leave_config(self) -> Result:
        self.ctx, self.session = None, None
        return Result()

    def _config(self, command: str, words: list[str], json_mode: bool) -> Result:
        head = words[0].lower()
        assert self.ctx is not None
        if head == "end" or (head == "exit" and self.ctx.kind == "config"):
            return self._leave_config()
        if kw(head, "show") and len(head) >= 2:
            return self._show(words, json_mode)
        if head == "do" and len(words) > 1:
            return self._exec(words[1:], json_mode, None)
        if self.session is not None:
            handled = self._session_command(words)
            if handled is not None:
                return handled
        if head not in _NAVIGATION:
            self.switch.log(command)
            self.config_lines += 1
        with self.switch.lock:
            target = self._target()
            try:
                self.ctx = apply_line(target, self.ctx, command)
            except EosInputError as err:
                return Result(error=str(err))
        return Result()

    def _target(self) -> EosConfig:
        if self.session is None:
            self.switch.expire_timers()
            return self.switch.running
        return self.switch.sessions[self.session].config

    def _session_command(self, words: list[str]) -> Result | None:
        name = self.session
        assert name is not None
        head = words[0].lower()
        if head == "abort" and len(words) == 1:
            self.switch.abort_session(name)
            return self._leave_config()
        if head == "commit":
            timer: float | None = None
            if len(words) == 3 and kw(words[1], "timer"):
                timer = _timer_seconds(words[2])
                if timer is None:
                    return Result(error=INVALID)
            elif len(words) != 1:
                return Result(error=INVALID)
            return self._commit(name, timer, leave=True)
        if head == "rollback" and len(words) == 2 and kw(words[1], "clean-config"):
            self.switch.log("rollback clean-config")
            with self.switch.lock:
                fresh = default_config("localhost", self.switch.ports,
                                       lacp_rate_keyword=self.switch.running.lacp_rate_keyword)
                self.switch.sessions[name].config = fresh
            self.ctx = GLOBAL
            return Result()
        return None

    def _commit(self, name: str, timer: float | None, *, leave: bool) -> Result:
        try:
            self.switch.commit_session(name, timer)
        except KeyError:
            return Result(error=f"% Session {name} does not exist")
        except ValueError as err:
            return Result(error=str(err))
        return self._leave_config() if leave else Result()

    def _exec(self, words: list[str], json_mode: bool, secret: str | None) -> Result:
        head, rest = words[0].lower(), words[1:]
        if kw(head, "show") and len(head) >= 2:
            return self._show(words, json_mode)
        if head in ("exit", "quit", "logout"):
            return Result(close=True)
        if kw(head, "enable") and len(head) >= 2 and not rest:
            return self._enable(secret)
        if head == "disable":
            self.privileged = False
            return Result()
        if kw(head, "terminal") and len(head) >= 3:
            return self._terminal(rest)
        if not self.privileged:
            return Result(error=PRIVILEGED if self._is_privileged(head) else INVALID)
        if kw(head, "configure") and len(head) >= 4:
            return self._configure(rest)
        if kw(head, "write") and (not rest or (len(rest) == 1 and kw(rest[0], "memory"))):
            return Result(output=self.switch.write_memory())
        if kw(head, "copy") and len(rest) == 2:
            try:
                return Result(output=self.switch.copy(rest[0], rest[1]))
            except KeyError:
                return Result(error="% Error copying (No such file or directory)")
        return Result(error=INVALID)

    @staticmethod
    def _is_privileged(head: str) -> bool:
        return any(kw(head, w) for w in ("configure", "write", "copy")) and len(head) >= 2

    def _enable(self, secret: str | None) -> Result:
        if self.privileged:
            return Result()
        if not self.interactive:
            # eAPI: the HTTP user is already authenticated (privilege 15); a given secret
            # must still be right.
            if secret is not None and secret != self.switch.enable_secret:
                return Result(error="% Access denied")
            self.privileged = True
            return Result()
        self.awaiting_secret = True
        return Result()

    @staticmethod
    def _terminal(rest: list[str]) -> Result:
        if len(rest) != 2 or not rest[1].isdigit():
            return Result(error=INCOMPLETE if len(rest) < 2 else INVALID)
        value = int(rest[1])
        if kw(rest[0], "width"):
            return Result(output=f"Width set to {value} columns.\n")
        if kw(rest[0], "length"):
            text = "Pagination disabled." if value == 0 else f"Pagination set to {value} lines."
            return Result(output=f"{text}\n")
        return Result(error=INVALID)

    def _configure(self, rest: list[str]) -> Result:
        if not rest or (len(rest) == 1 and kw(rest[0], "terminal")):
            self.ctx = GLOBAL
            return Result()
        if kw(rest[0], "session") and len(rest) >= 2:
            return self._configure_session(rest[1], rest[2:])
        if kw(rest[0], "replace") and len(rest) in (2, 3):
            try:
                self.switch.configure_replace(rest[1])
            except KeyError:
                return Result(error=f"% Error: could not read {rest[1]}")
            return Result()
        return Result(error=INCOMPLETE if len(rest) == 1 else INVALID)

    def _configure_session(self, name: str, action: list[str]) -> Result:
        if not action:
            try:
                self.switch.open_session(name)
            except ValueError as err:
                return Result(error=str(err))
            self.ctx, self.session = GLOBAL, name
            return Result()
        if len(action) == 1 and kw(action[0], "abort"):
            try:
                self.switch.abort_session(name)
            except KeyError:
                return Result(error=f"% Session {name} does not exist")
            return Result()
        if kw(action[0], "commit"):
            timer: float | None = None
            if len(action) == 3 and kw(action[1], "timer"):
                timer = _timer_seconds(action[2])
            if (len(action) != 1 and timer is None) or len(action) == 2:
                return Result(error=INVALID)
            return self._commit(name, timer, leave=False)
        return Result(error=INVALID)

