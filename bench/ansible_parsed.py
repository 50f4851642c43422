"""Benchmark: Ansible's ``parsed`` resource modules beside lagprov, per config (issue 15).

The configurations are the lab captures of the example fabric checked in at
``tests/workflow/saved/healthy/<device>/``: the running configuration of each switch Ansible has
resource modules for (IOS cat9300-1 and cat2960s-1, EOS eos7120-1, Junos ex4300-1 and ex3300-1;
SMIS has none).  Each module gets the input its documentation names:

- IOS and EOS: ``show running-config | section ^interface``, cut from the saved
  ``show running-config`` as IOS's ``| section`` prints it (the lab's IOS filter).
- Junos: the configuration as XML (``<rpc-reply><configuration>``, what ``show configuration |
  display xml`` and NETCONF ``<get-configuration/>`` answer; the modules read it with lxml).
  The capture is ``| display set``: it is read into the lab's Junos configuration tree and
  written out as the lab's NETCONF ``get-configuration`` writes it, with ``802.3ad aeN``
  spelled as Junos spells it in XML (``<ieee-802.3ad><bundle>aeN</bundle></ieee-802.3ad>``;
  the lab writes ``<802.3ad>``, which is not an XML name).

Ansible (``ansible`` 12.x from PyPI, with the collections it bundles) is never a dependency of
lagprov: it lives in its own venv, ``.bench/ansible`` (made on first use; ``ncclient``, ``lxml``
and ``xmltodict`` are the Junos collection's requirements).  With no network it is not
installed and no figure is recorded.  A generated playbook (in a temp dir) runs, for each of K
copies of a platform's configs (one inventory host per copy, as a fleet would be), the LAG
relevant resource modules in ``state: parsed`` with ``running_config`` from the copy's file.
The hosts point at a loopback port nothing listens on, so a run that connected would fail:
``parsed`` does not connect (IOS/EOS through ``ansible.netcommon.network_cli``; the Junos
modules refuse it and take ``ansible.netcommon.netconf``).  ``ansible-playbook``'s wall time
is taken for one config and for K; the marginal cost ``(t(K) - t(1)) / (K - 1)`` is the figure
per config, the plain ``t(K) / K`` is beside it.

lagprov's side: its parsers over the very same K copies (the saved captures, each parsed as
``verify --from`` parses it), and ``verify_run``'s cost per config end to end (read, parse
every saved output of each switch, verify, report) from bench 3 when it ran before this one,
else measured here on a smaller replicated fleet.  Ansible only parses (four modules, one
config each); lagprov's ``verify_run`` parses and verifies: the ratio says which it compares.
Runs alternate (Ansible 1, Ansible K, lagprov) so that the machine's load falls on both.

``BENCH_ANSIBLE=0`` skips it; ``BENCH_ANSIBLE_RUNS`` (3), ``BENCH_ANSIBLE_COPIES`` (K per
device, by platform) and ``BENCH_ANSIBLE_VERIFY_COPIES`` make it smaller.
``python -m bench.ansible_parsed`` runs it alone.
"""

from __future__ import annotations

import json
import os
import re
import resource
import socket
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import REPO, SAVED, Results, section, timed
from bench.replicate import replicate
from lagprov.intent.load import load_inventory
from lagprov.lab.ios.cli import _filter as ios_filter
from lagprov.lab.junos.netconf import tree_xml
from lagprov.lab.junos.schema import build_schema, parse_statement, tokenize
from lagprov.lab.junos.tree import Config
from lagprov.model.state import DeviceLagState
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command
from lagprov.runs.verify import verify_run

VENV = REPO / ".bench" / "ansible"
PACKAGES = ("ansible>=12,<13", "ncclient", "lxml", "xmltodict")
_INSTALLED = VENV / ".installed"  # written once every package is in: a half install is redone
RUNS = int(os.environ.get("BENCH_ANSIBLE_RUNS", "3"))
VERIFY_COPIES = int(os.environ.get("BENCH_ANSIBLE_VERIFY_COPIES", "34"))  # x 6 switches
GOAL = "goal >= 300x; baseline ~110x (issue 15)"
_BENCH = "ansible"


