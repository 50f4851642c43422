"""README "Host side": the host pipeline example, step by step, against the built-in lab.

The same steps as the README: fetch ``GET /trunks/lnx01-bond0/host-config?format=netplan``,
copy it onto the lab's Linux host (SFTP to ``/etc/netplan/``), run ``sudo netplan apply`` over
SSH (``/proc/net/bonding/bond0`` changes accordingly), call ``POST /trunks/lnx01-bond0/ready``
and get a signed pass.  A config rendered for the wrong mode (the trunk as a Static bundle,
``balance-xor``, against the LACP port-channel the switch has) applied the same way is caught
by ``ready`` (host-team-mode).  Expected values: the intent (lnx01-bond0: 802.3ad, LACP rate
fast, MTU 9000, inventory/trunks.yaml) and the kernel's bonding header lines (vendor-cli.md 5.2).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
from fastapi.testclient import TestClient

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LAB_ENV, LabFabric
from lagprov.model.inventory import Inventory
from lagprov.model.types import Bundling, SwitchMode
from lagprov.runs import render_host
from tests.conftest import EXAMPLE_INVENTORY
from tests.service.conftest import SERVICE_KEY, make_client, signing
from tests.service.test_handshake import expected_digest
from tests.workflow.labkit import configure_as_intended

pytestmark = pytest.mark.lab

TRUNK, HOST = "lnx01-bond0", "lnx01"
NETPLAN = "/etc/netplan/60-lagprov.yaml"


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> Iterator[tuple[LabFabric, Inventory, TestClient]]:
    for k, v in {**LAB_ENV, "LAGPROV_SERVICE_KEY": SERVICE_KEY}.items():
        monkeypatch.setenv(k, v)
    inv = load_inventory(EXAMPLE_INVENTORY)
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    configure_as_intended(fabric, inv)
    fabric.start()
    try:
        folder = fabric.write_inventory(tmp_path / "inventory")
        with signing(make_client(folder, tmp_path / "state"), SERVICE_KEY) as client:
            yield fabric, load_inventory(folder), client
    finally:
        fabric.close()


def _ssh(inv: Inventory) -> paramiko.SSHClient:
    host = inv.host(HOST)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # the lab's key is new each run
    client.connect(host.address or "", port=host.port, username=LAB_ENV["LAGPROV_USERNAME"],
                   password=LAB_ENV["LAGPROV_PASSWORD"], look_for_keys=False,
                   allow_agent=False, timeout=10)
    return client


def apply_netplan(inv: Inventory, text: str) -> tuple[int, str, str]:
    """What the pipeline does on the host: copy the file, ``sudo netplan apply``."""
    client = _ssh(inv)
    try:
        with client.open_sftp() as sftp, sftp.open(NETPLAN, "w") as f:
            f.write(text)
        _, out, err = client.exec_command("sudo netplan apply", timeout=10)
        status = out.channel.recv_exit_status()
        return status, out.read().decode(), err.read().decode()
    finally:
        client.close()


def proc_net_bonding(inv: Inventory) -> str:
    client = _ssh(inv)
    try:
        _, out, _ = client.exec_command("cat /proc/net/bonding/bond0", timeout=10)
        text: str = out.read().decode()
        return text.replace("\r\n", "\n")
    finally:
        client.close()


def ready(client: TestClient, nonce: str) -> dict[str, Any]:
    r = client.post(f"/trunks/{TRUNK}/ready", json={"nonce": nonce})
    assert r.status_code == 200, r.text
    v: dict[str, Any] = r.json()
    assert v["digest"] == expected_digest(v, SERVICE_KEY) and v["nonce"] == nonce
    return v


def failing(v: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule"], f["device"]) for f in v["findings"] if f["status"] == "fail"}


def test_fetch_apply_ready_gets_a_signed_pass(
        lab: tuple[LabFabric, Inventory, TestClient]) -> None:
    fabric, inv, client = lab
    fabric.set_host_team(HOST, "active-backup")  # the host before its pipeline ran
    assert "fault-tolerance (active-backup)" in proc_net_bonding(inv)
    assert ready(client, "before")["verdict"] == "fail"

    r = client.get(f"/trunks/{TRUNK}/host-config", params={"format": "netplan"})
    assert r.status_code == 200 and r.headers["x-lagprov-host-format"] == "netplan"
    assert f"({NETPLAN})" in r.text.splitlines()[0]  # where the file goes
    status, out, err = apply_netplan(inv, r.text)
    assert (status, err) == (0, ""), out
    bonding = proc_net_bonding(inv)
    assert "Bonding Mode: IEEE 802.3ad Dynamic link aggregation" in bonding
    assert "LACP rate: fast" in bonding
    assert [ln for ln in bonding.splitlines() if ln.startswith("Slave Interface:")] == [
        "Slave Interface: ens1f0", "Slave Interface: ens1f1"]

    verdict = ready(client, "after")
    assert (verdict["verdict"], verdict["signature"]) == ("pass", "hmac-sha256")
    assert failing(verdict) == set()


def _static_intent(inv: Inventory) -> Inventory:
    """The inventory with lnx01-bond0 as a Static bundle: the wrong mode for the switch."""
    t = next(t for t in inv.trunks if t.name == TRUNK)
    host = t.host.model_copy(update={"team": "balance-xor", "bundling": Bundling.STATIC,
                                     "lacp_rate": None}) if t.host else None
    switch = tuple(e.model_copy(update={"mode": SwitchMode.STATIC, "lacp_rate": None})
                   for e in t.switch)
    wrong = t.model_copy(update={"host": host, "switch": switch})
    return inv.model_copy(update={"trunks": tuple(wrong if x.name == TRUNK else x
                                                  for x in inv.trunks)})


def test_a_config_for_the_wrong_mode_is_caught_by_ready(
        lab: tuple[LabFabric, Inventory, TestClient]) -> None:
    _, inv, client = lab
    assert ready(client, "as-intended")["verdict"] == "pass"
    static = render_host(_static_intent(inv), HOST, fmt="netplan", trunks=[TRUNK]).text
    assert "mode: balance-xor" in static
    status, _, err = apply_netplan(inv, static)
    assert (status, err) == (0, "")
    assert "Bonding Mode: load balancing (xor)" in proc_net_bonding(inv)
    verdict = ready(client, "wrong-mode")
    assert verdict["verdict"] == "fail"
    assert ("host-team-mode", HOST) in failing(verdict)


def test_a_file_the_host_cannot_read_changes_nothing(
        lab: tuple[LabFabric, Inventory, TestClient]) -> None:
    fabric, inv, _ = lab
    before = proc_net_bonding(inv)
    status, _, err = apply_netplan(inv, "network:\n  bonds: [not, a, mapping\n")
    assert status == 1 and err.startswith("netplan: ")
    assert proc_net_bonding(inv) == before
    assert fabric.hosts[HOST].team == "802.3ad"
