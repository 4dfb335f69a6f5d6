"""The schema revision this code works with (read without importing SQLAlchemy or Alembic)."""

from __future__ import annotations

from pathlib import Path

HEAD = "0006_listing_indexes"  # the newest migration in migrations/versions; a test checks it
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