@dataclass(frozen=True)
class AnsiblePlatform:
    """How one platform's configs go to Ansible and to lagprov."""

    label: str
    platform: Platform
    devices: tuple[str, ...]
    capture: str  # the saved command whose output is the configuration
    network_os: str
    connection: str
    modules: tuple[str, ...]  # the first one is the LAG module (checked against lagprov)
    copies: int  # K / devices by default: t(K) some 20-60 s on this machine (2 cores)

    def ansible_text(self, capture: str, mtu: tuple[int, int]) -> str:
        """The ``running_config`` the modules document, from the capture."""
        if self.platform is Platform.JUNIPER_JUNOS:
            return junos_xml(capture, mtu)
        return ios_filter(capture, "section ^interface")


def _modules(collection: str, prefix: str) -> tuple[str, ...]:
    return tuple(f"{collection}.{prefix}_{m}interfaces" for m in ("lag_", "", "l2_", "lacp_"))


PLATFORMS = (
    AnsiblePlatform("IOS", Platform.CISCO_IOS, ("cat9300-1", "cat2960s-1"),
                    "show running-config", "cisco.ios.ios", "ansible.netcommon.network_cli",
                    _modules("cisco.ios", "ios"), copies=3),
    AnsiblePlatform("EOS", Platform.ARISTA_EOS, ("eos7120-1",), "show running-config",
                    "arista.eos.eos", "ansible.netcommon.network_cli",
                    _modules("arista.eos", "eos"), copies=6),
    AnsiblePlatform("Junos", Platform.JUNIPER_JUNOS, ("ex4300-1", "ex3300-1"),
                    "show configuration | display set", "junipernetworks.junos.junos",
                    "ansible.netcommon.netconf", _modules("junipernetworks.junos", "junos"),
                    copies=3),
)
_HOSTNAME = re.compile(r"^(hostname |set system host-name )(\S+)$", re.MULTILINE)


def junos_xml(display_set: str, mtu: tuple[int, int]) -> str:
    """``show configuration | display set`` as ``show configuration | display xml``."""
    schema, config = build_schema(*mtu), Config()
    for line in display_set.splitlines():
        if line.startswith("set "):
            config.set(parse_statement(schema, tokenize(line[4:])))
    body = tree_xml(config.tree())  # the lab's NETCONF rendering: Junos XML names
    return f"<rpc-reply>\n<configuration>\n{body}\n</configuration>\n</rpc-reply>\n"


# --- the venv ------------------------------------------------------------------------------


def ansible_venv() -> Path | None:
    """``ansible-playbook`` of the bench's own venv, made on first use; None if it cannot be
    installed (no network): the reason is printed."""
    playbook = VENV / "bin" / "ansible-playbook"
    if _INSTALLED.exists() and playbook.exists():
        return playbook
    print(f"   installing Ansible into {VENV} (once; never a lagprov dependency)", flush=True)
    try:
        if not (VENV / "bin" / "python").exists():
            subprocess.run(["python3", "-m", "venv", str(VENV)], check=True, timeout=300)
        subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", *PACKAGES],
                       check=True, timeout=1800, capture_output=True, text=True)
    except (OSError, subprocess.SubprocessError) as exc:
        why = (getattr(exc, "stderr", "") or str(exc)).strip().splitlines() or [repr(exc)]
        print(f"   Ansible is not installed ({why[-1]}): no Ansible figure is recorded",
              flush=True)
        return None
    _INSTALLED.write_text(" ".join(PACKAGES) + "\n", encoding="utf-8")
    return playbook


def _version() -> str:
    out = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "list",
                          "--disable-pip-version-check", "--format", "json"],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    got = {p["name"].lower(): p["version"] for p in json.loads(out)}
    return f"ansible {got.get('ansible')}, ansible-core {got.get('ansible-core')}"


# --- the configs and the playbooks ---------------------------------------------------------


@dataclass(frozen=True)
class Copies:
    """K copies of one platform's configs, as files: each capture (for lagprov) and the
    module input made from it (for Ansible), renamed as bench.replicate renames them."""

    spec: AnsiblePlatform
    captures: tuple[tuple[str, str], ...]  # (device name, capture text)
    inputs: tuple[Path, ...]  # the Ansible input files, one per copy


def _mtu_ranges() -> dict[str, tuple[int, int]]:
    inv = load_inventory(SAVED / "inventory")
    return {s.name: (inv.hardware[s.hardware].mtu_min, inv.hardware[s.hardware].mtu_max)
            for s in inv.switches if s.hardware is not None and s.hardware in inv.hardware}


