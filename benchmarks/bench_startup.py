"""Start-up time of the light commands (DESIGN target: <= 0.2 s), median of several runs.

    .venv/bin/python benchmarks/bench_startup.py [--runs 9]

Also lists the heaviest imports of each command (python -X importtime).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AUDITKIT = [sys.executable, "-m", "auditkit"]


def median_seconds(args: list[str], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*AUDITKIT, *args], capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def heaviest_imports(args: list[str], count: int = 3) -> list[str]:
    done = subprocess.run(
        [*AUDITKIT, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and "." not in parts[2].strip():
            rows.append((int(parts[1]), parts[2].strip()))
    return [f"{name} {micros / 1000:.0f} ms" for micros, name in sorted(rows, reverse=True)[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run(
            [*AUDITKIT, "--db", db, "vendor", "add", "Bench Co"], check=True, capture_output=True
        )
        commands = [
            ["--help"],
            ["checklist", "list"],
            ["checklist", "show", "ssl_tls"],
            ["--db", db, "vendor", "list"],
        ]
        python = statistics.median([_time([sys.executable, "-c", "pass"]) for _ in range(runs)])
        print(f"python -c pass: median {python * 1000:.0f} ms (interpreter start-up)")
        for args in commands:
            seconds = median_seconds(args, runs)
            shown = " ".join(a for a in args if a != db).replace("--db ", "--db DB ")
            print(
                f"auditkit {shown:28s} median {seconds * 1000:4.0f} ms   "
                f"top-level imports: {', '.join(heaviest_imports(args))}"
            )


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
