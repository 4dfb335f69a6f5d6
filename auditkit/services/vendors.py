"""Vendors: add, list, show, edit."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from auditkit.errors import ValidationProblem
from auditkit.models.common import problems
from auditkit.models.vendor import Vendor
from auditkit.risk import InherentRisk, inherent_risk
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import transaction


def build(fields: dict[str, Any], base: Vendor | None = None) -> Vendor:
    """A validated vendor from flat CLI-style fields; problems name the field."""
    data = base.model_dump() if base else {"profile": {}}
    for key, value in fields.items():
        if value is None:
            continue
        if key in ("handles_card_data", "personal_data", "system_access", "criticality"):
            data["profile"][key] = value
        else:
            data[key] = value
    try:
        return Vendor.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(problems(exc)) from None


def add(db: str | None, vendor: Vendor, actor: str) -> Vendor:
    with transaction(db) as conn:
        return vendor_store.add_vendor(conn, vendor, actor)


def list_all(
    db: str | None, limit: int | None = None, offset: int = 0
) -> list[tuple[Vendor, InherentRisk]]:
    with transaction(db, readonly=True) as conn:
        return [
            (v, inherent_risk(v.profile)) for v in vendor_store.list_vendors(conn, limit, offset)
        ]


def show(db: str | None, ref: str) -> Vendor:
    with transaction(db, readonly=True) as conn:
        return vendor_store.get_vendor(conn, ref)


def edit(db: str | None, ref: str, fields: dict[str, Any], actor: str) -> Vendor:
    with transaction(db) as conn:
        old = vendor_store.get_vendor(conn, ref)
        return vendor_store.update_vendor(conn, old, build(fields, old), actor)
