"""Drafts are pinned to the checklist content they started with; `audit upgrade` moves them."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.checklists import load_file
from auditkit.errors import Conflict
from auditkit.models.record import content_hash, plan_upgrade
from auditkit.storage import records
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from tests.record_helpers import Cli, write_checklist


@pytest.fixture
def ak(db: str, tmp_path: Path) -> Cli:
    return Cli(db, tmp_path)


def draft(ak: Cli, dirs: tuple[Path, ...]) -> str:
    ak.ok("vendor", "add", "Pinned", dirs=dirs)
    audit_id = str(ak.json("audit", "start", "Pinned", "--as-of", "2026-11-01", dirs=dirs)["id"])
    for question, value in (
        ("acme_sec.tls", "yes"),
        ("acme_sec.mfa", "partial"),
        ("acme_sec.patch_days", "20"),
    ):
        ak.ok("audit", "answer", audit_id, question, value, dirs=dirs)
    return audit_id


def test_changed_content_under_the_same_version_is_refused(ak: Cli, tmp_path: Path) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = draft(ak, dirs)
    write_checklist(dirs[0], "1.0.0", edit="weight")
    expected = (
        f"error: audit {audit_id}: checklist acme_sec version 1.0.0 differs from the content "
        "this audit pinned (same version number, other content); restore the file, or give it "
        f"a new version and run 'auditkit audit upgrade {audit_id}'\n"
    )
    for command in (
        ("audit", "score", audit_id),
        ("audit", "answer", audit_id, "acme_sec.tls", "no"),
    ):
        refused = ak(*command, dirs=dirs)
        assert (refused.exit_code, refused.output) == (3, expected)
    shown = ak("audit", "show", audit_id, dirs=dirs)  # still readable, with the warning
    assert shown.exit_code == 0 and "differs from the content this audit pinned" in shown.output
    write_checklist(dirs[0])  # restored: scores again
    ak.ok("audit", "score", audit_id, dirs=dirs)


def test_a_bumped_version_keeps_the_draft_on_its_pinned_content(ak: Cli, tmp_path: Path) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = draft(ak, dirs)
    before = ak.json("audit", "score", audit_id, dirs=dirs)
    write_checklist(dirs[0], "1.1.0", edit="replace")
    assert ak.json("audit", "score", audit_id, dirs=dirs) == before
    shown = ak("audit", "show", audit_id, dirs=dirs)
    assert (
        "warning: checklist acme_sec is now version 1.1.0; this audit is pinned to 1.0.0 "
        f"(move it with 'auditkit audit upgrade {audit_id}')"
    ) in shown.output


def test_upgrade_lists_changes_and_keeps_answers_to_unchanged_questions(
    ak: Cli, tmp_path: Path
) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = draft(ak, dirs)
    write_checklist(dirs[0], "1.1.0", edit="replace")
    output = ak.ok("audit", "upgrade", audit_id, dirs=dirs)
    assert output == (
        "acme_sec 1.0.0 -> 1.1.0: added acme_sec.patch_sla; dropped acme_sec.patch_days; "
        "changed acme_sec.mfa\n"
        f"audit {audit_id} upgraded; 1 answer(s) kept, answers removed (ask again): "
        "acme_sec.patch_days, acme_sec.mfa\n"
    )
    shown = ak.json("audit", "show", audit_id, dirs=dirs)
    assert shown["checklists"]["acme_sec"] == "1.1.0"
    assert [a["question_id"] for a in shown["answers"]] == ["acme_sec.tls"]
    log = ak.json("audit", "log", audit_id, dirs=dirs)
    upgraded = [c for c in log if c["field"] == "checklist"]
    assert [(c["old"]["version"], c["new"]["version"]) for c in upgraded] == [("1.0.0", "1.1.0")]
    removed = [c["entity_id"] for c in log if c["entity"] == "answer" and c["new"] is None]
    assert sorted(removed) == ["acme_sec.mfa", "acme_sec.patch_days"]
    assert [c["new"] for c in log if c["field"] == "answers_kept"] == [1]
    assert ak.ok("audit", "upgrade", audit_id, dirs=dirs) == (
        f"audit {audit_id} already uses the current content of its checklists\n"
    )


def test_upgrade_refuses_a_final_audit(ak: Cli, tmp_path: Path) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = draft(ak, dirs)
    ak.ok("audit", "finalize", audit_id, "--reviewer", "R", "--approver", "A",
          "--accept-unanswered", "scope", dirs=dirs)  # fmt: skip
    write_checklist(dirs[0], "1.1.0", edit="replace")
    refused = ak("audit", "upgrade", audit_id, dirs=dirs)
    assert refused.exit_code == 5
    assert refused.output == (
        f"error: audit {audit_id} is final and cannot be changed; start a new audit instead\n"
    )


def test_content_hash_ignores_layout_and_sees_every_change(tmp_path: Path) -> None:
    path = write_checklist(tmp_path / "a")
    original = load_file(path)
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert content_hash(load_file(path)) == content_hash(original)
    edited = load_file(write_checklist(tmp_path / "a", edit="weight"))
    assert content_hash(edited) != content_hash(original)
    plan = plan_upgrade(original, edited)
    assert (plan.added, plan.dropped, plan.changed) == ((), (), ("acme_sec.tls",))


def _shipped() -> list[str]:
    from auditkit.checklists import load_directories

    return sorted(load_directories())


@pytest.mark.parametrize("checklist_id", _shipped())
def test_every_shipped_checklist_is_stored_and_read_back_exactly(checklist_id: str) -> None:
    """The frozen copy must validate back into the same checklist (examples aside: test data
    that scoring never reads), with the same hash."""
    from auditkit.checklists import load_directories
    from auditkit.models.checklist import Checklist
    from auditkit.models.record import checklist_content

    original = load_directories()[checklist_id]
    back = Checklist.model_validate(checklist_content(original))
    assert content_hash(back) == content_hash(original)
    assert back.questions == [q.model_copy(update={"examples": None}) for q in original.questions]
    assert back.model_copy(update={"questions": original.questions}) == original


def test_a_checklist_hashes_its_content_once_and_a_changed_copy_hashes_its_own() -> None:
    from auditkit.models.record import checklist_content, content_hash, sha256_of
    from tests.builders import checklist, question

    original = checklist("hashed", [question("hashed.one")])
    first = content_hash(original)
    assert first == sha256_of(checklist_content(original)) == content_hash(original)
    changed = original.model_copy(update={"version": "2.0.0"})
    assert content_hash(changed) == sha256_of(checklist_content(changed)) != first
    assert content_hash(original.model_copy()) == first


def test_pins_are_not_written_on_an_audit_finalized_since_it_was_read(
    ak: Cli, tmp_path: Path
) -> None:
    """A draft read, then finalized by someone else before its pins are written: the write
    reads the status again under the row lock and refuses (the pinned contents stay)."""
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = int(draft(ak, dirs))
    with transaction(ak.db) as conn:
        stale = repo.get_audit(conn, audit_id)
    ak.ok("audit", "finalize", str(audit_id), "--reviewer", "R", "--approver", "A",
          "--accept-unanswered", "scope", dirs=dirs)  # fmt: skip
    with transaction(ak.db) as conn:
        before = repo.get_audit(conn, audit_id).checklist_hashes
    with pytest.raises(Conflict, match="is final"), transaction(ak.db) as conn:
        records.set_pins(conn, stale, dict(stale.checklists), {"acme_sec": "0" * 64})
    with transaction(ak.db) as conn:
        assert repo.get_audit(conn, audit_id).checklist_hashes == before
