"""Processes opening a new history database at once (an audit and an apply, two services)
all find it migrated: the first migrates, the others wait and find nothing left to do."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, inspect

from lagprov.runs.history.models import Base

SCRIPT = """
import sys, time
from sqlalchemy import create_engine
from lagprov.runs.history.db import upgrade
engine = create_engine(sys.argv[1])
while time.time() < float(sys.argv[2]):  # start together
    time.sleep(0.001)
upgrade(engine)
"""


@pytest.mark.slow
def test_processes_opening_a_new_database_at_once(db_url: str) -> None:
    start = time.time() + 4  # after every interpreter has imported lagprov
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, db_url, str(start)],
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    failures = [err[-600:] for p in procs if (err := p.communicate(timeout=120)[1])
                and p.returncode]
    assert failures == []
    engine = create_engine(db_url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
