"""Regenerate ``tests/workflow/saved/healthy``: a live ``verify --save`` against the lab fabric
built from ``inventory/`` and configured with lagprov's rendered configuration.

Run: ``.venv/bin/python -m tests.workflow.make_saved`` (from the repository root).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.runs.verify import verify_run
from tests.workflow.labkit import LAB_ENV, configure_as_intended

REPO = Path(__file__).resolve().parents[2]
SAVED = Path(__file__).resolve().parent / "saved"


def main() -> None:
    os.environ.update(LAB_ENV)
    inv = load_inventory(REPO / "inventory")
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    configure_as_intended(fabric, inv)
    fabric.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            live_inv = load_inventory(fabric.write_inventory(Path(tmp) / "inventory"))
            for host in fabric.hosts.values():
                host.write_reports(Path(tmp) / "reports")
            target = SAVED / "healthy"
            shutil.rmtree(target, ignore_errors=True)
            report = verify_run(live_inv, save_dir=target, reports_dir=Path(tmp) / "reports")
    finally:
        fabric.close()
    shutil.rmtree(SAVED / "inventory", ignore_errors=True)
    shutil.copytree(REPO / "inventory", SAVED / "inventory")
    print(report.counts)


if __name__ == "__main__":
    main()
