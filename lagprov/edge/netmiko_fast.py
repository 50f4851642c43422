"""Netmiko connection classes for read-only sessions that wait for the prompt, never probe.

Stock Netmiko finds the prompt by sending a blank line and sleeping (``find_prompt``,
``clear_buffer``, ``check_enable_mode``, ``check_config_mode``: issue 15 counted 11 blank lines
of 22 per IOS read), and polls the channel with fixed sleeps between reads.  The classes here
send exactly the stock lines minus those blank probes:

* the prompt is the last line the device printed once all of its output has been read (the
  device is idle at it); only when none has been seen is the stock probe sent;
* every read waits on the channel (``select``) until data or the timeout comes, with no fixed
  sleep; the login is read as it comes (no RETURN forced before the session preparation);
* the TCP socket is opened with ``TCP_NODELAY`` before the SSH handshake (Paramiko's small
  writes no longer wait for delayed ACKs).

They are registered under their own device types (:func:`read_device_type`) and used for
reads (verify, audit) only: a push keeps the stock classes and sends what it always sent.
"""

from __future__ import annotations

import importlib
import re
import select
import socket
import time
from typing import Any

from netmiko.arista.arista import AristaSSH
from netmiko.base_connection import BaseConnection
from netmiko.cisco.cisco_ios import CiscoIosSSH
from netmiko.exceptions import NetmikoTimeoutException, ReadException, ReadTimeout
from netmiko.juniper.juniper import JuniperSSH
from netmiko.linux.linux_ssh import LinuxSSH
from netmiko.supermicro.smci_smis import SmciSwitchSmisSSH
from netmiko.utilities import structured_data_converter

from lagprov.edge.sessions import tcp_no_delay

_PROMPT_END = re.compile(r"[>#$%]\s*$")  # a line a CLI prompt could end
_WAIT_LOGIN_S = 5.0  # the first prompt waited for before the stock probe is sent


