"""Report benchmark: whole processes, as users wait for them, against plain weasyprint.

Run: .venv/bin/python benchmarks/bench_report.py [--runs 5] [--batch 10]
Builds a realistic audit (every shipped checklist answered, with comments) in a temporary
SQLite file, then, with runs interleaved so machine load hits both sides alike, prints medians
of wall and CPU time for
- `auditkit report ID -o x.pdf` vs a plain weasyprint process on the same HTML and options,
- `auditkit report --all --force` with `--jobs 1` and `--jobs 2` (speed-up, load average),
  beside the anchor: two plain weasyprint processes one after the other vs side by side,
- `auditkit report --all` again with nothing changed (the render cache's re-run cost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from auditkit import answers as answer_rules
from auditkit.checklists import load_directories
from auditkit.models.audit import Answer
from auditkit.models.checklist import AnswerType, Checklist, Question
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.report import renderers
from auditkit.services import audits, vendors
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


PLAIN_WEASYPRINT = """
import datetime as dt, sys, weasyprint
from pathlib import Path
from auditkit.report import pdf
html, data, out, moment = Path(sys.argv[1]).read_text(), Path(sys.argv[2]).read_bytes(), \\
    Path(sys.argv[3]), dt.datetime.fromisoformat(sys.argv[4])
fetcher = pdf.fetcher(None)
doc = weasyprint.HTML(string=html, base_url=pdf.base_url(None), url_fetcher=fetcher)
with pdf.source_date_epoch(moment):
    out.write_bytes(doc.write_pdf(**pdf.options(data, moment, fetcher)))
"""
# two plain weasyprint processes, one after the other ("1") or side by side ("2")
PLAIN_PAIR = """
import subprocess, sys
args = [sys.executable, "-c", sys.argv[2], *sys.argv[3:]]
if sys.argv[1] == "1":
    for _ in range(2):
        subprocess.run(args, check=True)
else:
    for child in [subprocess.Popen(args) for _ in range(2)]:
        assert child.wait() == 0
"""
AUDITKIT = [sys.executable, "-m", "auditkit"]
# as an installed package runs: with bytecode cached (some shells set PYTHONDONTWRITEBYTECODE)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child and its workers) of one process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=ENV)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time per command, the commands taking turns in every round."""
    for args in commands.values():  # warm-up: bytecode written, files in the page cache
        timed(args)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            samples[name].append(timed(args))
    return {
        name: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
        for name, s in samples.items()
    }


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    from pypdf import PdfReader

    checklists = load_directories()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = str(tmp / "bench.db")
        audit_id = build_audit(db, checklists, "Benchmark Vendor 0")
        data = service.load_input(db, audit_id, checklists)
        prepared = renderers.prepare(data, "en")
        (tmp / "report.html").write_text(prepared.html, encoding="utf-8")
        (tmp / "audit.json").write_bytes(prepared.json_bytes)
        from auditkit.report.build import report_moment

        moment = report_moment(data.state.audit).isoformat()
        base = [*AUDITKIT, "--db", db]
        print(f"{load()} at start, {os.cpu_count()} CPUs")
        plain_args = [
            PLAIN_WEASYPRINT,
            *(str(tmp / n) for n in ("report.html", "audit.json", "w.pdf")),
            moment,
        ]
        single = interleaved(
            {
                "auditkit report": [*base, "report", str(audit_id), "-o", str(tmp / "a.pdf")],
                "plain weasyprint": [
                    sys.executable,
                    "-c",
                    PLAIN_WEASYPRINT,
                    *(str(tmp / n) for n in ("report.html", "audit.json", "w.pdf")),
                    moment,
                ],
            },
            args.runs,
        )
        pages = len(PdfReader(io.BytesIO((tmp / "a.pdf").read_bytes())).pages)
        questions = sum(len(c.questions) for c in data.state.checklists)
        print(f"one report: {questions} questions, {pages} pages, median of {args.runs} runs")
        (ours_wall, ours_cpu), (plain_wall, plain_cpu) = single.values()
        print(f"  auditkit report   {ours_wall:6.2f} s wall {ours_cpu:6.2f} s CPU")
        print(f"  plain weasyprint  {plain_wall:6.2f} s wall {plain_cpu:6.2f} s CPU")
        print(f"  ratio: wall {ours_wall / plain_wall:.2f}x, CPU {ours_cpu / plain_cpu:.2f}x")
        print(f"  {load()}")

        for index in range(1, args.batch):
            build_audit(db, checklists, f"Benchmark Vendor {index}")
        batch = [*base, "report", "--all", "--out-dir", str(tmp / "batch")]
        runs = max(1, args.runs // 2)
        jobs = interleaved({n: [*batch, "--force", "--jobs", n] for n in ("1", "2")}, runs)
        (one, one_cpu), (two, two_cpu) = jobs["1"], jobs["2"]
        print(f"batch of {args.batch} (--force), median of {runs}:")
        # the CPU of forkserver workers is not counted: they are not children of the command
        print(f"  --jobs 1 {one:6.2f} s wall ({one_cpu:.2f} s CPU in the main process)")
        print(f"  --jobs 2 {two:6.2f} s wall ({two_cpu:.2f} s CPU in the main process)")
        print(f"  speed-up {one / two:.2f}x  ({load()})")
        pair = interleaved(
            {
                "one after the other": [sys.executable, "-c", PLAIN_PAIR, "1", *plain_args],
                "side by side": [sys.executable, "-c", PLAIN_PAIR, "2", *plain_args],
            },
            runs,
        )
        (seq, _), (par, _) = pair.values()
        print(
            f"  anchor, two plain weasyprint renders: {seq:.2f} s one after the other, "
            f"{par:.2f} s side by side = {seq / par:.2f}x  ({load()})"
        )
        rerun = interleaved({"unchanged": [*batch, "--jobs", "2"]}, args.runs)["unchanged"]
        print(
            f"re-run with nothing changed: {rerun[0]:.2f} s wall, {rerun[1]:.2f} s CPU "
            f"= {rerun[0] / two:.3f}x of rendering the batch with --jobs 2"
        )


if __name__ == "__main__":
    main()
