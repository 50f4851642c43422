"""Option declarations shared by every command."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    """Output formats."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    MD = "md"


InventoryOpt = Annotated[
    Path,
    typer.Option("--inventory", "-i", help="Inventory folder (Nornir inventory + trunks.yaml)."),
]
FilterOpt = Annotated[
    list[str] | None,
    typer.Option("--filter", "-f", help="Only these devices or trunks (name; repeatable)."),
]
DEFAULT_INVENTORY = Path("inventory")
