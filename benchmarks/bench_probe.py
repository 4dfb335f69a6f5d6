"""Wall time of `probe tls` over the local TLS lab (DESIGN goal: 17 endpoints under 10 s on
2 cores), how it grows with the number of hosts, and what the probe said for each case.

    .venv/bin/python benchmarks/bench_probe.py [--runs 3] [--concurrency 10]

The lab (tests/tls_lab.py) runs real `openssl s_server` and Python HTTPS servers on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditkit.probe.tls import probe
from tests.tls_lab import lab

TIMEOUT = 2.0


def timed(targets: list[str], ca_file: Path, concurrency: int, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        probe(targets, ca_file, TIMEOUT, concurrency)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, lab(Path(directory)) as running:
        cases = list(running.endpoints.items())[:17]
        names = {target: name for name, target in cases}
        targets = [target for _, target in cases]
        print(f"{len(targets)} endpoints, concurrency {args.concurrency}, timeout {TIMEOUT:g} s")
        print("hosts  median s  s/host")
        for count in (1, 4, 8, 17):
            seconds = timed(targets[:count], running.ca_file, args.concurrency, args.runs)
            print(f"{count:5d}  {seconds:8.2f}  {seconds / count:6.2f}")
        report = probe(targets, running.ca_file, TIMEOUT, args.concurrency)
        print("\ncase             what the probe said")
        for endpoint in report.endpoints:
            said = endpoint.error or "; ".join(
                f"{f.severity.value}: {f.message}" for f in endpoint.findings
            )
            print(f"{names[endpoint.target]:16s} {said or 'ok'}")


if __name__ == "__main__":
    main()