def _slug(command: str) -> str:
    return "_".join(command.replace("|", " pipe ").split()) + ".txt"


def _renamed(text: str, name: str) -> str:
    return _HOSTNAME.sub(lambda m: m.group(1) + name, text)


def make_copies(spec: AnsiblePlatform, copies: int, where: Path) -> Copies:
    """``copies`` renamed copies of each of ``spec``'s devices, written under ``where``."""
    mtu = _mtu_ranges()
    where.mkdir(parents=True)
    captures: list[tuple[str, str]] = []
    inputs: list[Path] = []
    for device in spec.devices:
        text = (SAVED / "healthy" / device / _slug(spec.capture)).read_text(encoding="utf-8")
        module_input = spec.ansible_text(text, mtu[device])
        for c in range(copies):
            name = f"{device}-r{c:03d}"
            captures.append((name, _renamed(text, name)))
            path = where / f"{name}.cfg"
            path.write_text(_renamed(module_input, name).replace(
                f"<host-name>{device}<", f"<host-name>{name}<"), encoding="utf-8")
            inputs.append(path)
    return Copies(spec, tuple(captures), tuple(inputs))


def _free_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def write_playbook(spec: AnsiblePlatform, inputs: Sequence[Path], where: Path) -> Path:
    """Inventory and playbook in ``where``: one host per input; the playbook's path."""
    port = _free_port()
    hosts = {p.stem: {"config": str(p)} for p in inputs}
    inventory = {"all": {"vars": {
        "ansible_connection": spec.connection, "ansible_network_os": spec.network_os,
        "ansible_host": "127.0.0.1", "ansible_port": port,  # never connected: see below
        "ansible_user": "nobody", "ansible_password": "unused",
        "ansible_python_interpreter": str(VENV / "bin" / "python"),
    }, "hosts": hosts}}
    tasks = [{"name": m, m: {"state": "parsed",
                             "running_config": "{{ lookup('file', config) }}"},
              "register": f"r{i}"} for i, m in enumerate(spec.modules)]
    play = [{"name": f"{spec.label} parsed", "hosts": "all", "gather_facts": False,
             "tasks": tasks}]
    (where / "inventory.json").write_text(json.dumps(inventory), encoding="utf-8")
    (where / "playbook.json").write_text(json.dumps(play), encoding="utf-8")  # JSON is YAML
    return where / "playbook.json"


def _env(tmp: Path, *, as_json: bool = False) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "ANSIBLE_HOME": str(tmp / "home"), "ANSIBLE_LOCAL_TEMP": str(tmp / "tmp"),
           "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(tmp / "pc"),
           "ANSIBLE_COLLECTIONS_PATH": str(tmp / "collections"),  # the bundled ones only
           "ANSIBLE_CONFIG": str(tmp / "none.cfg"), "ANSIBLE_RETRY_FILES_ENABLED": "0",
           "ANSIBLE_DEPRECATION_WARNINGS": "0", "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_HOST_KEY_CHECKING": "0"}
    if as_json:
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.json"
    return env


def run_playbook(playbook: Path, book: Path, tmp: Path, *, as_json: bool = False) -> str:
    """One ``ansible-playbook`` run; its stdout.  Raises RuntimeError if a task failed."""
    done = subprocess.run([str(playbook), "-i", str(book.parent / "inventory.json"), str(book)],
                          env=_env(tmp, as_json=as_json), capture_output=True, text=True,
                          timeout=1800, check=False, cwd=tmp)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        raise RuntimeError(f"ansible-playbook {book} failed ({done.returncode}):\n{tail}")
    return done.stdout


def _channels(names_members: Mapping[str, int]) -> dict[int, int]:
    return {int(re.sub(r"\D", "", n)): k for n, k in names_members.items()}


