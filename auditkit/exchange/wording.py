"""Every reader-facing text of the exchange files, from the label catalogue."""

from __future__ import annotations

from auditkit import answers, catalogue
from auditkit.models.checklist import AnswerType, Question
from auditkit.models.common import Lang
from auditkit.models.lang import LANGS

META_SHEET = "_meta"
LISTS_SHEET = "_lists"
COLUMNS = (
    "number",
    "question",
    "help",
    "allowed",
    "answer",
    "comment",
    "evidence",
    "id",
    "fingerprint",
)
STEPS = ("title", "how_to", *(f"step_{n}" for n in range(1, 10)))


def word(key: str, lang: Lang, **params: str | int) -> str:
    return catalogue.load(lang).text("workbook", key, **params)


def instructions_sheet() -> str:
    return word("instructions_sheet", "en")


def instruction_sheets() -> set[str]:
    """The instructions sheet's name in every language (skipped on import)."""
    return {word("instructions_sheet", lang) for lang in LANGS}


def headers(lang: Lang) -> tuple[str, ...]:
    return tuple(word(f"col_{c}", lang) for c in COLUMNS)


def instructions() -> list[tuple[str, str]]:
    """The instruction lines, English beside Japanese."""
    return [(word(k, "en"), word(k, "ja")) for k in STEPS]


def both(key: str) -> str:
    return f"{word(key, 'en')} / {word(key, 'ja')}"


def choice_labels(question: Question, lang: Lang) -> list[str]:
    """The drop-down entries of a single-choice question, N/A last where allowed."""
    labels = [c.label.get(lang) for c in question.choices or []]
    return [*labels, answers.na_word(lang)] if question.allow_na else labels


def allowed(question: Question, lang: Lang, as_of_iso: str) -> str:
    """The 'Allowed answers' cell: what a valid answer looks like (the shared table)."""
    words = catalogue.load(lang)
    if question.choices:
        key = "multi" if question.type is AnswerType.MULTI_CHOICE else "choice"
        shown = [
            f"- {c.value}: {c.label.get(lang)}"
            if question.type is AnswerType.MULTI_CHOICE
            else f"- {c.label.get(lang)}"
            for c in question.choices
        ]
        heading = words.text("answer_formats", key, values="").rstrip()
        lines = [heading if heading.endswith(":") else f"{heading}:", *shown]
    else:
        text, _ = answers.expected_parts(question, lang, as_of_iso)
        unit = f" ({question.unit.get(lang)})" if question.unit else ""
        lines = [text + unit]
    lines[0] = lines[0][:1].upper() + lines[0][1:]
    _, na = answers.expected_parts(question, lang)
    if na:
        lines.append(f"- {answers.na_word(lang)}" if question.choices else na)
    return "\n".join(lines)


def answer_test(number: int, question_id: str, values: list[str], lang: Lang) -> str:
    shown = " / ".join(f'"{v}"' for v in values)
    return word("answer_test", lang, number=number, question=question_id, values=shown)


def join(parts: list[str], glue: str, lang: Lang) -> str:
    return word(glue, lang).join(parts)


def negate(part: str, lang: Lang) -> str:
    return word("negate", lang, condition=part)


def only_if(condition: str, lang: Lang) -> str:
    if condition.startswith("(") and condition.endswith(")"):
        condition = condition[1:-1]
    return word("only_if", lang, condition=condition)


def help_text(question: Question, condition: str | None, lang: Lang) -> str:
    parts = [question.help.get(lang) if question.help else None, condition]
    return "\n".join(p for p in parts if p)
