"""Scores, findings and JSON output are the same whether the checklists were parsed, served
from the parse cache, or read with the cache off: shipped and large synthetic checklists."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from auditkit import checklist_cache
from auditkit.checklists import load_directories
from auditkit.errors import ValidationProblem
from auditkit.services import audits
from auditkit.services import findings as finding_service
from tests.builders import AS_OF, make_vendor, synthetic_checklists

COPIES = 40  # 40 x 9 synthetic questions beside the shipped checklists


def write_copies(directory: Path) -> None:
    alpha = synthetic_checklists()["alpha"]
    text = json.dumps(alpha.model_dump(mode="json", by_alias=True, exclude_none=True))
    for n in range(COPIES):
        data = json.loads(text.replace('"alpha', f'"big{n}'))
        (directory / f"big{n}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def answer_some(db: str, audit_id: int, checklists: dict[str, Any]) -> None:
    raw = {"yes_no": "no", "yes_no_partial": "partial", "number": "45", "text": "note"}
    for n, (qid, question) in enumerate(
        (q.id, q) for c in checklists.values() for q in c.questions
    ):
        value = raw.get(question.type.value)
        if value is not None and n % 3:
            try:
                audits.answer(db, audit_id, qid, value, checklists, "tester")
            except ValidationProblem:  # a question that does not apply here
                continue


def test_score_is_the_same_parsed_cached_and_uncached(
    db: str, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    write_copies(own)
    checklists = load_directories((own,))
    from auditkit.services import vendors

    vendors.add(db, make_vendor(name="Cache KK", profile={"handles_card_data": True}), "tester")
    audit_id = audits.start(db, "Cache KK", checklists, "tester", as_of=AS_OF).id
    answer_some(db, audit_id, checklists)

    def score() -> tuple[Any, Any]:
        checklist_cache._memo.clear()  # as a new process
        result = run("--checklists", str(own), "audit", "score", str(audit_id), "--json")
        assert result.exit_code == 0, result.output
        found = [f.model_dump(mode="json") for f in finding_service.list_all(db)]
        return json.loads(result.output), found

    monkeypatch.setenv(checklist_cache.CACHE_ENV, "off")
    uncached = score()
    monkeypatch.setenv(checklist_cache.CACHE_ENV, str(tmp_path / "cache"))
    parsed = score()  # parsed, entries written
    served = score()  # from the entries
    assert uncached == parsed == served
    data, found = served
    assert len(data["domains"]) > COPIES and found  # every checklist scored, findings opened
