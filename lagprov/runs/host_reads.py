"""Live reads of hosts: Linux (Netmiko, :mod:`.read_tasks`), Windows (one PowerShell script
over OpenSSH or WinRM, one ``powershell.exe -EncodedCommand`` command line either way: an SSH
exec request, or a process in a WinRS cmd shell), ESXi (esxcli over SSH exec).

Each host is read within the device deadline, a transient connect failure retried, with its
group's credentials (:func:`lagprov.edge.hosts_ssh.host_credentials`); any fault is a
:class:`DeviceCapture` carrying that host's :class:`DeviceError`, never raised, so one host
down stops no other device.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from lagprov.edge.bounds import connect_retrying
from lagprov.edge.hosts_ssh import ExecSession, WinRMSession, host_credentials
from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import LagprovError
from lagprov.model.inventory import HostDevice, Inventory
from lagprov.model.types import HostOs
from lagprov.observe.collect import (
    DeviceCapture,
    HostJob,
    device_error,
    fill_command,
)
from lagprov.observe.host_commands import WINDOWS_KEYS
from lagprov.observe.windows_read import encoded_command, split_windows_answer, windows_script
from lagprov.runs.read_tasks import Progress, bounded, read_linux_host


def _open(device: HostDevice, creds: Credentials,
          choice: TransportChoice) -> ExecSession | WinRMSession:
    address = device.address or device.name
    if device.transport == "winrm":
        return WinRMSession(device.name, address, device.port, creds, choice.timeout_s,
                            auth=device.winrm_auth)
    return ExecSession(device.name, address, device.port, creds, choice.timeout_s)


def _collect(job: HostJob, session: ExecSession | WinRMSession) -> dict[str, str]:
    if job.os is HostOs.WINDOWS:
        # the same command line over OpenSSH and WinRS: powershell.exe -EncodedCommand
        line = encoded_command(windows_script(job.bond, job.nics))
        raw = session.run(line, what="read-back script (Get-NetLbfoTeam ... | ConvertTo-Json)")
        keys = {key: fill_command(t, job.bond, job.nics) for key, t in WINDOWS_KEYS.items()}
        return split_windows_answer(raw, keys)
    return {command: session.run(command) for command in job.commands}


def read_exec_host(device: HostDevice, job: HostJob, *, creds: Credentials,
                   choice: TransportChoice) -> DeviceCapture:
    """Read a Windows or ESXi host within the device deadline."""
    creds = host_credentials(creds, device.group)

    def read(stage: list[str]) -> DeviceCapture:
        name = device.name
        try:
            session = connect_retrying(lambda: _open(device, creds, choice),
                                       retries=choice.connect_retries,
                                       backoff_s=choice.backoff_s)
        except LagprovError as exc:
            return DeviceCapture(device=name, error=device_error(name, "connect", exc))
        stage[0] = "collect"
        try:
            return DeviceCapture(device=name, outputs=_collect(job, session))
        except LagprovError as exc:
            return DeviceCapture(device=name, error=device_error(name, "collect", exc))
        finally:
            session.close()

    return bounded(device.name, choice, read)


def read_hosts(inv: Inventory, jobs: Sequence[HostJob], *, workers: int, creds: Credentials,
               choice: TransportChoice, progress: Progress | None = None
               ) -> dict[str, DeviceCapture]:
    """Read every live host of ``jobs`` in parallel."""
    def one(job: HostJob) -> DeviceCapture:
        device = inv.host(job.device)
        if job.os is HostOs.LINUX:
            capture = read_linux_host(device, job.commands,
                                      creds=host_credentials(creds, device.group),
                                      timeout_s=choice.timeout_s, choice=choice)
        else:
            capture = read_exec_host(device, job, creds=creds, choice=choice)
        if progress is not None:
            progress(job.device)
        return capture

    live = [j for j in jobs if j.live]
    if not live:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(live)))) as pool:
        return {c.device: c for c in pool.map(one, live)}
