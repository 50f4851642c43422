"""The simulated Linux host reads lines the way bash does and never runs shell syntax.

Driven over SSH exactly as lagprov reads a host (``runs.read_tasks.read_linux_host``: Netmiko
``linux``), with the commands lagprov builds (``observe.collect.host_commands``, names quoted
with ``shlex.quote``).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import pytest
from netmiko import ConnectHandler

from lagprov.edge.nornir_glue import Credentials
from lagprov.lab.hosts.fleet import LabHost, serve
from lagprov.lab.hosts.shell import LinuxShell, shell_syntax
from lagprov.model.inventory import HostDevice
from lagprov.model.types import Bundling, HostOs
from lagprov.observe.collect import host_commands
from lagprov.runs.read_tasks import read_linux_host
from tests.lab.serving import served as serving
from tests.lab.test_hosts import build

ADDRESS = "127.0.77.33"
BONDING = "cat /proc/net/bonding/bond0"
# One line per class of shell syntax a real bash would act on (and the lab must refuse).
HOSTILE = {
    "command substitution $(": "cat /proc/net/bonding/bond0$(touch /tmp/x)",
    "command substitution `": "cat /proc/net/bonding/bond0`reboot`",
    "command list ;": "cat /proc/net/bonding/bond0; reboot",
    "and-list &&": "cat /proc/net/bonding/bond0 && reboot",
    "or-list ||": "cat /proc/net/bonding/bond0 || reboot",
    "pipeline |": "cat /proc/net/bonding/bond0 | sh",
    "redirection >": "cat /proc/net/bonding/bond0 > /etc/motd",
    "redirection <": "cat /proc/net/bonding/bond0 < /etc/shadow",
    "background &": "cat /proc/net/bonding/bond0 & reboot",
}


@dataclass
class _Ports:
    ssh: int = 0


@dataclass(frozen=True)
class Served:
    host: LabHost
    port: int


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("ens1f0", "ens1f1"))
    start = partial(serve, host, ADDRESS, _Ports(), {"lab": "lab-password"})
    with serving("host-shell-wire", start) as handles:
        yield Served(host, handles[0].get_port())  # type: ignore[attr-defined]


@pytest.fixture
def conn(served: Served) -> Iterator[object]:
    served.host.command_log.clear()
    served.host.refused.clear()
    c = ConnectHandler(device_type="linux", host=ADDRESS, port=served.port, username="lab",
                       password="lab-password", fast_cli=True)
    try:
        yield c
    finally:
        c.disconnect()


def _logged(served: Served) -> list[str]:
    return [line for line in served.host.command_log if line != "exit"]


def _read(served: Served, commands: tuple[str, ...]) -> dict[str, str]:
    device = HostDevice(name="lnx01", os=HostOs.LINUX, address=ADDRESS, port=served.port)
    creds = Credentials(username="lab", password="lab-password", secret="")
    capture = read_linux_host(device, commands, creds=creds, timeout_s=10)
    assert capture.error is None, capture.error
    return dict(capture.outputs)


@pytest.mark.lab
def test_lagprov_reads_arrive_as_sent_and_are_answered(served: Served) -> None:
    served.host.command_log.clear()
    commands = host_commands(HostOs.LINUX, "bond0")
    outputs = _read(served, commands)
    # blank prompt probes are not logged; "exit" is a session's logout (Netmiko disconnect)
    assert _logged(served) == list(commands)
    assert served.host.refused == []
    assert "Bonding Mode: IEEE 802.3ad Dynamic link aggregation" in outputs[BONDING]
    assert outputs["ip -j -d link"].lstrip().startswith("[")


@pytest.mark.lab
@pytest.mark.parametrize("name", ["bond0$(touch /tmp/x)", "bond0`reboot`", "bond0 && reboot",
                                  "bond0 > /etc/motd", "bond0;reboot", "bond0|sh"])
def test_a_quoted_hostile_name_is_a_file_name_not_a_command(served: Served, name: str) -> None:
    # what lagprov would send for that name if validation ever let it through: shlex-quoted
    command = host_commands(HostOs.LINUX, name)[0]
    assert command == f"cat /proc/net/bonding/{shlex.quote(name)}"
    served.host.refused.clear()
    outputs = _read(served, (command,))
    assert served.host.refused == []  # quoted: one word, nothing for a shell to run
    assert outputs[command].strip() == f"cat: /proc/net/bonding/{name}: No such file or directory"


@pytest.mark.lab
def test_quoted_and_bare_forms_are_the_same_command(served: Served, conn: object) -> None:
    bare = conn.send_command(BONDING)  # type: ignore[attr-defined]
    assert "Bonding Mode: IEEE 802.3ad" in bare
    assert conn.send_command("cat '/proc/net/bonding/bond0'") == bare  # type: ignore[attr-defined]
    assert conn.send_command('cat "/proc/net/bonding/bond0"') == bare  # type: ignore[attr-defined]
    assert conn.send_command("echo $?").strip() == "0"  # type: ignore[attr-defined]


@pytest.mark.lab
@pytest.mark.parametrize("line", list(HOSTILE.values()), ids=list(HOSTILE))
def test_shell_operators_are_refused_and_recorded(served: Served, conn: object,
                                                  line: str) -> None:
    out = conn.send_command(line)  # type: ignore[attr-defined]
    assert out.strip().startswith("bash: lab: refused: unquoted ")
    assert "Bonding Mode" not in out  # not even the harmless first half was run
    assert conn.send_command("echo $?").strip() == "2"  # type: ignore[attr-defined]
    assert served.host.refused == [line]
    assert _logged(served) == [line, "echo $?"]


def test_unterminated_quote_is_refused() -> None:
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("eth0",))
    shell = LinuxShell(host, "lab")
    out = shell.handle("cat '/proc/net/bonding/bond0").output
    assert out == "bash: lab: refused: no closing quotation (the lab runs no shell syntax)\n"
    assert shell.status == 2 and host.refused == ["cat '/proc/net/bonding/bond0"]


@pytest.mark.parametrize("line", [
    "cat '/proc/net/bonding/bond0;reboot'", 'cat "/proc/net/bonding/a|b&c>d<e"',
    r"cat /proc/net/bonding/bond0\;reboot", "cat '$(x)' '`y`'", "echo a$", "ip -d link show bond0",
])
def test_quoted_or_escaped_metacharacters_are_words(line: str) -> None:
    assert shell_syntax(line) is None


@pytest.mark.parametrize(("line", "found"), [
    ('cat "/proc/net/bonding/$(id)"', "a command substitution '$('"),
    ('cat "/x/`id`"', "a command substitution '`'"),
    ("cat /proc/net/bonding/$BOND", "a parameter expansion '$B'"),
    ("cat /proc/net/bonding/${BOND}", "a parameter expansion '${'"),
    ("cat /proc/net/bonding/*", "a pathname expansion '*'"),
    ("cat ~/x", "a tilde expansion '~'"),
    ("(cat x)", "a subshell '('"),
])
def test_expansions_bash_would_perform_are_found(line: str, found: str) -> None:
    assert shell_syntax(line) == found
