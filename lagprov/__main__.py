"""``python -m lagprov``."""

from lagprov.cli import run

run()