class PromptReads(BaseConnection):
    """The I/O of every read class: prompt-driven, blank-probe free, ``TCP_NODELAY``."""

    _seen: str = ""  # the tail of what the device printed since the last write
    _echo: str = ""  # the last line written, which the device echoes before answering it
    _echoed: bool = True  # that echo has come (``_seen`` then holds what followed it)

    # --- connection -----------------------------------------------------------------------

    def _connect_params_dict(self) -> dict[str, Any]:
        params: dict[str, Any] = super()._connect_params_dict()
        if params.get("sock") is None and self.protocol == "ssh":
            try:
                sock = socket.create_connection((self.host, self.port), timeout=self.conn_timeout)
            except OSError as exc:  # what Netmiko says for a refused / unroutable connect
                raise NetmikoTimeoutException(
                    f"TCP connection to device failed: {self.device_type} "
                    f"{self.host}:{self.port}: {exc}") from exc
            tcp_no_delay(sock)
            params["sock"] = sock
        return params

    def _try_session_preparation(self, force_data: bool = True) -> None:  # noqa: ARG002
        super()._try_session_preparation(force_data=False)  # the login prompt comes unasked

    # --- channel --------------------------------------------------------------------------

    def write_channel(self, out_data: str) -> None:
        line = out_data.strip().rpartition("\n")[2]
        # a secret is not echoed; a NUL (keepalive) or a blank line leaves nothing to wait for
        self._echo = "" if not line or line == self.secret else line
        self._echoed, self._seen = not self._echo, ""
        super().write_channel(out_data)

    def read_channel(self) -> str:
        buffered = self._read_buffer  # read before (and seen then): Netmiko hands it back
        data: str = super().read_channel()
        new = data[len(buffered):] if buffered and data.startswith(buffered) else data
        if new:
            seen = self._seen + new
            if not self._echoed:
                at = seen.rfind(self._echo)
                self._echoed = at >= 0
                seen = seen[at + len(self._echo):] if at >= 0 else seen
            self._seen = seen[-4096:]
        return data

    def _wait_data(self, seconds: float) -> None:
        """Until the channel has data (or is closed), at most ``seconds``; no fixed sleep."""
        chan: Any = self.remote_conn  # a paramiko Channel over SSH
        if self._read_buffer or chan is None or not hasattr(chan, "recv_ready"):
            return
        if chan.closed or chan.eof_received:
            time.sleep(min(seconds, 0.01))  # nothing will come: the caller's timeout ends it
        elif not chan.recv_ready():
            select.select([chan], [], [], max(0.0, seconds))

    def _idle_prompt(self) -> str | None:
        """The prompt the device waits at: what it printed since the echo of the last line
        written ends with a prompt (holding the base prompt, once known).  None when that is
        not known (nothing echoed yet, output still coming)."""
        self.read_channel()  # what has already arrived (what the stock probes discard too)
        if not self._echoed:
            return None
        last = self._seen.rstrip().rpartition("\n")[2].strip()
        if not last or not _PROMPT_END.search(last):
            return None
        if self.base_prompt and self.base_prompt not in last:
            return None
        return last

    def _await_prompt(self, pattern: str | None, seconds: float) -> str | None:
        """The prompt, waiting up to ``seconds`` for it to be printed (nothing sent)."""
        deadline = time.monotonic() + seconds
        while True:
            prompt = self._idle_prompt()
            if prompt is not None and (not pattern or re.search(pattern, prompt)):
                return prompt
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._wait_data(left)

    # --- what the stock class probed for --------------------------------------------------

    def find_prompt(self, delay_factor: float = 1.0, pattern: str | None = None) -> str:
        wait = _WAIT_LOGIN_S if not self.base_prompt else 1.0
        prompt = self._await_prompt(pattern, wait)
        if prompt is not None:
            return prompt
        found: str = super().find_prompt(delay_factor=delay_factor, pattern=pattern)
        return found

    def clear_buffer(self, backoff: bool = True, backoff_max: float = 3.0,
                     delay_factor: float | None = None) -> str:
        if self._idle_prompt() is not None:
            return ""  # idle at its prompt: nothing more will come
        cleared: str = super().clear_buffer(backoff=backoff, backoff_max=backoff_max,
                                            delay_factor=delay_factor)
        return cleared

    def _mode_prompt(self) -> str | None:
        """The prompt, when the device is idle at it (for the mode checks)."""
        return self._await_prompt(None, 1.0)

    # --- reads without fixed sleeps -------------------------------------------------------

    def read_until_pattern(self, pattern: str = "", read_timeout: float = 10.0,
                           re_flags: int = 0, max_loops: int | None = None) -> str:
        if max_loops is not None:
            found: str = super().read_until_pattern(pattern=pattern, read_timeout=read_timeout,
                                                    re_flags=re_flags, max_loops=max_loops)
            return found
        if self.read_timeout_override:
            read_timeout = self.read_timeout_override
        output = ""
        start = time.monotonic()
        while not read_timeout or time.monotonic() - start < read_timeout:
            output += self.read_channel()
            if re.search(pattern, output, flags=re_flags):
                return self._split_at(pattern, output, re_flags)
            left = read_timeout - (time.monotonic() - start) if read_timeout else 1.0
            self._wait_data(left)
        raise ReadTimeout(f"Pattern not detected: {pattern!r} in output.")

    def _split_at(self, pattern: str, output: str, re_flags: int) -> str:
        """Up to and including the match; the rest kept for the next read (as Netmiko)."""
        results = re.split(pattern, output, maxsplit=1, flags=re_flags)
        if len(results) == 2:
            results = re.split(f"({pattern})", output, maxsplit=1, flags=re_flags)
        if len(results) != 3 or results[1] is None:
            raise ReadException(f"Unable to split output on pattern {pattern!r}")
        before, match, rest = results
        if rest:
            self._read_buffer += rest
        return str(before) + str(match)

    def send_command(  # the stock signature: a read uses the first three only
        self,
        command_string: str,
        expect_string: str | None = None,
        read_timeout: float = 10.0,
        delay_factor: float | None = None,
        max_loops: int | None = None,
        auto_find_prompt: bool = True,
        strip_prompt: bool = True,
        strip_command: bool = True,
        normalize: bool = True,
        use_textfsm: bool = False,
        textfsm_template: str | None = None,
        use_ttp: bool = False,
        ttp_template: str | None = None,
        use_genie: bool = False,
        cmd_verify: bool = True,
        raise_parsing_error: bool = False,
    ) -> str | list[Any] | dict[str, Any]:
        """Netmiko's ``send_command``, waiting on the channel instead of sleeping 25 ms
        between reads (the timing-compatibility mode goes to the stock one)."""
        if self.delay_factor_compat or delay_factor is not None or max_loops is not None:
            stock: str | list[Any] | dict[str, Any] = super().send_command(
                command_string, expect_string, read_timeout, delay_factor, max_loops,
                auto_find_prompt, strip_prompt, strip_command, normalize, use_textfsm,
                textfsm_template, use_ttp, ttp_template, use_genie, cmd_verify,
                raise_parsing_error)
            return stock
        if self.global_cmd_verify is not None:
            cmd_verify = self.global_cmd_verify
        if self.read_timeout_override:
            read_timeout = self.read_timeout_override
        search = expect_string if expect_string is not None else \
            self._prompt_handler(auto_find_prompt)
        if normalize:
            command_string = self.normalize_cmd(command_string)
        start = time.monotonic()
        self.write_channel(command_string)
        cmd = command_string.strip()
        new = self.command_echo_read(cmd=cmd, read_timeout=10) if cmd and cmd_verify else ""
        output, first_done = "", False
        while time.monotonic() - start < read_timeout:
            if new:
                output += new
                if not first_done:
                    output, first_done = self._first_line_handler(output, search)
                if re.search(search, output):
                    break
            self._wait_data(read_timeout - (time.monotonic() - start))
            new = self.read_channel()
        else:
            raise ReadTimeout(f"Pattern not detected: {search!r} in output.")
        output = self._sanitize_output(output, strip_command=strip_command,
                                       command_string=command_string,
                                       strip_prompt=strip_prompt)
        converted: str | list[Any] | dict[str, Any] = structured_data_converter(
            command=command_string, raw_data=output, platform=self.device_type,
            use_textfsm=use_textfsm, use_ttp=use_ttp, use_genie=use_genie,
            textfsm_template=textfsm_template, ttp_template=ttp_template,
            raise_parsing_error=raise_parsing_error)
        return converted


