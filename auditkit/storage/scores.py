"""The stored headline results of final audits (listings read them: storage/listings.py)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Connection, insert

from auditkit.models.listing import FinalScore
from auditkit.storage.schema import audit_scores


def save(conn: Connection, score: FinalScore) -> None:
    """Stored once, in the transaction that makes the audit final."""
    conn.execute(insert(audit_scores).values(**asdict(score)))