def check_same_lags(playbook: Path, copies: Copies, tmp: Path) -> str:
    """Ansible's LAG module and lagprov's parser find the same bundles (members per channel)
    in each device's config: a one-line account, or RuntimeError."""
    spec = copies.spec
    one_each = [copies.inputs[i * (len(copies.inputs) // len(spec.devices))]
                for i in range(len(spec.devices))]
    where = tmp / "check"
    where.mkdir()
    out = json.loads(run_playbook(playbook, write_playbook(spec, one_each, where), tmp,
                                  as_json=True))
    lag_task = out["plays"][0]["tasks"][0]["hosts"]
    seen = []
    for path in one_each:
        ansible = _channels({lag["name"]: len(lag.get("members", []))
                             for lag in lag_task[path.stem]["parsed"]})
        text = dict(copies.captures)[path.stem]
        state = parse_command(spec.platform, spec.capture, text, device=path.stem)
        ours = {lag.channel: len(lag.members) for lag in state.lags}
        if ansible != ours:
            raise RuntimeError(f"{path.stem}: Ansible {ansible} != lagprov {ours}")
        seen.append(f"{path.stem.rsplit('-r', 1)[0]} {sorted(ours.items())}")
    return "same bundles (channel, members) as lagprov: " + ", ".join(seen)


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Samples:
    """Wall (and CPU) seconds of each alternated run, for one platform."""

    n: int
    one: list[float] = field(default_factory=list)
    many: list[float] = field(default_factory=list)
    one_cpu: list[float] = field(default_factory=list)
    many_cpu: list[float] = field(default_factory=list)
    lagprov: list[float] = field(default_factory=list)

    def marginal(self, cpu: bool = False) -> list[float]:
        """(t(K) - t(1)) / (K - 1), per run."""
        one, many = (self.one_cpu, self.many_cpu) if cpu else (self.one, self.many)
        return [(k - o) / (self.n - 1) for o, k in zip(one, many, strict=True)]


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _timed_playbook(playbook: Path, book: Path, tmp: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU is ansible-playbook's and that of the processes
    it waited for (its workers and modules), not the other helpers' on a shared machine."""
    cpu = _children_cpu()
    wall = timed(lambda: run_playbook(playbook, book, tmp))[0]
    return wall, _children_cpu() - cpu


def _parse_all(spec: AnsiblePlatform, captures: Sequence[tuple[str, str]]
               ) -> list[DeviceLagState]:
    return [parse_command(spec.platform, spec.capture, text, device=name)
            for name, text in captures]


def measure_platform(playbook: Path, copies: Copies, tmp: Path, runs: int) -> Samples:
    """``runs`` alternated rounds: Ansible on one config, on all K, lagprov on all K."""
    spec = copies.spec
    one_dir, many_dir = tmp / "one", tmp / "many"
    one_dir.mkdir()
    many_dir.mkdir()
    one = write_playbook(spec, copies.inputs[:1], one_dir)
    many = write_playbook(spec, copies.inputs, many_dir)
    _parse_all(spec, copies.captures)  # templates compiled once, as in any run
    got = Samples(len(copies.inputs))
    for _ in range(runs):
        for walls, cpus, book in ((got.one, got.one_cpu, one), (got.many, got.many_cpu, many)):
            wall, cpu = _timed_playbook(playbook, book, tmp)
            walls.append(wall)
            cpus.append(cpu)
        got.lagprov.append(timed(lambda: _parse_all(spec, copies.captures))[0])
    return got


def verify_run_per_config(results: Results) -> tuple[float, str]:
    """``verify_run`` seconds per switch config: bench 3's N figure if it ran, else measured
    here (median of RUNS over VERIFY_COPIES replicated fabrics)."""
    for f in results.figures:
        m = re.fullmatch(r"verify_run end to end, (\d+) configs", f.name)
        if f.bench == "verify" and m:
            n = int(m.group(1))
            return f.value / n, f"bench 3's verify_run over {n} configs ({f.value:.2f} s)"
    with tempfile.TemporaryDirectory() as tmp:
        inv_dir, saved, n = replicate(Path(tmp), VERIFY_COPIES)
        inv = load_inventory(inv_dir)
        report = verify_run(inv, from_dir=saved)  # warm-up and check
        c = report.counts
        samples = [timed(lambda: verify_run(inv, from_dir=saved))[0] for _ in range(RUNS)]
    med = statistics.median(samples)
    return med / n, (f"verify_run over {n} configs measured here: {med:.2f} s, "
                     f"{_spread(samples)}; {c.passed} passed, {c.failed} failed")


def _spread(samples: Sequence[float], scale: float = 1.0, unit: str = "s") -> str:
    lo, hi = min(samples) * scale, max(samples) * scale
    return f"median of {len(samples)}, min-max {lo:.3g}-{hi:.3g} {unit}"


def _copies(spec: AnsiblePlatform) -> int:
    raw = os.environ.get("BENCH_ANSIBLE_COPIES")
    return max(2, int(raw)) if raw else spec.copies


@dataclass(frozen=True)
class PerConfig:
    """One platform's medians, seconds per config."""

    marginal: float
    plain: float
    marginal_cpu: float
    lagprov: float
    devices: int


def _platform(add: Callable[..., None], playbook: Path, spec: AnsiblePlatform) -> PerConfig:
    with tempfile.TemporaryDirectory(prefix="lagprov-ansible-") as name:
        tmp = Path(name)
        copies = make_copies(spec, _copies(spec), tmp / "configs")
        same = check_same_lags(playbook, copies, tmp)
        got = measure_platform(playbook, copies, tmp, RUNS)
    n, med = got.n, statistics.median
    got_pc = PerConfig(med(got.marginal()), med(got.many) / n, med(got.marginal(cpu=True)),
                       med(got.lagprov) / n, len(spec.devices))
    add(f"Ansible parsed, per config ({spec.label})", got_pc.marginal, "s",
        f"marginal (t(K)-t(1))/(K-1), K = {n} configs ({len(spec.devices)} devices x "
        f"{n // len(spec.devices)}), {_spread(got.marginal())}; CPU {got_pc.marginal_cpu:.2f} s; "
        f"t(K) {med(got.many):.1f} s ({_spread(got.many)}, CPU {med(got.many_cpu):.1f} s); "
        f"t(K)/K {got_pc.plain:.2f} s; t(1) {med(got.one):.1f} s ({_spread(got.one)}, CPU "
        f"{med(got.one_cpu):.1f} s); {len(spec.modules)} modules "
        f"({', '.join(m.rsplit('.', 1)[1] for m in spec.modules)}), parse only; {same}")
    add(f"lagprov parsers, per config ({spec.label})", got_pc.lagprov * 1000, "ms",
        f"parse_command({spec.capture!r}) of the same {n} captures, "
        f"{_spread([t / n for t in got.lagprov], 1000, 'ms')}; parse only, like Ansible; "
        f"x{got_pc.marginal / got_pc.lagprov:.0f} Ansible's marginal")
    return got_pc


def figures(add: Callable[..., None], results: Results, playbook: Path) -> None:
    """Every platform's Ansible and lagprov figures, then the ratios."""
    per = {spec.label: _platform(add, playbook, spec) for spec in PLATFORMS}
    devices = sum(p.devices for p in per.values())

    def mix(value: Callable[[PerConfig], float]) -> float:  # weighted as the fabric has them
        return sum(value(p) * p.devices for p in per.values()) / devices

    ansible, plain = mix(lambda p: p.marginal), mix(lambda p: p.plain)
    parsers = mix(lambda p: p.lagprov)
    add("Ansible parsed, per config (all)", ansible, "s",
        f"marginal, weighted over the fabric's {devices} configs "
        f"({', '.join(f'{p.devices} {k}' for k, p in per.items())}); CPU "
        f"{mix(lambda p: p.marginal_cpu):.2f} s; t(K)/K {plain:.2f} s")
    ours, source = verify_run_per_config(results)
    add("lagprov, per config", ours * 1000, "ms",
        f"verify_run end to end per switch config: reads, parses every saved output of each "
        f"switch and verifies and reports (Ansible only parses one config); {source}; "
        f"its parsers alone on the same files: {parsers * 1000:.2f} ms")
    add("lagprov vs Ansible parsed, per config", ansible / ours, "x",
        f"{GOAL}; Ansible marginal {ansible:.2f} s / lagprov verify_run {ours * 1000:.1f} ms "
        f"(Ansible parses, lagprov parses and verifies); with Ansible's t(K)/K: "
        f"x{plain / ours:.0f}; parse against parse on the same files: x{ansible / parsers:.0f}")


def run(results: Results) -> None:
    """Record :func:`figures` (skipped with ``BENCH_ANSIBLE=0``)."""
    with section("Ansible parsed resource modules beside lagprov, per config"):
        if os.environ.get("BENCH_ANSIBLE", "1") == "0":
            print("   skipped (BENCH_ANSIBLE=0)", flush=True)
            return
        playbook = ansible_venv()
        if playbook is None:
            return
        print(f"   {_version()} in {VENV}", flush=True)
        figures(lambda *a, **k: results.add(_BENCH, *a, **k), results, playbook)


def main() -> None:
    results = Results()
    run(results)
    print("\n" + results.table())


if __name__ == "__main__":
    main()

