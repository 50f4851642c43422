"""Read-only device access for verification: Nornir tasks for switches, SSH for Linux hosts.

Every device fault becomes a :class:`~lagprov.observe.collect.DeviceCapture` carrying a
:class:`~lagprov.report.DeviceError`; nothing raised here stops the other devices.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from nornir.core.task import Result, Task

from lagprov.edge.nornir_glue import (
    Credentials,
    TransportChoice,
    close_all,
    init_nornir,
    open_session,
)
from lagprov.edge.sessions import wrap_errors
from lagprov.errors import InternalError, LagprovError
from lagprov.model.inventory import HostDevice, Inventory
from lagprov.observe.collect import DeviceCapture, HostJob, SwitchJob, device_error

Progress = Callable[[str], None]
"""Called with a device name when that device has been read (from worker threads)."""


def _read_all(device: str, run: Callable[[str], str], commands: Sequence[str]) -> DeviceCapture:
    outputs: dict[str, str] = {}
    for command in commands:
        try:
            outputs[command] = run(command)
        except LagprovError as exc:
            return DeviceCapture(device=device, outputs=outputs,
                                 error=device_error(device, "collect", exc))
    return DeviceCapture(device=device, outputs=outputs)


def read_switch_task(task: Task, *, commands: Mapping[str, tuple[str, ...]],
                     choice: TransportChoice, progress: Progress | None = None) -> Result:
    """Run the read-back commands of one switch; the result is a :class:`DeviceCapture`."""
    name = task.host.name
    try:
        session = open_session(task.host, task.nornir.config, choice)
    except LagprovError as exc:
        capture = DeviceCapture(device=name, error=device_error(name, "connect", exc))
    else:
        capture = _read_all(name, session.run, commands.get(name, ()))
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
    nr = init_nornir(inv, devices=list(commands), workers=workers, creds=creds, choice=choice)
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


def read_linux_host(device: HostDevice, commands: Sequence[str], *, creds: Credentials,
                    timeout_s: int) -> DeviceCapture:
    """Run ``commands`` on a Linux host over SSH (Netmiko ``linux``)."""
    from netmiko import ConnectHandler

    name = device.name
    try:
        conn = wrap_errors(lambda: ConnectHandler(
            device_type="linux", host=device.address, port=device.port,
            username=creds.username, password=creds.password, secret=creds.secret,
            timeout=timeout_s, auth_timeout=timeout_s, fast_cli=False,
        ), f"{name} connect (netmiko linux)")
    except LagprovError as exc:
        return DeviceCapture(device=name, error=device_error(name, "connect", exc))
    try:
        return _read_all(name, lambda c: str(wrap_errors(
            lambda: conn.send_command(c, read_timeout=timeout_s), f"{name} '{c}'")), commands)
    finally:
        with contextlib.suppress(Exception):  # a dead session cannot be closed twice
            conn.disconnect()


def read_linux_hosts(inv: Inventory, jobs: Sequence[HostJob], *, workers: int,
                     creds: Credentials, choice: TransportChoice,
                     progress: Progress | None = None) -> dict[str, DeviceCapture]:
    """Read every live Linux host of ``jobs`` in parallel."""
    def one(job: HostJob) -> DeviceCapture:
        capture = read_linux_host(inv.host(job.device), job.commands, creds=creds,
                                  timeout_s=choice.timeout_s)
        if progress is not None:
            progress(job.device)
        return capture

    live = [j for j in jobs if j.live]
    if not live:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(live)))) as pool:
        return {c.device: c for c in pool.map(one, live)}
