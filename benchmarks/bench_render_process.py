"""Process-level costs of one render, in one process, runs interleaved, CPU-time medians:
weasyprint with the garbage collector paused around it (auditkit.gc_pause) vs not; template
environment reused vs built anew; checklists from the parse cache vs parsed from YAML.

    .venv/bin/python benchmarks/bench_render_process.py [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench_report import build_audit

from auditkit import checklist_cache
from auditkit.checklists import checklist_files, load_directories, parse_file
from auditkit.paths import checklists_dir
from auditkit.report import pdf, renderers
from auditkit.report.build import report_moment
from auditkit.report.environment import build_environment
from auditkit.services import reports as service


def cpu(func: Callable[[], object]) -> float:
    start = time.process_time()
    func()
    return time.process_time() - start


def interleaved(funcs: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(runs):
        for name, func in funcs.items():
            samples[name].append(cpu(func))
    return {name: statistics.median(s) for name, s in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    checklists = load_directories()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        audit_id = build_audit(db, checklists, "Benchmark Vendor")
        data = service.load_input(db, audit_id, checklists)
    prepared = renderers.prepare(data, "en")
    moment = report_moment(data.state.audit)

    def render(tuned: bool) -> Callable[[], bytes]:
        def run() -> bytes:
            context = contextlib.nullcontext() if tuned else _untuned()
            with context:
                return pdf.render(prepared.html, prepared.json_bytes, moment, None)

        return run

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, median of {runs}")
    gc_times = interleaved({"tuned": render(True), "untuned": render(False)}, runs)
    print(
        f"PDF render CPU: GC tuned {gc_times['tuned']:.2f} s, untuned {gc_times['untuned']:.2f} s"
        f" = {gc_times['tuned'] / gc_times['untuned']:.2f}x"
    )
    env = interleaved(
        {
            "reused": lambda: renderers.render_template(prepared.context, None),
            "new": lambda: (
                build_environment(None)
                .get_template(renderers.MAIN_TEMPLATE)
                .render(report=prepared.context)
            ),
        },
        runs * 3,
    )
    print(f"template render: environment reused {env['reused']:.3f} s, new {env['new']:.3f} s")
    files = checklist_files(checklists_dir())
    load_directories()  # the cache entries exist

    def cached() -> None:
        checklist_cache._memo.clear()  # as a new process: read the JSON entries
        load_directories()

    lists = interleaved(
        {"cached": cached, "yaml": lambda: [parse_file(f) for f in files]}, runs * 3
    )
    print(
        f"shipped checklists: cache {lists['cached'] * 1000:.0f} ms, "
        f"YAML {lists['yaml'] * 1000:.0f} ms = {lists['cached'] / lists['yaml']:.2f}x"
    )


@contextlib.contextmanager
def _untuned() -> Iterator[None]:
    saved = pdf.collector_paused
    pdf.collector_paused = contextlib.nullcontext  # type: ignore[assignment]
    try:
        yield
    finally:
        pdf.collector_paused = saved


if __name__ == "__main__":
    main()
