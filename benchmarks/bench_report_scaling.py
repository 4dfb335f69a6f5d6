"""Report size scaling: 100 / 300 / 1000 / 3000 questions, whole processes.

Run: .venv/bin/python benchmarks/bench_report_scaling.py [--sizes 100 300 1000 3000] [--runs 1]
For each size, builds checklists of that many questions (the shipped questions reused in
domains of 20, with new ids and no conditions), an audit answering every question with a
comment, then times `auditkit report ID -o x.pdf` and a plain weasyprint process on the same
HTML and options, interleaved. Prints CPU and wall seconds, time per question, pages, peak
memory (max RSS of the process) and peak memory per page, and the ratio to plain weasyprint.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_report import AS_OF, AUDITKIT, ENV, PLAIN_WEASYPRINT, build_audit, load

from auditkit.checklists import load_directories
from auditkit.models.checklist import Checklist

PER_DOMAIN = 20


def scaled_checklists(size: int, directory: Path) -> dict[str, Checklist]:
    """`size` questions in domains of PER_DOMAIN, written to `directory` and returned."""
    pool = [q for c in load_directories().values() for q in c.questions if q.applies_if is None]
    template = next(iter(load_directories().values()))
    out: dict[str, Checklist] = {}
    for first in range(0, size, PER_DOMAIN):
        domain = f"scale_{first // PER_DOMAIN:03d}"
        questions = [
            pool[(first + i) % len(pool)].model_copy(
                update={"id": f"{domain}.q{first + i:04d}", "examples": None}
            )
            for i in range(min(PER_DOMAIN, size - first))
        ]
        checklist = template.model_copy(
            update={"id": domain, "questions": questions, "applies_if": None}
        )
        data = checklist.model_dump(mode="json", exclude_none=True, by_alias=True)
        (directory / f"{domain}.yaml").write_text(json.dumps(data, ensure_ascii=False))
        out[domain] = Checklist.model_validate(data)
    return out


def measured(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MiB) of one process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )  # fmt: skip
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{args[:6]} failed: {err.decode()[-500:]}")
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    from pypdf import PdfReader

    from auditkit.report import renderers
    from auditkit.report.build import report_moment
    from auditkit.services import reports as service

    print(f"{load()} at start, {os.cpu_count()} CPUs; median of {args.runs} run(s)")
    print(
        f"{'questions':>9} {'pages':>5} | {'auditkit CPU':>12} {'wall':>7} {'ms/question':>11} "
        f"{'peak MiB':>8} {'MiB/page':>8} | {'weasyprint CPU':>14} {'peak MiB':>8} | "
        f"{'CPU ratio':>9}"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            (tmp / "checklists").mkdir()
            checklists = scaled_checklists(size, tmp / "checklists")
            db = str(tmp / "bench.db")
            audit_id = build_audit(db, checklists, f"Scaling Vendor {size}")
            everything = load_directories([tmp / "checklists"])
            data = service.load_input(db, audit_id, everything)
            prepared = renderers.prepare(data, "en")
            (tmp / "report.html").write_text(prepared.html, encoding="utf-8")
            (tmp / "audit.json").write_bytes(prepared.json_bytes)
            moment = report_moment(data.state.audit).isoformat()
            ours = [
                *AUDITKIT,
                "--db",
                db,
                "--checklists",
                str(tmp / "checklists"),
                "report",
                str(audit_id),
                "-o",
                str(tmp / "a.pdf"),
            ]
            plain = [
                sys.executable,
                "-c",
                PLAIN_WEASYPRINT,
                *(str(tmp / n) for n in ("report.html", "audit.json", "w.pdf")),
                moment,
            ]
            samples: dict[str, list[tuple[float, float, float]]] = {"ours": [], "plain": []}
            for _ in range(args.runs):
                samples["ours"].append(measured(ours))
                samples["plain"].append(measured(plain))
            pages = len(PdfReader(io.BytesIO((tmp / "a.pdf").read_bytes())).pages)
            wall, cpu, peak = (statistics.median(s[i] for s in samples["ours"]) for i in range(3))
            _, plain_cpu, plain_peak = (
                statistics.median(s[i] for s in samples["plain"]) for i in range(3)
            )
            print(
                f"{size:>9} {pages:>5} | {cpu:>10.2f} s {wall:>5.1f} s {1000 * cpu / size:>11.1f} "
                f"{peak:>8.0f} {peak / pages:>8.2f} | {plain_cpu:>12.2f} s {plain_peak:>8.0f} | "
                f"{cpu / plain_cpu:>8.2f}x",
                flush=True,
            )
    print(f"{load()} at the end; AS_OF {AS_OF}")


if __name__ == "__main__":
    main()
