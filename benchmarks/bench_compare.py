"""Comparison benchmark: 5 vendors, each audit answering every shipped question (~300).

Run: .venv/bin/python benchmarks/bench_compare.py [--runs 5] [--vendors 5]
Prints medians (warm process) of: loading and comparing the candidates (the table and
--json), rendering the comparison PDF, and rendering one audit report PDF, with the targets:
table < 0.5 s, comparison PDF < 2x one audit report.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_report import build_audit, median_time

from auditkit.checklists import load_directories
from auditkit.cli.compare_cmds import comparison_table
from auditkit.services import comparisons
from auditkit.services import reports as service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vendors", type=int, default=5)
    args = parser.parse_args()
    from pypdf import PdfReader

    checklists = load_directories()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        ids = [build_audit(db, checklists, f"Candidate {i}") for i in range(args.vendors)]
        questions = sum(len(c.questions) for c in checklists.values())

        def table() -> str:
            return comparison_table(comparisons.compare(db, checklists, audit_ids=ids))

        found = comparisons.compare(db, checklists, audit_ids=ids)

        def comparison_pdf() -> bytes:
            return comparisons.render(found, "pdf", "en")

        def audit_pdf() -> bytes:
            return service.render(service.load_input(db, ids[0], checklists), "pdf", "en")

        pages = len(PdfReader(io.BytesIO(comparison_pdf())).pages)
        t_table = median_time(table, args.runs)
        t_compare = median_time(comparison_pdf, args.runs)
        t_audit = median_time(audit_pdf, args.runs)
        print(f"{args.vendors} vendors x {questions} questions (median of {args.runs})")
        print(f"load + compare + table: {t_table:.3f} s  (target < 0.5 s)")
        print(f"comparison PDF ({pages} pages): {t_compare:.3f} s")
        print(f"one audit report PDF:  {t_audit:.3f} s")
        print(f"ratio: {t_compare / t_audit:.2f}x  (target < 2x)")


if __name__ == "__main__":
    main()
