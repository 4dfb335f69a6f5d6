"""Hostile inputs: wall time and peak memory of each, through the real CLI in a subprocess.

Run: .venv/bin/python benchmarks/bench_hostile.py [--race-rounds 40] [--old-regex]

Each case runs `python -m auditkit ...` with a 1 GB address-space cap and a 300 s timeout and
reports the exit status, wall time and the child's peak resident memory (ru_maxrss). Cases:
- quotes-2MB.json: `"` then `\\"` repeated (quadratic for a backtracking regex pre-scan);
- deep-200k.json: 200,000 nested arrays;
- zero.json/.yaml/.xlsx: symlinks to /dev/zero; fifo.json: a FIFO nobody writes to;
- u2029: a text answer " \\u2029" then `report -o x.pdf`;
- race: import and finalize started in separate processes, finalize delayed 0..0.3 s;
  counts rounds where answers were written after the audit became final.
`--old-regex` also times the former pre-scan pattern on 32/64/128 KB for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from auditkit.models.vendor import Vendor
from auditkit.services import audits, vendors
from auditkit.services.exchange import export_questionnaire

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "report_checklists"
CAP = 1024**3


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def cli(db: Path, *args: str, timeout: float = 300) -> tuple[int | str, float, float, str]:
    """(exit status or 'timeout', seconds, peak MB of this child, first stderr line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    command = [sys.executable, "-m", "auditkit", "--db", str(db), "--as", "bench"]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [*command, "--checklists", str(FIXTURES), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_cap,
        )
        status: int | str = done.returncode
        first = (done.stderr.splitlines() or [""])[0]
    except subprocess.TimeoutExpired:
        status, first = "timeout", ""
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return status, seconds, peak, first[:100]


def setup(folder: Path, name: str) -> tuple[Path, int]:
    from tests.builders import basics

    db = folder / f"{name}.db"
    vendor = vendors.add(str(db), Vendor(name=name), "bench")
    audit = audits.start(str(db), vendor.name, {"rpt_basics": basics()}, "bench")
    return db, audit.id


def file_cases(folder: Path) -> None:
    db, audit_id = setup(folder, "Files KK")
    quotes = folder / "quotes-2MB.json"
    quotes.write_bytes(b'"' + b'\\"' * (1024 * 1024 - 1))
    deep = folder / "deep-200k.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    cases = [quotes, deep]
    for suffix in (".json", ".yaml", ".xlsx"):
        link = folder / f"zero{suffix}"
        link.symlink_to("/dev/zero")
        cases.append(link)
    fifo = folder / "fifo.json"
    os.mkfifo(fifo)
    cases.append(fifo)
    for path in cases:
        status, seconds, peak, line = cli(db, "audit", "import", str(audit_id), str(path))
        size = path.stat().st_size if path.is_file() else 0
        print(
            f"{path.name:16} {size:>9} B  exit {status!s:7} {seconds:6.2f} s  {peak:6.0f} MB",
            line,
        )


def u2029_case(folder: Path) -> None:
    db, audit_id = setup(folder, "Separator KK")
    cli(db, "audit", "answer", str(audit_id), "rpt_basics.notes", "see \u2029below")
    status, seconds, peak, line = cli(db, "report", str(audit_id), "-o", str(folder / "x.pdf"))
    print(
        f"{'u2029 report':16} {'':>9}    exit {status!s:7} {seconds:6.2f} s  {peak:6.0f} MB  {line}"
    )


def race(folder: Path, rounds: int) -> None:
    from tests.builders import basics, fill_document

    db = folder / "race.db"
    late_rounds = refused = worst = 0
    worst_seconds = 0.0
    for n in range(rounds):
        vendor = vendors.add(str(db), Vendor(name=f"Race {n}"), "bench")
        audit_id = audits.start(str(db), vendor.name, {"rpt_basics": basics()}, "bench").id
        path = folder / f"race-{n}.json"
        export_questionnaire(str(db), audit_id, {"rpt_basics": basics()}, path)
        fill_document(
            path, {"rpt_basics.tls": {"answer": "yes"}, "rpt_basics.mfa": {"answer": "no"}}
        )
        base = [sys.executable, "-m", "auditkit", "--db", str(db), "--checklists", str(FIXTURES)]
        started = time.perf_counter()
        quiet = {"stderr": subprocess.DEVNULL, "stdout": subprocess.DEVNULL}
        importer = subprocess.Popen([*base, "audit", "import", str(audit_id), str(path)], **quiet)
        time.sleep(0.3 * (n % 10) / 10)
        finalize = ["audit", "finalize", str(audit_id), "--reviewer", "R"]
        finalizer = subprocess.Popen([*base, *finalize], **quiet)
        refused += importer.wait() == 5
        finalizer.wait()
        worst_seconds = max(worst_seconds, time.perf_counter() - started)
        log = audits.changes(str(db), audit_id)
        final = next(i for i, c in enumerate(log) if c.field == "status" and c.new == "final")
        late = sum(c.entity == "answer" for c in log[final + 1 :])
        late_rounds += late > 0
        worst = max(worst, late)
    print(
        f"race: {rounds} rounds, {late_rounds} with answers after final (worst {worst}), "
        f"{refused} imports refused as final, slowest round {worst_seconds:.2f} s"
    )


def old_regex() -> None:
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
    for kb in (32, 64, 128):
        text = '"' + '\\"' * (kb * 512)
        started = time.perf_counter()
        pattern.sub("", text)
        print(f"old pre-scan regex on {kb} KB: {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--race-rounds", type=int, default=40)
    parser.add_argument("--old-regex", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        folder = Path(tmp)
        file_cases(folder)
        u2029_case(folder)
        if args.race_rounds:
            race(folder, args.race_rounds)
    if args.old_regex:
        old_regex()
    print(json.dumps({"python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
