"""--limit/--offset on the listing commands: one page, in the listing's usual order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from hypothesis import assume, given
from hypothesis import strategies as st

from auditkit.cli.settings import table
from auditkit.models.audit import Finding, Severity
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from tests.builders import run_json


@pytest.fixture
def five(db: str, new_audit: Callable[..., int]) -> list[int]:
    audit_ids = [new_audit(name=f"Vendor {n}") for n in range(5)]
    with transaction(db) as conn:
        for audit_id in audit_ids:
            audit = repo.get_audit(conn, audit_id)
            finding = Finding(
                vendor_id=audit.vendor_id,
                audit_id=audit_id,
                question_id="nda.nda_before_access",
                severity=Severity.HIGH,
                summary=f"finding of audit {audit_id}",
            )
            finding_store.add_finding(conn, finding, "tester")
    return audit_ids


def _ids(rows: list[dict[str, Any]], key: str = "id") -> list[Any]:
    return [row[key] for row in rows]


@pytest.mark.parametrize(
    ("command", "key"),
    [
        (("vendor", "list"), "id"),
        (("audit", "list"), "id"),
        (("findings", "list"), "id"),
        (("due", "--today", "2026-11-29"), "vendor_id"),
    ],
)
def test_a_page_is_a_slice_of_the_whole_listing(
    five: list[int], run: Callable[..., Result], command: tuple[str, ...], key: str
) -> None:
    whole = _ids(run_json(run, *command), key)
    assert len(whole) == 5
    assert _ids(run_json(run, *command, "--limit", "2"), key) == whole[:2]
    assert _ids(run_json(run, *command, "--limit", "2", "--offset", "3"), key) == whole[3:]
    assert _ids(run_json(run, *command, "--offset", "4"), key) == whole[4:]
    assert _ids(run_json(run, *command, "--offset", "9"), key) == []


def test_audit_page_names_its_vendors(five: list[int], run: Callable[..., Result]) -> None:
    page = run_json(run, "audit", "list", "--limit", "2", "--offset", "1")
    assert [row["vendor"] for row in page] == ["Vendor 1", "Vendor 2"]
    text = run("audit", "list", "--vendor", "Vendor 3").output
    assert "Vendor 3" in text
    assert "Vendor 2" not in text


def test_bad_limit_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("vendor", "list", "--limit", "0")
    assert result.exit_code == 2
    assert "--limit" in result.output


def test_table_aligns_wide_characters_and_escapes_controls(run: Callable[..., Result]) -> None:
    import unicodedata

    for name in ("さくら商事", "Plain KK", "Bell\aKK"):
        assert run("vendor", "add", name).exit_code == 0
    lines = run("vendor", "list").output.splitlines()
    assert "Bell\\x07KK" in lines[-1]

    def column(line: str, text: str) -> int:  # display column where `text` starts
        before = line[: line.rindex(text)]
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)

    tiers = [column(line, "3") for line in lines[2:]]
    assert tiers == [column(lines[0], "tier")] * 3


def test_due_uses_the_newest_final_audit(run: Callable[..., Result]) -> None:
    run("vendor", "add", "Yearly", "--card-data")
    for day, final in (("2025-10-01", True), ("2024-10-01", True), ("2026-10-01", False)):
        audit_id = run_json(run, "audit", "start", "Yearly", "--as-of", day)["id"]
        if final:
            assert (
                run(
                    "audit",
                    "finalize",
                    str(audit_id),
                    "--reviewer",
                    "R",
                    "--approver",
                    "A",
                    "--accept-unanswered",
                    "test",
                ).exit_code
                == 0
            )
    (row,) = run_json(run, "due", "--today", "2026-11-01")
    assert (row["last_final"], row["due"], row["state"]) == ("2025-10-01", "2026-10-01", "overdue")


def _reference_table(rows: list[list[Any]], headers: list[str]) -> str:
    """The table as a cell-at-a-time loop lays it out (what `table` did before it worked a
    column at a time)."""
    from auditkit.cli.settings import display_width, safe

    cells = [[safe(str(h)) for h in headers]] + [[safe(str(c)) for c in row] for row in rows]
    sizes = [[display_width(c) for c in row] for row in cells]
    widths = [max(row[i] for row in sizes) for i in range(len(headers))]
    lines = []
    for index, (row, size) in enumerate(zip(cells, sizes, strict=True)):
        padded = [c + " " * (w - n) for c, n, w in zip(row, size, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


CELLS = st.one_of(
    st.integers(),
    st.dates(),
    st.sampled_from(["", "-", "株式会社みなと", "Zoë", "a\x1b[31mb", "tab\there", "e\u0301"]),
    st.text(max_size=6),
)


@given(
    width=st.integers(1, 5),
    data=st.data(),
)
def test_the_table_is_laid_out_cell_by_cell(width: int, data: st.DataObject) -> None:
    headers = data.draw(st.lists(st.text(max_size=5), min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=6))
    assume(rows or any(headers))  # an empty table with blank headers shows nothing to check
    assert table(rows, headers) == _reference_table(rows, headers)
