"""The change log as a whole: is it intact, and does the stored data agree with it?"""

from __future__ import annotations

from auditkit.services.db import transaction
from auditkit.storage.logcheck import LogCheck, check


def verify(db: str | None) -> LogCheck:
    """Walk the hash chain and compare every logged row with its last logged values."""
    with transaction(db) as conn:
        return check(conn)


__all__ = ["LogCheck", "verify"]
