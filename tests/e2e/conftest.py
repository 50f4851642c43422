"""One generated lab fabric per test module (tests/e2e/kit.py), started on a fresh block."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagprov.lab.fabric import LabFabric
from tests.e2e.kit import start_lab
from tests.workflow.labkit import LAB_ENV


@dataclass
class E2eLab:
    """The running fabric and its live inventory folder (addresses rewritten to the lab's)."""

    fabric: LabFabric
    inventory: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eLab]:
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        for fabric, live in start_lab(tmp_path_factory.mktemp("e2e")):
            yield E2eLab(fabric, live)


@pytest.fixture(scope="module")
def lab_credentials() -> Iterator[None]:
    """The lab's credentials in the environment (where lagprov reads them) for a module."""
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        yield
