"""Comparison benchmark: 5 vendors, each audit answering 300 questions (every shipped
question that applies, plus a generated checklist that makes up the difference).

Run: .venv/bin/python benchmarks/bench_compare.py [--runs 5] [--vendors 5]
Prints medians (warm process, wall and CPU) of: loading and comparing the candidates (the table and
--json), rendering the comparison PDF, and rendering one audit report PDF, with the targets:
table < 0.5 s, comparison PDF < 2x one audit report.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_report import build_audit, load

from auditkit.checklists import load_directories
from auditkit.cli.compare_cmds import comparison_table
from auditkit.models.checklist import Checklist
from auditkit.services import comparisons
from auditkit.services import reports as service

QUESTIONS = 300
YES_PARTIAL_NO = [
    {"value": "yes", "label": {"en": "Yes", "ja": "はい"}, "score": 1.0},
    {"value": "partial", "label": {"en": "Partially", "ja": "一部"}, "score": 0.5},
    {"value": "no", "label": {"en": "No", "ja": "いいえ"}, "score": 0.0},
]


def extra_checklist(count: int) -> Checklist:
    """`count` generic yes/partial/no questions, so that each audit has QUESTIONS in all."""
    question = {
        "type": "yes_no_partial",
        "choices": YES_PARTIAL_NO,
        "weight": 1,
        "severity": "medium",
        "remediation": {"en": "Put the control in place.", "ja": "管理策を導入してください。"},
        "references": {"iso27001-2022": ["A.5.1"]},
    }
    return Checklist.model_validate(
        {
            "id": "bench_extra",
            "version": "1.0.0",
            "title": {"en": "Benchmark extra controls", "ja": "ベンチマーク追加管理策"},
            "questions": [
                {
                    **question,
                    "id": f"bench_extra.q{n:03d}",
                    "text": {
                        "en": f"Is benchmark control {n} in place and reviewed each year?",
                        "ja": f"ベンチマーク管理策 {n} は導入され、毎年見直されていますか。",
                    },
                }
                for n in range(count)
            ],
        }
    )


def interleaved(tasks: dict[str, Callable[[], Any]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each task, the tasks run in turn (A, B, C, A, B, C...)
    after one warm-up each, so machine load hits them alike."""
    for task in tasks.values():
        task()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in tasks}
    for _ in range(runs):
        for name, task in tasks.items():
            wall, cpu = time.perf_counter(), time.process_time()
            task()
            times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        name: (statistics.median(w for w, _ in got), statistics.median(c for _, c in got))
        for name, got in times.items()
    }


def asked(db: str, audit_id: int, checklists: dict[str, Checklist]) -> int:
    """Questions that apply to the audit (the ones it answers)."""
    result = service.load_input(db, audit_id, checklists).result
    return sum(q.status != "skipped" for d in result.domains for q in d.questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vendors", type=int, default=5)
    args = parser.parse_args()
    from pypdf import PdfReader

    checklists = dict(load_directories())
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        first = build_audit(db, checklists, "Candidate 0")
        shipped = asked(db, first, checklists)
        checklists["bench_extra"] = extra_checklist(QUESTIONS - shipped)
        ids = [build_audit(db, checklists, f"Candidate {i}") for i in range(1, args.vendors + 1)]
        questions = asked(db, ids[0], checklists)

        def table() -> str:
            return comparison_table(comparisons.compare(db, checklists, audit_ids=ids))

        found = comparisons.compare(db, checklists, audit_ids=ids)

        def comparison_pdf() -> bytes:
            return comparisons.render(found, "pdf", "en")

        def audit_pdf() -> bytes:
            return service.render(service.load_input(db, ids[0], checklists), "pdf", "en")

        pages = len(PdfReader(io.BytesIO(comparison_pdf())).pages)
        audit_pages = len(PdfReader(io.BytesIO(audit_pdf())).pages)
        print(f"at start: {load()}")
        # the table first, on its own: after a PDF render the heap is large and the garbage
        # collector would bill the renderer's objects to it
        t_table, c_table = interleaved({"table": table}, args.runs)["table"]
        got = interleaved({"comparison": comparison_pdf, "audit": audit_pdf}, args.runs)
        (t_compare, c_compare), (t_audit, c_audit) = got["comparison"], got["audit"]
        print(f"{args.vendors} vendors x {questions} questions (median of {args.runs}, wall / CPU)")
        print(f"load + compare + table: {t_table:.3f} s / {c_table:.3f} s  (target < 0.5 s)")
        print(f"comparison PDF ({pages} pages): {t_compare:.3f} s / {c_compare:.3f} s")
        print(f"one audit report PDF ({audit_pages} pages): {t_audit:.3f} s / {c_audit:.3f} s")
        print(
            f"ratio comparison / audit: {t_compare / t_audit:.2f}x wall, "
            f"{c_compare / c_audit:.2f}x CPU  (target < 2x)"
        )
        print(f"at end: {load()}")


if __name__ == "__main__":
    main()
