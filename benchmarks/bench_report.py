"""Report benchmark: our pipeline vs weasyprint alone, and batch speed-up.

Run: .venv/bin/python benchmarks/bench_report.py [--runs 5] [--batch 10]
Builds a realistic audit (every shipped checklist answered, with comments) in a temporary
SQLite file, then prints medians (warm process), the overhead ratio, pages/second and the
speed-up of 2 worker processes over 1 for a batch of reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from auditkit import answers as answer_rules
from auditkit.checklists import load_directories
from auditkit.models.audit import Answer
from auditkit.models.checklist import AnswerType, Checklist, Question
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.report import pdf, renderers
from auditkit.report.build import report_moment
from auditkit.services import audits, batch, vendors
from auditkit.services import reports as service
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction

AS_OF = dt.date(2026, 11, 1)
COMMENT = (
    "Confirmed during the on-site review on 14 October; the vendor showed the configuration "
    "and the last quarterly review record. Follow-up items are tracked in their ticket system."
)


def realistic_answer(question: Question, index: int) -> str | None:
    """Mostly good answers, a partial or weak one now and then, as in a real assessment."""
    weak = index % 5 == 4
    if question.choices:
        ranked = sorted(question.choices, key=lambda c: -c.score)
        return ranked[min(1, len(ranked) - 1)].value if weak else ranked[0].value
    if question.type is AnswerType.NUMBER:
        return "30" if weak else "7"
    if question.type is AnswerType.DATE:
        return "2026-03-01"
    if question.type is AnswerType.EVIDENCE:
        return None if weak else "report-2026.pdf"
    return "See the attached policy; reviewed annually by the CISO."


def build_audit(db: str, checklists: dict[str, Checklist], name: str) -> int:
    vendor = vendors.add(
        db,
        Vendor(
            name=name,
            services=["site_hosting", "order_handling", "customer_support"],
            contact_email="security@example.com",
            profile=VendorProfile(
                handles_card_data=True,
                personal_data="high",
                system_access="limited",
                criticality="high",
            ),
        ),
        "bench",
    )
    audit = audits.start(db, vendor.name, checklists, "bench", as_of=AS_OF)
    state = audits.state(db, audit.id, checklists)
    answers = []
    for index, question in enumerate(q for c in state.checklists for q in c.questions):
        raw = realistic_answer(question, index)
        if raw is not None:
            value = answer_rules.parse(question, raw, AS_OF)
            answers.append(Answer(question_id=question.id, value=value, comment=COMMENT))
    with transaction(db) as conn:  # one transaction: the set-up is not what is measured
        repo.save_answers(conn, audit, answers, "bench")
    return audit.id


def median_time(func: Callable[[], object], runs: int) -> float:
    func()  # warm-up: imports, font loading, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def batch_time(db: str, out_dir: Path, workers: int) -> float:
    jobs = batch.latest_jobs(db, out_dir, "pdf", "en", None)
    start = time.perf_counter()
    errors = [r.error for r in batch.run_all(jobs, workers) if r.error]
    elapsed = time.perf_counter() - start
    assert not errors, errors
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    from pypdf import PdfReader

    checklists = load_directories()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        audit_id = build_audit(db, checklists, "Benchmark Vendor 0")
        data = service.load_input(db, audit_id, checklists)
        prepared = renderers.prepare(data, "en")
        moment = report_moment(data.state.audit)

        def ours() -> bytes:
            return service.render(service.load_input(db, audit_id, checklists), "pdf", "en")

        def weasy_alone() -> bytes:
            import weasyprint

            fetcher = pdf.fetcher(None)
            document = weasyprint.HTML(
                string=prepared.html, base_url=pdf.base_url(None), url_fetcher=fetcher
            )
            out: bytes = document.write_pdf(**pdf.options(prepared.json_bytes, moment, fetcher))
            return out

        pages = len(PdfReader(io.BytesIO(ours())).pages)
        questions = sum(len(c.questions) for c in data.state.checklists)
        t_ours, t_weasy = median_time(ours, args.runs), median_time(weasy_alone, args.runs)
        print(
            f"audit: {len(data.state.checklists)} checklists, {questions} questions, {pages} pages"
        )
        print(
            f"pipeline (ours, median of {args.runs}): {t_ours:.3f} s ({pages / t_ours:.1f} pages/s)"
        )
        print(f"weasyprint alone (same HTML/options):  {t_weasy:.3f} s")
        print(f"overhead: {100 * (t_ours / t_weasy - 1):+.1f}%  (target <= 10%)")
        for index in range(1, args.batch):
            build_audit(db, checklists, f"Benchmark Vendor {index}")
        for name in ("one", "two"):
            (Path(tmp) / name).mkdir()
        one = batch_time(db, Path(tmp) / "one", 1)
        two = batch_time(db, Path(tmp) / "two", 2)
        print(
            f"batch of {args.batch}: 1 process {one:.2f} s, 2 processes {two:.2f} s, "
            f"speed-up {one / two:.2f}x  (target >= 1.8x on 2 cores)"
        )


if __name__ == "__main__":
    main()
