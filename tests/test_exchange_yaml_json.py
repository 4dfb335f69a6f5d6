"""YAML and JSON questionnaires: round trip, schema, and every refusal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditkit.errors import ValidationProblem
from auditkit.exchange import FORMAT
from auditkit.exchange.yaml_json_model import ExchangeDocument, json_schema
from auditkit.models.checklist import AnswerType, Checklist, Question
from auditkit.services import audits
from auditkit.services.exchange import export_questionnaire, import_file
from auditkit.textnorm import normalize
from tests.builders import (
    fill_document,
    snapshot,
    start_audit,
    stored,
    synthetic_checklists,
)

CL = synthetic_checklists()
MISSING = "is missing from the file (rows and questions must not be deleted)"


def refused(db: str, audit_id: int, path: Path, checklists: dict[str, Checklist] = CL) -> list[str]:
    before = snapshot(db, audit_id)
    with pytest.raises(ValidationProblem) as caught:
        import_file(db, audit_id, path, checklists, "vendor-import")
    assert snapshot(db, audit_id) == before
    return caught.value.problems


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def typed(question: Question) -> tuple[Any, Any]:
    """A document answer for the question, and what must be stored."""
    if question.type is AnswerType.MULTI_CHOICE:
        values = [c.value for c in (question.choices or [])[-2:]]
        return values, values
    if question.choices:
        return (question.choices or [])[-1].value, (question.choices or [])[-1].value
    if question.type is AnswerType.NUMBER:
        return 12.5, 12.5
    if question.type is AnswerType.DATE:
        return "2025-12-31", "2025-12-31"
    return "<b>bold</b> & 'quotes'", "<b>bold</b> & 'quotes'"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip_with_shipped_checklists(
    db: str, tmp_path: Path, checklists: dict[str, Checklist], new_audit: Any, suffix: str
) -> None:
    audit_id = new_audit()
    path = tmp_path / f"q{suffix}"
    export_questionnaire(db, audit_id, checklists, path, lang="ja")
    state = audits.state(db, audit_id, checklists)
    comments = ["日本語 ✓", "🎉 emoji", "<img src=x onerror=alert(1)>", "=SUM(A1)", "line\r\nbreak"]
    edits: dict[str, dict[str, Any]] = {}
    expected: dict[str, Any] = {}
    doc = ExchangeDocument.model_validate(load(path))
    for n, item in enumerate(doc.questions):
        question = state.question(item.id)
        assert question is not None
        answer, value = typed(question)
        edits[item.id] = {"answer": answer, "comment": comments[n % 5], "evidence": f"doc-{n}"}
        expected[item.id] = (value, normalize(comments[n % 5]), f"doc-{n}")
    fill_document(path, edits)
    import_file(db, audit_id, path, checklists, "vendor-import")
    answers = stored(db, audit_id)
    assert {q: (a.value, a.comment, a.evidence_ref) for q, a in answers.items()} == expected


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_naughty_strings_round_trip(
    db: str, tmp_path: Path, naughty_strings: list[str], suffix: str
) -> None:
    audit_id = start_audit(db, CL)
    texts = [s for s in naughty_strings if s]
    for start in range(0, len(texts), 10):
        chunk = texts[start : start + 10]
        path = tmp_path / f"q{start}{suffix}"
        export_questionnaire(db, audit_id, CL, path)
        ids = [q["id"] for q in load(path)["questions"]]
        edits = {qid: {"comment": text} for qid, text in zip(ids, chunk, strict=False)}
        fill_document(path, edits)
        import_file(db, audit_id, path, CL, "vendor-import")
        answers = stored(db, audit_id)
        assert {q: answers[q].comment for q in edits} == {
            q: normalize(e["comment"]) for q, e in edits.items()
        }


def test_exported_yaml_uses_the_documented_shape(db: str, tmp_path: Path) -> None:
    audit_id = start_audit(db, CL)
    audits.answer(db, audit_id, "alpha.channels", "email, portal", CL, "auditor")
    path = tmp_path / "q.yml"
    export_questionnaire(db, audit_id, CL, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(data) == ["format", "audit_id", "vendor", "lang", "checklists", "questions"]
    assert data["checklists"] == {"alpha": "1.0.0", "beta": "1.0.0"}
    channels = next(q for q in data["questions"] if q["id"] == "alpha.channels")
    assert channels["answer"] == ["email", "portal"] and channels["type"] == "multi_choice"


def test_schema_describes_the_document() -> None:
    schema = json_schema()
    assert schema["title"] == "auditkit questionnaire exchange document"
    assert schema["required"] == ["audit_id", "vendor", "checklists", "questions"]
    assert set(schema["$defs"]["ExchangeQuestion"]["properties"]) == {
        "id", "fingerprint", "checklist", "text", "help", "type", "choices", "allow_na", "answer", "comment",
        "evidence",
    }  # fmt: skip


@pytest.fixture
def exported_json(db: str, tmp_path: Path) -> tuple[int, Path]:
    audit_id = start_audit(db, CL)
    path = tmp_path / "q.json"
    export_questionnaire(db, audit_id, CL, path)
    return audit_id, path


def test_every_problem_is_listed(exported_json: tuple[int, Path], db: str) -> None:
    audit_id, path = exported_json
    data = json.loads(path.read_text(encoding="utf-8"))
    data["questions"][0]["answer"] = "maybe"
    data["questions"][3]["answer"] = ["email", "fax"]
    data["questions"][4]["comment"] = 42
    data["questions"][5]["answer"] = {"nested": True}
    data["questions"][6]["colour"] = "red"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert refused(db, audit_id, path) == [
        f"{path}: questions[4] (alpha.patch_days): comment: Input should be a valid string",
        f"{path}: questions[5] (alpha.last_test): answer: expected a choice value, a list of "
        "choice values, a number, a date or text",
        f"{path}: questions[6] (alpha.notes): colour: unknown field (not part of the "
        "questionnaire format)",
    ]
    del (
        data["questions"][4]["comment"],
        data["questions"][5]["answer"],
        data["questions"][6]["colour"],
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    assert refused(db, audit_id, path) == [
        f"{path}: questions[0] (alpha.min_version): answer: unknown choice 'maybe'; "
        "expected one of tls13, tls12, legacy",
        f"{path}: questions[3] (alpha.channels): answer: unknown choice 'fax'; "
        "expected one or more of these, separated by commas: email, phone, portal",
    ]


def test_ids_and_metadata_are_checked(exported_json: tuple[int, Path], db: str) -> None:
    audit_id, path = exported_json
    data = json.loads(path.read_text(encoding="utf-8"))
    data["questions"][1]["id"] = "alpha.min_version"
    data["questions"][2]["id"] = "alpha.nope"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert refused(db, audit_id, path) == [
        f"{path}: questions[1] (alpha.min_version): question id appears twice (first at "
        "questions[0])",
        f"{path}: questions[2] (alpha.nope): unknown question id 'alpha.nope' (question ids must "
        "not be edited)",
        f"{path}: question alpha.hsts {MISSING}",
        f"{path}: question alpha.hsts_preload {MISSING}",
    ]
    data["checklists"] = {"alpha": "0.9.0"}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert refused(db, audit_id, path) == [
        f"{path}: made for checklist alpha version 0.9.0; audit 1 uses version 1.0.0; "
        "export a new questionnaire",
        f"{path}: checklist beta of audit 1 is not in the file; export a new questionnaire",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", f": expected a questionnaire document (a mapping with format: {FORMAT})"),
        ('{"format": "other/2"}', f": format: 'other/2' is not supported; expected {FORMAT}"),
        ('{"format": ', ":1:12: invalid JSON (Expecting value)"),
        ("[" * 40 + "]" * 40, ": nesting deeper than 32 levels"),
    ],
)  # fmt: skip
def test_malformed_json(db: str, tmp_path: Path, content: str, message: str) -> None:
    audit_id = start_audit(db, CL)
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert refused(db, audit_id, path) == [f"{path}{message}"]


def test_unknown_extension_and_missing_file(db: str, tmp_path: Path) -> None:
    audit_id = start_audit(db, CL)
    assert refused(db, audit_id, tmp_path / "answers.csv") == [
        f"{tmp_path / 'answers.csv'}: unknown file type '.csv'; "
        "expected .xlsx, .yaml, .yml or .json"
    ]