class EnableByPrompt(PromptReads):
    """Privileged mode told from the prompt last seen (``#``), not by a probe; the stock check
    when no prompt was seen yet.  Junos has no enable mode and does not take it."""

    def check_enable_mode(self, check_string: str = "#") -> bool:
        prompt = self._mode_prompt()
        if prompt is None:
            return bool(super().check_enable_mode(check_string=check_string))
        return check_string in prompt


class IosReads(EnableByPrompt, CiscoIosSSH):
    """``cisco_ios`` for reads."""

    def check_config_mode(self, check_string: str = ")#", pattern: str = r"[>#]",
                          force_regex: bool = False) -> bool:
        prompt = self._mode_prompt()
        if prompt is None:
            return bool(super().check_config_mode(check_string=check_string, pattern=pattern,
                                                  force_regex=force_regex))
        return bool(re.search(check_string, prompt)) if force_regex else check_string in prompt


class EosReads(EnableByPrompt, AristaSSH):
    """``arista_eos`` for reads (the ``(s1)``/``(s2)`` of an EOS prompt ignored, as stock)."""

    def check_config_mode(self, check_string: str = ")#", pattern: str = r"[>\#]",
                          force_regex: bool = False) -> bool:
        prompt = self._mode_prompt()
        if prompt is None:
            return bool(super().check_config_mode(check_string=check_string, pattern=pattern,
                                                  force_regex=force_regex))
        return check_string in prompt.replace("(s1)", "").replace("(s2)", "")


class JunosReads(PromptReads, JuniperSSH):
    """``juniper_junos`` for reads: configuration mode is the ``[edit]`` line above a ``#``
    prompt (what the stock check reads after its blank line)."""

    def enter_cli_mode(self) -> None:
        prompt = self._await_prompt(r"[%>$#]", _WAIT_LOGIN_S)
        if prompt is None or self._determine_mode(data=prompt) == "shell":
            super().enter_cli_mode()  # a shell (root@, %): the stock way into the CLI

    def check_config_mode(self, check_string: str = "]", pattern: str = r"(?m:[>#] $)",
                          force_regex: bool = False) -> bool:
        prompt = self._mode_prompt()
        if prompt is None:
            return bool(super().check_config_mode(check_string=check_string, pattern=pattern,
                                                  force_regex=force_regex))
        above = self._seen.rstrip().rpartition("\n")[0].rpartition("\n")[2].strip()
        return prompt.endswith("#") and above.startswith("[edit")


class SmisReads(EnableByPrompt, SmciSwitchSmisSSH):
    """``supermicro_smis`` for reads: paging off once, in configuration mode, as stock, without
    its blank probes and its 0.3 s sleep."""

    def session_preparation(self) -> None:
        self._test_channel_read(pattern=r"[>#]")
        self.set_base_prompt()
        self.config_mode()
        self.disable_paging(command="set cli pagination off")
        self.set_terminal_width(command="terminal width 511")
        self.exit_config_mode()
        self.clear_buffer()

    def check_config_mode(self, check_string: str = ")#", pattern: str = r"[>#]",
                          force_regex: bool = False) -> bool:
        prompt = self._mode_prompt()
        if prompt is None:
            return bool(super().check_config_mode(check_string=check_string, pattern=pattern,
                                                  force_regex=force_regex))
        return check_string in prompt


class LinuxReads(EnableByPrompt, LinuxSSH):
    """``linux`` for reads (a host's shell: root is the ``#`` prompt, as stock)."""


READ_CLASSES: dict[str, type[PromptReads]] = {
    "cisco_ios": IosReads, "arista_eos": EosReads, "juniper_junos": JunosReads,
    "supermicro_smis": SmisReads, "linux": LinuxReads,
}


def read_device_type(device_type: str) -> str:
    """The read-only device type for ``device_type`` (registered with Netmiko on first use),
    or ``device_type`` itself where there is none."""
    cls = READ_CLASSES.get(device_type)
    if cls is None:
        return device_type
    name = f"{device_type}_lagprov_reads"
    dispatcher = importlib.import_module("netmiko.ssh_dispatcher")  # the module, not the fn
    dispatcher.CLASS_MAPPER.setdefault(name, cls)
    if name not in dispatcher.platforms:
        dispatcher.platforms.append(name)
    return name
