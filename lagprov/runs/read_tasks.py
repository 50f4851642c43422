"""Read-only device access for verification: Nornir tasks for switches, SSH for Linux hosts
(every host, fanned out: :mod:`lagprov.runs.host_reads`).

Every device fault becomes a :class:`~lagprov.observe.collect.DeviceCapture` carrying a
:class:`~lagprov.report.DeviceError`; nothing raised here stops the other devices.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence

from nornir.core.task import Result, Task

from lagprov.edge.bounds import connect_retrying, within
from lagprov.edge.nornir_glue import (
    Credentials,
    TransportChoice,
    close_all,
    init_nornir,
    open_session,
    slowest_first,
)
from lagprov.edge.sessions import NapalmSession, wrap_errors
from lagprov.errors import InternalError, LagprovError
from lagprov.model.inventory import HostDevice, Inventory
from lagprov.observe.collect import DeviceCapture, SwitchJob, device_error

Progress = Callable[[str], None]
"""Called with a device name when that device has been read (from worker threads)."""


def _read_all(device: str, run: Callable[[str], str], commands: Sequence[str],
              run_many: Callable[[Sequence[str]], dict[str, str]] | None = None
              ) -> DeviceCapture:
    """Every output of ``commands``, stopping at the first fault (kept in the capture with
    the outputs read before it).  ``run_many`` (a platform that batches: EOS over eAPI) reads
    them in one request first; the commands it did not answer (a refused one and those after
    it) are then run one by one, so a refusal is reported exactly as without batching."""
    outputs: dict[str, str] = {}
    if run_many is not None and commands:
        try:
            outputs = run_many(commands)
        except LagprovError as exc:
            return DeviceCapture(device=device, outputs={},
                                 error=device_error(device, "collect", exc))
    for command in commands:
        if command in outputs:
            continue
        try:
            outputs[command] = run(command)
        except LagprovError as exc:
            return DeviceCapture(device=device, outputs=outputs,
                                 error=device_error(device, "collect", exc))
    return DeviceCapture(device=device, outputs=outputs)


def read_switch_task(task: Task, *, commands: Mapping[str, tuple[str, ...]],
                     choice: TransportChoice, progress: Progress | None = None) -> Result:
    """Run the read-back commands of one switch, the whole within the device deadline; the
    result is a :class:`DeviceCapture`."""
    name = task.host.name

    def read(stage: list[str]) -> DeviceCapture:
        try:
            session = open_session(task.host, task.nornir.config, choice)
        except LagprovError as exc:
            return DeviceCapture(device=name, error=device_error(name, "connect", exc))
        stage[0] = "collect"
        many = (session.run_many if isinstance(session, NapalmSession) and session.batches
                else None)
        return _read_all(name, session.run, commands.get(name, ()), many)

    capture = bounded(name, choice, read)
    if progress is not None:
        progress(name)
    return Result(host=task.host, result=capture, failed=capture.error is not None)


def read_switches(inv: Inventory, jobs: Sequence[SwitchJob], *, workers: int,
                  creds: Credentials, choice: TransportChoice,
                  progress: Progress | None = None) -> dict[str, DeviceCapture]:
    """Read every switch of ``jobs`` in parallel through Nornir."""
    if not jobs:
        return {}
    commands = {j.device: j.commands for j in jobs}
    nr = init_nornir(inv, devices=slowest_first(inv, list(commands), choice), workers=workers,
                     creds=creds, choice=choice)
    try:
        result = nr.run(task=read_switch_task, commands=commands, choice=choice,
                        progress=progress)
    finally:
        close_all(nr)
    out: dict[str, DeviceCapture] = {}
    for name in commands:
        if name not in result:
            err = InternalError(f"{name} is not in the Nornir inventory {inv.root}")
            out[name] = DeviceCapture(device=name, error=device_error(name, "connect", err))
            continue
        value = result[name][0].result
        if not isinstance(value, DeviceCapture):
            exc = result[name][0].exception or InternalError(f"no capture for {name}")
            value = DeviceCapture(device=name, error=device_error(name, "collect", exc))
        out[name] = value
    return out


def bounded(name: str, choice: TransportChoice,
            read: Callable[[list[str]], DeviceCapture]) -> DeviceCapture:
    """``read([stage])`` within the device deadline; past it, a timeout capture at the stage
    ``read`` had reached ("connect", then "collect")."""
    stage = ["connect"]
    try:
        return within(choice.deadline_s, lambda: read(stage), f"{name} read")
    except LagprovError as exc:
        return DeviceCapture(device=name, error=device_error(name, stage[0], exc))


def read_linux_host(device: HostDevice, commands: Sequence[str], *, creds: Credentials,
                    timeout_s: int, choice: TransportChoice | None = None) -> DeviceCapture:
    """Run ``commands`` on a Linux host over SSH (Netmiko ``linux``), within the device
    deadline of ``choice``, a transient connect failure retried."""
    choice = choice or TransportChoice(timeout_s=timeout_s)
    return bounded(device.name, choice,
                   lambda stage: _read_linux(device, commands, creds, choice, stage))


def _read_linux(device: HostDevice, commands: Sequence[str], creds: Credentials,
                choice: TransportChoice, stage: list[str]) -> DeviceCapture:
    from netmiko import ConnectHandler

    from lagprov.edge.netmiko_fast import read_device_type

    name, timeout_s = device.name, choice.timeout_s
    kind = read_device_type("linux") if choice.prompt_reads else "linux"  # verify, audit
    try:
        conn = connect_retrying(lambda: wrap_errors(lambda: ConnectHandler(
            device_type=kind, host=device.address, port=device.port,
            username=creds.username, password=creds.password, secret=creds.secret,
            timeout=timeout_s, auth_timeout=timeout_s, fast_cli=False,
        ), f"{name} connect (netmiko linux)"), retries=choice.connect_retries,
            backoff_s=choice.backoff_s)
    except LagprovError as exc:
        return DeviceCapture(device=name, error=device_error(name, "connect", exc))
    stage[0] = "collect"
    try:
        return _read_all(name, lambda c: str(wrap_errors(
            lambda: conn.send_command(c, read_timeout=timeout_s), f"{name} '{c}'")), commands)
    finally:
        with contextlib.suppress(Exception):  # a dead session cannot be closed twice
            conn.disconnect()

