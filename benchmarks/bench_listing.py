"""Listing benchmark: `vendor list` and `audit list` data with their final results, at
10,000 vendors x 3 audits (two final, with stored results; one draft).

Run: .venv/bin/python benchmarks/bench_listing.py [--vendors 10000] [--runs 5]
Prints the median time of vendors.list_scored and audits.list_scored (target < 0.3 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).parent))

from bench_report import median_time

from auditkit.services import audits, vendors
from auditkit.storage.db import transaction
from auditkit.storage.schema import audit_scores
from auditkit.storage.schema import audits as audits_table
from auditkit.storage.schema import vendors as vendors_table

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
PROFILE = {
    "handles_card_data": False,
    "personal_data": "low",
    "system_access": "none",
    "criticality": "low",
}


def fill(db: str, count: int) -> None:
    vendor_rows = [
        {
            "id": i,
            "name": f"Vendor {i:05d}",
            "services": ["logistics"],
            "created_at": NOW,
            **PROFILE,
        }
        for i in range(1, count + 1)
    ]
    audit_rows, score_rows = [], []
    for i in range(1, count + 1):
        for k, status in enumerate(("final", "final", "draft")):
            audit_id = 3 * (i - 1) + k + 1
            audit_rows.append(
                {
                    "id": audit_id,
                    "vendor_id": i,
                    "status": status,
                    "checklists": {"nda": "2.0.0"},
                    "profile": {},
                    "started_at": NOW,
                    "as_of": NOW.date(),
                }
            )
            if status == "final":
                score_rows.append(
                    {"audit_id": audit_id, "overall": 70.0 + k, "rating": "medium",
                     "recommendation": "approve_with_conditions"}
                )  # fmt: skip
    with transaction(db) as conn:
        conn.execute(insert(vendors_table), vendor_rows)
        conn.execute(insert(audits_table), audit_rows)
        conn.execute(insert(audit_scores), score_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        fill(db, args.vendors)
        t_vendors = median_time(lambda: vendors.list_scored(db), args.runs)
        t_audits = median_time(lambda: audits.list_scored(db), args.runs)
        print(f"{args.vendors} vendors x 3 audits (median of {args.runs})")
        print(f"vendor list with final results: {t_vendors:.3f} s  (target < 0.3 s)")
        print(f"audit list with final results:  {t_audits:.3f} s")


if __name__ == "__main__":
    main()
