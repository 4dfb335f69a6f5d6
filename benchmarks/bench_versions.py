"""`auditkit report` of the same audit by an earlier revision and by this tree, whole processes.

Run: .venv/bin/python benchmarks/bench_versions.py [--rev 057f50e] [--runs 3]
Unpacks the revision's `auditkit`, `benchmarks`, `checklists` and `report_templates` (git archive)
into a temporary directory, builds the benchmark audit (every shipped checklist answered, as
`bench_report.py` does) once with each side's own code, then times `python -m auditkit report`
with each side's code on `PYTHONPATH`, interleaved, in English and Japanese: median CPU seconds,
peak memory, pages and the ratio. Both sides use this interpreter and its installed libraries,
and a cache directory of their own. The default revision is the one before the lighter report
layout (30 November 2026), the "today" of the report CPU goal.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
BUILD = """
import sys
sys.path.insert(0, sys.argv[1] + "/benchmarks")
from bench_report import build_audit
from auditkit.checklists import load_directories
build_audit(sys.argv[2], load_directories(), "Sakura Commerce KK")
"""


def unpack(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", rev, "auditkit", "benchmarks", "checklists", "report_templates"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def environment(code: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(code), AUDITKIT_CACHE_DIR=str(cache))
    return env


def measured(code: Path, db: Path, cache: Path, lang: str, out: Path) -> tuple[float, float]:
    """CPU seconds and peak memory (MiB) of one `auditkit report` process."""
    args = [sys.executable, "-m", "auditkit", "--db", str(db), "report", "1", "-o", str(out)]
    child = subprocess.Popen(
        [*args, "--lang", lang],
        cwd=db.parent,  # not the repository: `auditkit` comes from PYTHONPATH
        env=environment(code, cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{code}: {err.decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rev", default="057f50e")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sides = {args.rev: unpack(args.rev, tmp / "before"), "this tree": ROOT}
        works = {name: tmp / f"side{index}" for index, name in enumerate(sides)}
        for name, code in sides.items():
            work = works[name]
            work.mkdir()
            subprocess.run(
                [sys.executable, "-c", BUILD, str(code), str(work / "bench.db")],
                cwd=work,
                env=environment(code, work / "cache"),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        print(f"load average {os.getloadavg()[0]:.2f} at start; median of {args.runs}")
        for lang in ("en", "ja"):
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
            for run in range(args.runs + 1):  # the first is a warm-up
                for name, code in sides.items():
                    work = works[name]
                    got = measured(code, work / "bench.db", work / "cache", lang, work / "r.pdf")
                    if run:
                        samples[name].append(got)
            figures = []
            for name in sides:
                cpu = statistics.median(s[0] for s in samples[name])
                peak = statistics.median(s[1] for s in samples[name])
                pages = len(PdfReader(works[name] / "r.pdf").pages)
                figures.append(cpu)
                print(f"  {lang} {name:>10}: {cpu:6.2f} s CPU {peak:5.0f} MiB {pages:3d} pages")
            print(f"  {lang} ratio: {figures[1] / figures[0]:.2f}x")
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
