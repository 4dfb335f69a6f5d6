"""The change log as a whole: is it intact, and does the stored data agree with it?"""

from __future__ import annotations

from auditkit.storage.db import transaction
from auditkit.storage.logcheck import LogCheck, check


def verify(db: str | None, anchor: str | None = None) -> LogCheck:
    """Walk the hash chain and compare every logged row with its last logged values; with
    `anchor` (a head hash noted earlier), also require that entry to be still there."""
    with transaction(db) as conn:
        return check(conn, anchor)


__all__ = ["LogCheck", "verify"]
