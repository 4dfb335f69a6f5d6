"""Parse and check answer values against their question. Pure, shared by every input path."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from auditkit.models.audit import AnswerValue
from auditkit.models.checklist import NA, AnswerType, Question

MAX_TEXT = 10_000
_SPLIT = re.compile(r"[,、，;]\s*")
_NA_WORDS = {"n/a", "na", "not applicable", "該当なし", "対象外"}
_ALIASES = {"y": "yes", "はい": "yes", "n": "no", "いいえ": "no", "p": "partial", "一部": "partial"}


class AnswerError(ValueError):
    """The text cannot be an answer to the question; the message says what is expected."""


_EXPECTED = {
    "en": {
        "one": "one of {values}",
        "many": "one or more of {values}",
        AnswerType.NUMBER: "a number",
        AnswerType.DATE: "a date YYYY-MM-DD",
        AnswerType.EVIDENCE: "an evidence reference (file name)",
        "text": "free text",
        "na": " or n/a",
    },
    "ja": {
        "one": "次のいずれか: {values}(番号も可)",
        "many": "次から1つ以上(カンマ区切り): {values}(番号も可)",
        AnswerType.NUMBER: "数値",
        AnswerType.DATE: "日付 YYYY-MM-DD",
        AnswerType.EVIDENCE: "証跡の参照(ファイル名)",
        "text": "自由記述",
        "na": "、または n/a",
    },
}


def expected(question: Question, lang: str = "en") -> str:
    """What a valid answer looks like, for error messages and prompts."""
    words = _EXPECTED.get(lang, _EXPECTED["en"])
    if question.type is AnswerType.TEXT:
        return words["text"]
    na = words["na"] if question.allow_na else ""
    if question.choices:
        many = "many" if question.type is AnswerType.MULTI_CHOICE else "one"
        return words[many].format(values=", ".join(c.value for c in question.choices)) + na
    return words.get(question.type, words["text"]) + na


def parse(question: Question, raw: Any, today: dt.date | None = None) -> AnswerValue:
    """Turn user or file input into a stored value; raise AnswerError when it cannot be one.

    Empty input means unanswered (None).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = question.type
    if isinstance(raw, str) and raw.strip().lower() in _NA_WORDS and kind is not AnswerType.TEXT:
        if not question.allow_na:
            raise AnswerError(f"n/a is not allowed here; expected {expected(question)}")
        return NA
    if kind is AnswerType.MULTI_CHOICE:
        return _multi(question, raw)
    if question.choices:
        return _choice(question, raw)
    if kind is AnswerType.NUMBER:
        return _number(question, raw)
    if kind is AnswerType.DATE:
        return _date(question, raw, today)
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise AnswerError(f"expected {expected(question)}")
    text = str(raw)
    if len(text) > MAX_TEXT:
        raise AnswerError(f"text longer than {MAX_TEXT} characters")
    return text


def _choice_value(question: Question, raw: Any) -> str:
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if not isinstance(raw, str):
        raise AnswerError(f"expected {expected(question)}")
    typed = raw.strip()
    token = _ALIASES.get(typed.lower(), _ALIASES.get(typed, typed.lower()))
    for choice in question.choices or []:
        if token in (choice.value, choice.label.en.lower(), choice.label.ja.lower()):
            return choice.value
    raise AnswerError(f"unknown choice {raw.strip()[:80]!r}; expected {expected(question)}")


def _choice(question: Question, raw: Any) -> str:
    return _choice_value(question, raw)


def _multi(question: Question, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else _SPLIT.split(raw) if isinstance(raw, str) else None
    if items is None:
        raise AnswerError(f"expected {expected(question)}")
    values = [
        _choice_value(question, item)
        for item in items
        if not (isinstance(item, str) and not item.strip())
    ]
    order = [c.value for c in question.choices or []]
    return sorted(set(values), key=order.index)


def _number(question: Question, raw: Any) -> float:
    if isinstance(raw, bool):
        raise AnswerError(f"expected {expected(question)}")
    try:
        number = (
            float(str(raw).strip().replace(",", ""))
            if not isinstance(raw, int | float)
            else float(raw)
        )
    except ValueError:
        raise AnswerError(
            f"{str(raw)[:40]!r} is not a number; expected {expected(question)}"
        ) from None
    if not math.isfinite(number) or number < 0:
        raise AnswerError(f"expected a finite number >= 0, got {str(raw)[:40]!r}")
    return number


def _date(question: Question, raw: Any, today: dt.date | None) -> str:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        day = raw
    else:
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise AnswerError(
                f"{str(raw)[:40]!r} is not a date; expected {expected(question)}"
            ) from None
    if day.year < 1990:
        raise AnswerError(f"{day.isoformat()} is implausibly old; expected a date YYYY-MM-DD")
    if today is not None and day > today and not question.asks_future_date:
        raise AnswerError(f"{day.isoformat()} is in the future; expected a past date")
    return day.isoformat()


def display(question: Question, value: AnswerValue, lang: str = "en") -> str:
    """A value as a person reads it (choice labels in the chosen language)."""
    if value is None:
        return ""
    if value == NA:
        return "N/A" if lang == "en" else "該当なし"
    if isinstance(value, list):
        return ", ".join(display(question, v, lang) for v in value)
    choice = question.choice(str(value)) if question.choices else None
    if choice is not None:
        return choice.label.ja if lang == "ja" else choice.label.en
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
