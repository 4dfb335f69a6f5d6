"""The questionnaire as a YAML or JSON document, written and read back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditkit import safeyaml
from auditkit.errors import ValidationProblem
from auditkit.exchange import FORMAT
from auditkit.exchange.questionnaire import Item, Questionnaire, fingerprint
from auditkit.exchange.returned import Content, Meta, Row
from auditkit.exchange.safety import MAX_TEXT_FILE_BYTES, load_json, read_regular
from auditkit.exchange.yaml_json_model import ExchangeChoice, ExchangeDocument, ExchangeQuestion
from auditkit.models import refusals
from auditkit.models.checklist import AnswerType
from auditkit.models.message import Message


def document(questionnaire: Questionnaire) -> ExchangeDocument:
    return ExchangeDocument(
        format=FORMAT,
        audit_id=questionnaire.audit_id,
        vendor=questionnaire.vendor,
        lang=questionnaire.lang,
        checklists=questionnaire.checklists,
        questions=[_question(item, questionnaire) for item in questionnaire.items],
    )


def _question(item: Item, questionnaire: Questionnaire) -> ExchangeQuestion:
    from auditkit.exchange import wording

    question, lang, answer = item.question, questionnaire.lang, item.answer
    value = answer.value if answer else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    choices = [
        ExchangeChoice(value=c.value, label=c.label.get(lang)) for c in question.choices or []
    ]
    return ExchangeQuestion(
        id=question.id,
        fingerprint=fingerprint(question),
        checklist=item.checklist.id,
        text=question.text.get(lang),
        help=wording.help_text(question, item.condition, lang) or None,
        type=question.type,
        choices=choices or None,
        allow_na=question.allow_na and question.type is not AnswerType.TEXT,
        answer=value,
        comment=answer.comment if answer else None,
        evidence=answer.evidence_ref if answer else None,
    )


class _Dumper(yaml.SafeDumper):
    """Strings holding Unicode line breaks (NEL, LS, PS) are double-quoted, where PyYAML
    escapes them; in other styles it folds them into spaces or newlines."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dumps(questionnaire: Questionnaire, fmt: str) -> str:
    data = document(questionnaire).model_dump(mode="json")
    if fmt == "json":
        try:
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        except UnicodeEncodeError:  # pragma: no cover - lone surrogates only
            return json.dumps(data, ensure_ascii=True, indent=2) + "\n"
    return dump_yaml(data)


def dump_yaml(data: Any) -> str:
    """YAML that reads back exactly, whatever characters the strings hold; libyaml writes it
    when the output is sure to be the same byte for byte (see `_same_in_libyaml`)."""
    dumper = _CDumper if _CDumper is not None and _same_in_libyaml(data) else _Dumper
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


_C_BASE: Any = getattr(yaml, "CSafeDumper", None)  # None without libyaml
_CDumper: Any = type("_CDumper", (_C_BASE,), {}) if _C_BASE is not None else None
if _CDumper is not None:
    _CDumper.add_representer(str, _represent_str)
# Characters both emitters write as themselves. libyaml escapes characters beyond the BMP and
# treats TAB, CR and BOM differently; Unicode line breaks are double-quoted (see `_Dumper`).
_PLAIN_TEXT = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_SHORT_KEY = re.compile("[\x20-\x7e]{0,100}")


def _same_in_libyaml(data: Any) -> bool:
    """Whether libyaml writes `data` (a mapping of JSON values) exactly as PyYAML's emitter
    does: every string of plain characters without a space beside a line break (those are
    double-quoted, and the two emitters fold long double-quoted lines differently), mapping
    keys short ASCII (libyaml measures a simple key in bytes)."""
    return isinstance(data, dict) and _plain(data)


def _plain(value: Any) -> bool:
    if isinstance(value, str):
        return (
            _PLAIN_TEXT.fullmatch(value) is not None and " \n" not in value and "\n " not in value
        )
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and _SHORT_KEY.fullmatch(k) is not None and _plain(v)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, bool | int | float)


def read_document(path: Path) -> Content:
    source = str(path)
    try:
        text = read_regular(path, MAX_TEXT_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationProblem([Message.of("not_utf8", path=source)]) from None
    data = (
        load_json(text, source) if path.suffix.lower() == ".json" else safeyaml.loads(text, source)
    )
    if not isinstance(data, dict):
        raise ValidationProblem(
            [Message.of("not_questionnaire_document", path=source, format=FORMAT)]
        )
    if data.get("format") != FORMAT:
        found = repr(str(data.get("format"))[:60])
        said = Message.of("format_unsupported", path=source, found=found, format=FORMAT)
        raise ValidationProblem([said])
    try:
        parsed = ExchangeDocument.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(_problems(source, data, exc)) from None
    meta = Meta(parsed.format, parsed.audit_id, dict(parsed.checklists), parsed.lang)
    rows = tuple(
        Row(
            Message.of("plain", text=f"questions[{index}]"),
            q.id,
            q.answer,
            q.comment or None,
            q.evidence or None,
            q.fingerprint,
        )
        for index, q in enumerate(parsed.questions)
    )
    return Content(source, meta, rows)


def _problems(source: str, data: dict[str, Any], exc: ValidationError) -> list[Message]:
    problems: list[Message] = []
    questions = data.get("questions")
    for error in exc.errors():
        loc = list(error["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            item = questions[loc[1]] if isinstance(questions, list) else None
            qid = item.get("id") if isinstance(item, dict) else None
            rest = ".".join(str(p) for p in loc[2:] if not str(p).startswith("function-"))
            where = f"questions[{loc[1]}]" + (f" ({str(qid)[:80]})" if qid else "")
            where += f": {rest}" if rest else ""
        message = refusals.said(error)
        if len(loc) > 3 and loc[2] == "answer":
            where = where.split(": answer", 1)[0] + ": answer"
            message = Message.of("answer_cell_type")
        if error["type"] == "extra_forbidden":
            message = Message.of("exchange_unknown_field")
        line = Message.of("in_file_at", path=source, where=where, said=message)
        if line not in problems:
            problems.append(line)
    return problems
