"""A lab fabric started from a test inventory folder (tests/inventories/...), for a module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from tests.workflow.labkit import LAB_ENV


@contextmanager
def lab_of(folder: Path, base: Path) -> Iterator[tuple[LabFabric, Inventory]]:
    """The fabric of ``folder``'s inventory on a fresh loopback block, the lab credentials and
    a private state folder in the environment, and the live inventory (the lab's addresses)."""
    fabric = LabFabric.from_inventory(load_inventory(folder), rebase="auto")
    fabric.start()
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        mp.setenv("LAGPROV_STATE", str(base / "state"))
        try:
            yield fabric, load_inventory(fabric.write_inventory(base / "inventory"))
        finally:
            fabric.close()
