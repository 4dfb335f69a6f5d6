"""Size scaling: `audit score`, `audit export` and `audit import --dry-run` as whole processes
(imports included) on audits of 100 / 300 / 1000 / 3000 questions, printing the time per
question; medians of interleaved runs, with the load average.

    .venv/bin/python benchmarks/bench_sizes.py [--sizes 100,300,1000,3000] [--runs 3]

Each size gets its own database with one draft audit over synthetic checklists (written as
YAML into a user checklist directory, as a user would add them), answered through a filled
workbook; the processes load the shipped checklists too, as users run them.
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

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from bench_import import prepare, synthetic

from auditkit.services.exchange import import_file
from auditkit.storage.db import close

AUDITKIT = [sys.executable, "-m", "auditkit"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def setup(folder: Path, size: int) -> tuple[list[str], dict[str, list[str]]]:
    """The global options for this size's database and checklists, and its commands."""
    checklists = synthetic(size)
    directory = folder / "checklists"
    directory.mkdir()
    for checklist in checklists.values():
        data = checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (directory / f"{checklist.id}.yaml").write_text(text, encoding="utf-8")
    db, filled = prepare(folder, checklists)
    import_file(str(db), 1, filled, checklists, "bench")  # the answers the commands work on
    close(str(db))
    base = ["--db", str(db), "--checklists", str(directory)]
    commands = {
        "audit score": ["audit", "score", "1"],
        "audit export (xlsx)": ["audit", "export", "1", "-o", str(folder / "out.xlsx")],
        "audit export (yaml)": ["audit", "export", "1", "-o", str(folder / "out.yaml")],
        "audit import --dry-run": ["audit", "import", "1", str(filled), "--dry-run"],
    }
    return base, commands


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[:300]}")  # type: ignore[union-attr]
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000,3000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        jobs: dict[tuple[str, int], list[str]] = {}
        for size in sizes:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            base, commands = setup(folder, size)
            for name, command in commands.items():
                jobs[(name, size)] = [*AUDITKIT, *base, *command]
        for job in jobs.values():  # warm-up: bytecode and the checklist parse cache written
            run(job)
        samples: dict[tuple[str, int], list[tuple[float, float]]] = {k: [] for k in jobs}
        for _ in range(args.runs):  # interleaved: load changes hit every size alike
            for key, job in jobs.items():
                samples[key].append(run(job))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"median of {args.runs} runs, load average {load} on {os.cpu_count()} CPUs")
    print(f"{'command':<24} {'questions':>9} {'wall s':>8} {'CPU s':>7} {'CPU ms/question':>16}")
    for (name, size), runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:<24} {size:>9} {wall:8.2f} {cpu:7.2f} {cpu / size * 1000:16.2f}")


if __name__ == "__main__":
    main()
