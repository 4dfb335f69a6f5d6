"""What each listing's `--json` shows of a row, as `json_table` layouts: a listed audit or
finding is its model's JSON (an audit with its vendor's name and a final audit's stored
result), a listed vendor what `vendor show --json` shows of it with its latest final result,
a `due` line its review dates with the evidence that lapses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from auditkit.cli.json_table import Computed, Group, Layout, Value
from auditkit.models.listing import (
    AUDIT_FIELDS,
    SCORE_FIELDS,
    DueRow,
    FindingRow,
    LapsingFile,
    Table,
    VendorRow,
)

if TYPE_CHECKING:
    from auditkit.risk import InherentRisk

PROFILE = VendorRow._fields[5:9]  # handles_card_data, personal_data, system_access, criticality


def _result(key: str) -> Group:
    """A final audit's stored result, null when there is none (`FinalScore`'s fields)."""
    fields = tuple(Value(name, f"{key}.{name}") for name in SCORE_FIELDS)
    return Group(key, fields, unless=f"{key}.audit_id")


AUDITS: Layout = (
    *(Value(name, name) for name in AUDIT_FIELDS),
    Value("vendor", "vendor"),
    _result("final"),
)
FINDINGS: Layout = tuple(Value(name, name) for name in FindingRow._fields if name != "vendor")


def risk_dict(risk: InherentRisk) -> dict[str, Any]:
    return {
        "tier": risk.tier,
        "level": risk.level,
        "points": risk.points,
        "review_months": risk.review_months,
    }


def vendors(risk: Callable[[bool, str, str, str], InherentRisk]) -> Layout:
    """Listed vendors; `risk` gives the inherent risk of a profile's four facts."""
    from auditkit.models.meti import meti_level

    def profile(card: bool, personal: str, access: str, criticality: str) -> dict[str, Any]:
        return dict(zip(PROFILE, (card, personal, access, criticality), strict=True))

    def meti(card: bool, personal: str, access: str, criticality: str) -> str:
        return meti_level(card, personal, criticality, access)

    return (
        *(Value(name, name) for name in VendorRow._fields[:5]),
        Computed("profile", PROFILE, profile),
        Computed("inherent_risk", PROFILE, lambda *facts: risk_dict(risk(*facts))),
        Computed("meti_level", PROFILE, meti),
        _result("latest_final"),
    )


def due_table(
    rows: Sequence[DueRow], lapse: Mapping[int, Sequence[LapsingFile]], day: dt.date
) -> tuple[Table, Layout]:
    """`due`'s lines and how they are shown: each with the files of its vendor's latest final
    audit that lapse (`lapse`, by vendor id), and whether they have expired on `day`."""

    def evidence(vendor_id: int | None) -> list[dict[str, Any]]:
        files = lapse.get(vendor_id, ()) if vendor_id is not None else ()
        return [{**_file(f), "expired": f.expired(day)} for f in files]

    columns = (*DueRow._fields, "lapsing")  # lapsing: the vendor id where files lapse
    lines = [(*row, row.vendor_id if lapse.get(row.vendor_id) else None) for row in rows]
    layout: Layout = (
        *(Value(name, name) for name in DueRow._fields),
        Computed("review_early", ("lapsing",), lambda vendor_id: vendor_id is not None),
        Computed("evidence", ("lapsing",), evidence),
    )
    return Table(columns, lines, (None,) * len(columns)), layout


def _file(entry: LapsingFile) -> dict[str, Any]:
    fields = entry._asdict()
    fields["expires"] = entry.expires.isoformat()
    return fields
