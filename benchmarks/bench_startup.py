"""Start-up of the light commands against `auditkit --help` (goals: `checklist list` <= 100 ms
and `vendor list` <= 150 ms where `--help` takes ~51 ms), whole processes with bytecode
cached, interleaved runs, medians of wall and CPU time, the ratio to `--help`, the load
average, and each command's heaviest top-level imports (python -X importtime).

    .venv/bin/python benchmarks/bench_startup.py [--runs 9]
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
# as an installed package runs: with bytecode cached (some shells set PYTHONDONTWRITEBYTECODE)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()[:300]}")  # type: ignore[union-attr]
    return wall, usage.ru_utime + usage.ru_stime


def heaviest_imports(args: list[str], count: int = 3) -> list[str]:
    done = subprocess.run(
        [*AUDITKIT, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**ENV, "PYTHONPROFILEIMPORTTIME": "1"},
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
        subprocess.run([*AUDITKIT, "--db", db, "vendor", "add", "Bench Co"], check=True, env=ENV,
                       capture_output=True)  # fmt: skip
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "--help": [*AUDITKIT, "--help"],
            "checklist list": [*AUDITKIT, "checklist", "list"],
            "checklist show ssl_tls": [*AUDITKIT, "checklist", "show", "ssl_tls"],
            "vendor list": [*AUDITKIT, "--db", db, "vendor", "list"],
            "due": [*AUDITKIT, "--db", db, "due"],
            "audit list": [*AUDITKIT, "--db", db, "audit", "list"],
        }
        for command in commands.values():  # warm-up: bytecode and the checklist cache written
            run(command)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(runs):  # interleaved: load changes hit every command alike
            for name, command in commands.items():
                samples[name].append(run(command))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        median = {
            name: tuple(statistics.median(s[i] for s in runs_) for i in (0, 1))
            for name, runs_ in samples.items()
        }
        print(f"median of {runs} runs, load average {load} on {os.cpu_count()} CPUs")
        print(
            f"{'command':<24} {'wall ms':>8} {'CPU ms':>7} {'CPU / --help':>13}  heaviest imports"
        )
        for name, (wall, cpu) in median.items():
            args = commands[name][len(AUDITKIT) :] if name != "python -c pass" else None
            heavy = ", ".join(heaviest_imports(args)) if args else ""
            ratio = cpu / median["--help"][1]
            print(f"{name:<24} {wall * 1000:8.0f} {cpu * 1000:7.0f} {ratio:12.2f}x  {heavy}")


if __name__ == "__main__":
    main()
