"""Small builders for checklist models, so scoring tests state only what matters."""

from __future__ import annotations

from typing import Any

from auditkit.models.audit import Answer, Evidence
from auditkit.models.checklist import Checklist, Question

YES_NO = [
    {"value": "yes", "label": {"en": "Yes", "ja": "はい"}, "score": 1.0},
    {"value": "no", "label": {"en": "No", "ja": "いいえ"}, "score": 0.0},
]
YES_NO_PARTIAL = [
    {"value": "yes", "label": {"en": "Yes", "ja": "はい"}, "score": 1.0},
    {"value": "partial", "label": {"en": "Partially", "ja": "一部"}, "score": 0.5},
    {"value": "no", "label": {"en": "No", "ja": "いいえ"}, "score": 0.0},
]


def question(qid: str, **fields: Any) -> Question:
    data: dict[str, Any] = {
        "id": qid,
        "text": {"en": f"Question {qid}?", "ja": f"質問 {qid}?"},
        "type": "yes_no",
        "weight": 1,
        "severity": "medium",
        "remediation": {"en": "Fix it.", "ja": "是正してください。"},
        "references": {"iso27001-2022": ["A.5.1"]},
    }
    data.update(fields)
    if data["type"] == "yes_no" and "choices" not in fields:
        data["choices"] = YES_NO
    if data["type"] == "yes_no_partial" and "choices" not in fields:
        data["choices"] = YES_NO_PARTIAL
    if data["type"] == "number" and "unit" not in fields:
        data["unit"] = {"en": "hours", "ja": "時間"}
    return Question.model_validate(data)


def checklist(cid: str, questions: list[Question], **fields: Any) -> Checklist:
    data: dict[str, Any] = {
        "id": cid,
        "version": "1.0.0",
        "title": {"en": cid.title(), "ja": cid},
        "questions": [q.model_dump(by_alias=True, exclude_none=True) for q in questions],
    }
    data.update(fields)
    return Checklist.model_validate(data)


def answer(qid: str, value: Any, **fields: Any) -> Answer:
    return Answer(question_id=qid, value=value, **fields)


def evidence(name: str = "policy.pdf", expires: Any = None, kind: str = "policy") -> Evidence:
    return Evidence(sha256="a" * 64, name=name, kind=kind, expires=expires)
