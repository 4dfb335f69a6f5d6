"""Import speed of a filled 300-question workbook (target: well under one second).

Run: .venv/bin/python benchmarks/bench_import.py [--runs 7] [--questions 300]

Measures medians over several runs of:
- parse: safety checks + reading the workbook;
- parse+validate: the above plus every check against the audit (a dry run; nothing stored);
- parse+validate+store: a full import into a fresh SQLite file (one transaction).
The checklists are synthesised here so the question count does not depend on the shipped set.
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
from typing import Any

from auditkit.exchange.importer import read
from auditkit.models.checklist import Checklist
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.services import audits, vendors
from auditkit.services.exchange import export_questionnaire, import_file
from auditkit.storage.db import close

AS_OF = dt.date(2026, 11, 1)
YES_NO = [{"value": "yes", "label": {"en": "Yes", "ja": "はい"}, "score": 1.0},
          {"value": "no", "label": {"en": "No", "ja": "いいえ"}, "score": 0.0}]  # fmt: skip
LEVELS = [{"value": f"level{n}", "label": {"en": f"Level {n}", "ja": f"レベル{n}"}, "score": n / 3}
          for n in range(4)]  # fmt: skip
BANDS = [{"max": 30, "score": 1.0}, {"score": 0.0}]
KINDS: list[tuple[str, dict[str, Any], Any]] = [
    ("yes_no", {"choices": YES_NO}, "Yes"),
    ("single_choice", {"choices": LEVELS}, "Level 2"),
    ("multi_choice", {"choices": LEVELS}, "level1, level3"),
    ("number", {"bands": BANDS, "allow_na": True, "unit": {"en": "days", "ja": "日"}}, 12),
    ("date", {"bands": BANDS}, dt.datetime(2026, 6, 30)),
    ("text", {"weight": 0}, "Documented in the security policy, section 4.2 ✓"),
]


def synthetic(count: int, per_checklist: int = 30) -> dict[str, Checklist]:
    checklists: dict[str, Checklist] = {}
    for c in range(0, count, per_checklist):
        cid = f"bench{c // per_checklist:02d}"
        questions = []
        for n in range(min(per_checklist, count - c)):
            kind, extra = KINDS[n % len(KINDS)][:2]
            questions.append({
                "id": f"{cid}.q{n:03d}", "type": kind, "weight": 1, "severity": "medium",
                "text": {"en": f"Question {n} of {cid}?", "ja": f"{cid}の質問{n}"},
                "remediation": {"en": "Fix it.", "ja": "是正してください。"},
                "references": {"iso27001-2022": ["A.5.1"]}, **extra,
            })  # fmt: skip
        checklists[cid] = Checklist.model_validate(
            {"id": cid, "version": "1.0.0", "title": {"en": cid, "ja": cid}, "questions": questions}
        )
    return checklists


def prepare(folder: Path, checklists: dict[str, Checklist]) -> tuple[Path, Path]:
    """A database with one draft audit, and the vendor's filled workbook for it."""
    import openpyxl

    db = folder / "template.db"
    vendors.add(str(db), Vendor(name="Bench KK", profile=VendorProfile()), "bench")
    audit_id = audits.start(str(db), "Bench KK", checklists, "bench", as_of=AS_OF).id
    assert audit_id == 1
    path = folder / "filled.xlsx"
    export_questionnaire(str(db), audit_id, checklists, path, blank=True)
    workbook = openpyxl.load_workbook(path)
    values = {kind: typed for kind, _, typed in KINDS}
    state = audits.state(str(db), audit_id, checklists)
    for sheet in workbook.worksheets[1:-2]:
        for row in range(2, sheet.max_row + 1):
            question = state.question(sheet.cell(row, 8).value)
            assert question is not None
            sheet.cell(row, 5).value = values[question.type.value]
            sheet.cell(row, 6).value = f"Comment {row} — コメント 🎉"
            sheet.cell(row, 7).value = f"EV-{row}.pdf"
    workbook.save(path)
    close(str(db))  # closing the last connection checkpoints the WAL into the file
    return db, path


def median_time(action: Callable[[int], object], runs: int) -> float:
    times = []
    for n in range(runs):
        started = time.perf_counter()
        action(n)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    checklists = synthetic(args.questions)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        template, path = prepare(folder, checklists)
        fresh = [folder / f"run{n}.db" for n in range(args.runs + 1)]
        for target in fresh:
            shutil.copy(template, target)
        import_file(
            str(fresh[-1]), 1, path, checklists, "bench"
        )  # warm-up, also a correctness check

        def store(n: int) -> None:
            result = import_file(str(fresh[n]), 1, path, checklists, "bench")
            assert len(result.changes) == args.questions

        results = {
            "parse": median_time(lambda _: read(path), args.runs),
            "parse+validate": median_time(
                lambda _: import_file(str(template), 1, path, checklists, "bench", dry_run=True),
                args.runs,
            ),
            "parse+validate+store": median_time(store, args.runs),
        }
    finally:
        shutil.rmtree(folder)
    print(f"{args.questions}-question workbook ({path.name}), median of {args.runs} runs:")
    for name, seconds in results.items():
        print(f"  {name:<22} {seconds * 1000:7.1f} ms   ({seconds:.2f}x of the 1 s target)")


if __name__ == "__main__":
    main()
