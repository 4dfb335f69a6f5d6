"""Standard questionnaires: convert a 300-question CAIQ-shaped workbook and import a filled
copy (target: each under one second), and what each shipped mapping covers.

Run: .venv/bin/python benchmarks/bench_standards.py [--runs 5] [--questions 300]

Measures median wall and CPU times over several runs of (set-up outside the timing):
- convert: `checklist convert` of the template (read, convert, validate, write YAML);
- import dry run: read the filled workbook and plan every answer against the audit;
- import: the same, stored into a fresh SQLite file in one transaction (file kept as evidence).
Then, per shipped mapping in checklists/mappings/: how many of the standard's question ids
are mapped, onto how many distinct auditkit questions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from auditkit.checklists import all_questions, load_directories
from auditkit.exchange.standards import mappings
from auditkit.exchange.standards.files import convert_file
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.services import audits, vendors
from auditkit.services.standards import import_standard
from auditkit.storage.db import close

AS_OF = dt.date(2026, 11, 1)
DOMAINS = ["AAA", "BCR", "CCC", "CEK", "DCS", "DSP", "GRC", "HRS", "IAM", "IPY", "IVS", "LOG"]


def workbook(path: Path, count: int, filled: bool) -> Path:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "CAIQ"
    sheet.merge_cells("A1:E1")
    sheet["A1"] = "Questionnaire"
    sheet.append(["Question ID", "Question", "CSP CAIQ Answer", "Notes", "CCM Domain Title"])
    validation = DataValidation(type="list", formula1='"Yes,No,NA"')
    sheet.add_data_validation(validation)
    for n in range(count):
        domain = DOMAINS[n % len(DOMAINS)]
        qid = f"{domain}-{n // len(DOMAINS) + 1:02d}.1"
        answer = ("Yes", "No", "NA")[n % 3] if filled else None
        notes = f"Evidence in policy section {n}" if filled else None
        sheet.append([qid, f"Is control {qid} implemented?", answer, notes, f"Domain {domain}"])
    validation.add(f"C3:C{count + 2}")
    book.save(path)
    return path


def median(runs: int, action: Callable[[int], object]) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (steadier on a busy machine)."""
    wall, cpu = [], []
    for run in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action(run)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def show(label: str, times: tuple[float, float]) -> None:
    print(f"{label:32} {times[0] * 1000:7.1f} ms wall, {times[1] * 1000:7.1f} ms CPU (medians)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-standards-"))
    try:
        template = workbook(work / "template.xlsx", args.questions, filled=False)
        filled = workbook(work / "filled.xlsx", args.questions, filled=True)
        out = work / "out"
        show(
            f"convert {args.questions} questions",
            median(args.runs, lambda _: convert_file(template, "caiq", out, force=True)),
        )
        checklists = load_directories((out,))
        mapping = out / "mappings" / "caiq.yaml"
        for dry, label in ((True, "import dry run"), (False, "import (stored)")):
            dbs: list[tuple[str, int]] = []
            for run in range(args.runs):  # set-up outside the timing: a vendor and an audit
                db = str(work / f"{label[:10].strip()}{run}.db")
                vendor = Vendor(name=f"V{run}", services=[], profile=VendorProfile())
                vendors.add(db, vendor, "bench")
                audit = audits.start(db, vendor.name, checklists, "bench", as_of=AS_OF)
                dbs.append((db, audit.id))

            def timed(run: int, dry: bool = dry, dbs: list[tuple[str, int]] = dbs) -> None:
                db, audit_id = dbs[run]
                import_standard(db, audit_id, filled, "caiq", checklists, "bench", mapping,
                                dry_run=dry)  # fmt: skip

            show(f"{label} {args.questions} answers", median(args.runs, timed))
            for db, _ in dbs:
                close(db)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    coverage()


def coverage() -> None:
    shipped = all_questions(load_directories())
    print(f"\nshipped mappings (auditkit ships {len(shipped)} questions):")
    for path in mappings.shipped_files():
        mapping = mappings.load(path)
        sources = {e.source for e in mapping.entries}
        targets = {e.target for e in mapping.entries}
        print(
            f"  {path.stem:7} {len(sources):3} of the standard's question/choice ids mapped "
            f"onto {len(targets):2} auditkit questions"
        )


if __name__ == "__main__":
    main()
