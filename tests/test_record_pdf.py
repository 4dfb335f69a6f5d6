"""A final audit's PDF: verify works with a user checklist, and later changes never alter it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.record_helpers import Cli, final_audit, write_checklist


@pytest.mark.slow
def test_pdf_of_a_final_audit_with_a_user_checklist_verifies_and_never_changes(
    db: str, tmp_path: Path
) -> None:
    """Issue: verify failed straight after rendering when the audit used a --checklists
    checklist (the domain order came back from the sorted JSON)."""
    ak = Cli(db, tmp_path)
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = str(final_audit(ak, dirs, tmp_path))
    first = tmp_path / "first.pdf"
    ak.ok("report", audit_id, "-o", str(first), dirs=dirs)
    for given in (dirs, ()):  # with the checklist directory, and without (frozen copy)
        checked = ak("verify", str(first), dirs=given)
        assert checked.exit_code == 0, checked.output
        assert f"ok: the frozen record of audit {audit_id} in the database gives the same data" in (
            checked.output
        )
    ak.ok("vendor", "edit", "Acme", "--no-card-data", "--criticality", "low", dirs=dirs)
    write_checklist(dirs[0], "1.1.0", edit="replace")
    again = tmp_path / "again.pdf"
    ak.ok("report", audit_id, "-o", str(again), dirs=dirs)
    assert again.read_bytes() == first.read_bytes()
    assert ak("verify", str(first), dirs=dirs).exit_code == 0
