"""``python -m bench`` (``make bench``): every benchmark, then the summary table and JSON."""

from __future__ import annotations

import platform
import time

from bench import (
    ansible_parsed,
    audit_side,
    lab_runs,
    pure,
    small,
    smis_push,
    verify_offline,
    wire,
    workers,
)
from bench.common import Results, use_lab_credentials


def main() -> None:
    """Run every benchmark in order; print the summary."""
    use_lab_credentials()
    started = time.perf_counter()
    results = Results()
    print(f"lagprov benchmarks (python {platform.python_version()}, loopback lab only)")
    small.run(results)
    lab_runs.run_example(results)
    lab_runs.run_fleet(results)
    wire.run(results)
    audit_side.run(results)
    verify_offline.run(results)
    ansible_parsed.run(results)
    pure.run(results)
    smis_push.run(results)
    workers.run(results)
    total = time.perf_counter() - started
    results.add("all", "total wall time of the benchmarks", total, "s")
    print("\n== summary\n" + results.table())
    print("\n== figures as JSON (not written anywhere)\n" + results.as_json())


if __name__ == "__main__":
    main()
