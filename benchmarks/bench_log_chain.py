"""Cost of the hash-chained change log: appends, and `log verify` over a large log.

Run: .venv/bin/python benchmarks/bench_log_chain.py [--entries 20000] [--per-tx 100] [--db URL]

Measures, on a fresh SQLite file (or the database URL given, which should be empty):
- append: entries per second through repository.log (head lookup, lock, hash, insert), with
  --per-tx entries in each transaction, as an import of that many answers would;
- verify: the whole `log verify` check (chain walk + comparison with stored data), median of 3.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from auditkit.services import changelog
from auditkit.storage import change_log
from auditkit.storage.db import close, transaction


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--per-tx", type=int, default=100)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        with transaction(db):
            pass  # create and migrate before timing
        started = time.perf_counter()
        for first in range(0, args.entries, args.per_tx):
            with transaction(db) as conn:
                for i in range(first, min(first + args.per_tx, args.entries)):
                    value = {"value": f"choice-{i % 7}", "comment": None, "evidence": []}
                    change_log.log(conn, "bench", "note", str(i), "answer", None, value, 1)
        append = time.perf_counter() - started
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            result = changelog.verify(db)
            timings.append(time.perf_counter() - started)
        assert result.ok and result.entries == args.entries, result.problems
        close(db)
    print(f"append: {args.entries} entries in {append:.2f} s ({args.entries / append:,.0f}/s)")
    print(f"verify: {args.entries} entries in {statistics.median(timings):.2f} s (median of 3)")


if __name__ == "__main__":
    main()
