"""Parse and check answer values against their question. Pure, shared by every input path.

What a valid answer looks like is written once, in the catalogue's `answer_formats` table;
the words accepted for yes/no/partial/N/A come from its `answer_words` table (any language).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from typing import Any

from auditkit import catalogue
from auditkit.models.audit import AnswerValue
from auditkit.models.checklist import NA, AnswerType, Question
from auditkit.models.lang import Lang
from auditkit.models.message import Message, Param

MAX_TEXT = 10_000


class AnswerError(ValueError):
    """The text cannot be an answer to the question; the message says what is expected."""

    def __init__(self, message: Message | str) -> None:
        self.message = (
            message if isinstance(message, Message) else Message.of("plain", text=message)
        )
        super().__init__(catalogue.load("en").render(self.message))


@cache
def _words() -> tuple[frozenset[str], dict[str, str], re.Pattern[str]]:
    na = frozenset(w.lower() for w in catalogue.all_words("na"))
    aliases = {
        w.lower(): value for value in ("yes", "no", "partial") for w in catalogue.all_words(value)
    }
    separators = "".join(catalogue.all_words("separators"))
    return na, aliases, re.compile(f"[{re.escape(separators)}]\\s*")


def split_list(text: str) -> list[str]:
    """A typed list of values, split at any language's separators."""
    return _words()[2].split(text)


def expected_parts(question: Question, lang: Lang, as_of: str | None = None) -> tuple[str, str]:
    """What a valid answer looks like: the description and its N/A suffix ("" if none)."""
    words = catalogue.load(lang)
    kind = question.type
    if kind is AnswerType.MULTI_CHOICE or question.choices:
        key = "multi" if kind is AnswerType.MULTI_CHOICE else "choice"
        values = ", ".join(c.value for c in question.choices or [])
        text = words.text("answer_formats", key, values=values)
    elif kind is AnswerType.DATE and as_of is not None:
        text = words.text("answer_formats", "date_until", day=as_of)
    elif kind in (AnswerType.NUMBER, AnswerType.DATE, AnswerType.EVIDENCE):
        text = words.text("answer_formats", kind.value)
    else:
        text = words.text("answer_formats", "text")
    na = words.text("answer_formats", "na") if _na_allowed(question) else ""
    return text, na


def _na_allowed(question: Question) -> bool:
    return question.allow_na and question.type is not AnswerType.TEXT


def expected(question: Question, lang: Lang = "en") -> str:
    """What a valid answer looks like, on one line, for error messages and prompts."""
    text, na = expected_parts(question, lang)
    return f"{text} {na}" if na else text


def _fail(code: str, question: Question | None = None, **params: Param) -> AnswerError:
    if question is not None:
        params["expected"] = Expected(question)
    return AnswerError(Message.of(code, **params))


class Expected:
    """The expected-answer description as a localised parameter."""

    def __init__(self, question: Question) -> None:
        self.en = expected(question, "en")
        self.ja = expected(question, "ja")


def parse(question: Question, raw: Any, today: dt.date | None = None) -> AnswerValue:
    """Turn user or file input into a stored value; raise AnswerError when it cannot be one.

    Empty input means unanswered (None).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = question.type
    if isinstance(raw, str) and raw.strip().lower() in _words()[0] and kind is not AnswerType.TEXT:
        if not question.allow_na:
            raise _fail("na_not_allowed", question)
        return NA
    if kind is AnswerType.MULTI_CHOICE:
        return _multi(question, raw)
    if question.choices:
        return _choice_value(question, raw)
    if kind is AnswerType.NUMBER:
        return _number(question, raw)
    if kind is AnswerType.DATE:
        return _date(question, raw, today)
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise _fail("expected_answer", question)
    text = str(raw)
    if len(text) > MAX_TEXT:
        raise _fail("text_too_long", limit=MAX_TEXT)
    return text


def _choice_value(question: Question, raw: Any) -> str:
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if not isinstance(raw, str):
        raise _fail("expected_answer", question)
    typed = raw.strip()
    token = _words()[1].get(typed.lower(), typed.lower())
    for choice in question.choices or []:
        if token in (choice.value, choice.label.en.lower(), choice.label.ja.lower()):
            return choice.value
    raise _fail("not_a_choice", question, value=repr(typed[:80]))


def _multi(question: Question, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else split_list(raw) if isinstance(raw, str) else None
    if items is None:
        raise _fail("expected_answer", question)
    values = [
        _choice_value(question, item)
        for item in items
        if not (isinstance(item, str) and not item.strip())
    ]
    order = [c.value for c in question.choices or []]
    return sorted(set(values), key=order.index)


def _number(question: Question, raw: Any) -> float:
    if isinstance(raw, bool):
        raise _fail("expected_answer", question)
    try:
        number = (
            float(str(raw).strip().replace(",", ""))
            if not isinstance(raw, int | float)
            else float(raw)
        )
    except ValueError:
        raise _fail("not_a_number", question, value=repr(str(raw)[:40])) from None
    if not math.isfinite(number) or number < 0:
        raise _fail("negative_number", value=repr(str(raw)[:40]))
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
            raise _fail("not_a_date", question, value=repr(str(raw)[:40])) from None
    if day.year < 1990:
        raise _fail("date_too_old", value=day.isoformat())
    if today is not None and day > today and not question.asks_future_date:
        raise _fail("date_in_future", value=day.isoformat())
    return day.isoformat()


def na_word(lang: Lang) -> str:
    """How N/A is shown to a reader."""
    return catalogue.load(lang).get("answer_formats", "na_value")


def display(question: Question, value: AnswerValue, lang: Lang = "en") -> str:
    """A value as a person reads it (choice labels in the chosen language)."""
    if value is None:
        return ""
    if value == NA:
        return na_word(lang)
    if isinstance(value, list):
        return ", ".join(display(question, v, lang) for v in value)
    choice = question.choice(str(value)) if question.choices else None
    if choice is not None:
        return choice.label.ja if lang == "ja" else choice.label.en
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
