"""The terminal interview: one question at a time, saved after every answer, resumable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditkit import answers as answer_rules
from auditkit import catalogue
from auditkit.assessment import AuditState
from auditkit.errors import ValidationProblem
from auditkit.models.audit import Source
from auditkit.models.checklist import AnswerType, Checklist, Question
from auditkit.models.common import Lang
from auditkit.models.message import Message
from auditkit.services import audits
from auditkit.storage import repository as repo

Ask = Callable[[str], str]  # raises EOFError when input ends
Say = Callable[[str], None]
SKIP, QUIT, HELP = {"s", "skip"}, {"q", "quit"}, {"?", "help"}


@dataclass
class Progress:
    answered_now: int = 0
    remaining: int = 0
    total: int = 0
    skipped: set[str] = field(default_factory=set)
    finished: bool = False


def next_question(state: AuditState, skipped: set[str]) -> tuple[Question | None, int, int]:
    """The first applicable unanswered question, and (remaining, total) counts."""
    values = {qid: a.value for qid, a in state.answers.items()}
    facts = state.audit.profile
    pending: list[Question] = []
    total = 0
    for checklist in state.checklists:
        if not checklist.applies_to(facts):
            continue
        for question in checklist.questions:
            if not question.applies_to(facts, values):
                continue
            total += 1
            answer = state.answers.get(question.id)
            if (answer is None or answer.value is None) and question.id not in skipped:
                pending.append(question)
    return (pending[0] if pending else None), len(pending), total


def render_question(question: Question, checklist: Checklist, lang: Lang, position: str) -> str:
    lines = [f"[{position}] {checklist.title.get(lang)} — {question.id}", question.text.get(lang)]
    if question.help:
        lines.append(f"  ({question.help.get(lang)})")
    for number, choice in enumerate(question.choices or [], 1):
        lines.append(f"  {number}) {choice.label.get(lang)} [{choice.value}]")
    if question.unit:
        lines.append(f"  ({question.unit.get(lang)})")
    words = catalogue.load(lang)
    hint = words.cli("interview_keys")
    shown = answer_rules.expected(question, lang)
    if question.choices:
        shown += words.get("answer_formats", "by_number")
    lines.append(f"  {shown} — {hint}")
    return "\n".join(lines)


def _by_index(question: Question, raw: str) -> str:
    """Choices may be picked by their number; a list of numbers for multi-choice."""
    if not question.choices:
        return raw
    parts = [p.strip() for p in answer_rules.split_list(raw)]
    if all(p.isdigit() and 1 <= int(p) <= len(question.choices) for p in parts):
        return ",".join(question.choices[int(p) - 1].value for p in parts)
    return raw


def ask_one(
    question: Question, ask: Ask, say: Say, lang: Lang, today: dt.date, interactive: bool = True
) -> str | None:
    """Ask until the answer is valid; None means skip. Raises EOFError or KeyboardInterrupt.

    Without a person at the terminal (piped input) an invalid answer stops the interview
    with an error instead of asking again, so a script never drifts out of step.
    """
    words = catalogue.load(lang)
    while True:
        raw = ask(words.cli("prompt_answer")).strip()
        if raw.lower() in QUIT:
            raise EOFError
        if raw.lower() in SKIP or raw == "":
            return None
        if raw in HELP:
            say(question.help.get(lang) if question.help else words.cli("no_help"))
            continue
        raw = _by_index(question, raw)
        try:
            answer_rules.parse(question, raw, today)
        except answer_rules.AnswerError as exc:
            if not interactive:
                said = Message.of("answer_rejected", question=question.id, error=exc.message)
                raise ValidationProblem([said]) from None
            say(words.cli("invalid_answer", error=words.render(exc.message)))
            continue
        return raw


def run(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    actor: str,
    ask: Ask,
    say: Say,
    lang: Lang = "en",
    source: Source = Source.VENDOR,
    interactive: bool = True,
) -> Progress:
    """Ask every pending question; each answer is committed before the next is asked.

    Every question takes two lines of input, an answer (empty or `s` to skip) and a comment;
    with piped input a skipped question's comment line is read too, so a script can give every
    question the same two lines. Ctrl-C at the comment prompt keeps the answer just typed
    (then KeyboardInterrupt propagates). `remaining` at the end is `audit score`'s count of
    unanswered questions.
    """
    progress = Progress()
    while True:
        state = audits.state(db, audit_id, checklists)
        repo.require_writable(state.audit)
        question, pending, progress.total = next_question(state, progress.skipped)
        if question is None:
            return _finish(progress, db, audit_id, checklists)
        checklist = next(c for c in state.checklists if c.question(question.id))
        done = progress.total - pending + 1
        say(render_question(question, checklist, lang, f"{done}/{progress.total}"))
        prompt = catalogue.load(lang).cli("prompt_comment")
        try:
            raw = ask_one(question, ask, say, lang, state.audit.as_of, interactive)
            if raw is None:
                progress.skipped.add(question.id)
                if not interactive:
                    ask(prompt)  # the skipped question's comment line
                continue
        except EOFError:
            return _finish(progress, db, audit_id, checklists)
        try:
            comment = ask(prompt).strip() or None
        except EOFError:
            comment = None
        except KeyboardInterrupt:
            _save(db, audit_id, question, raw, None, checklists, actor, source, interactive)
            raise
        if _save(db, audit_id, question, raw, comment, checklists, actor, source, interactive):
            say(_attach_later(audit_id, question, raw, lang))
        progress.answered_now += 1


def _finish(
    progress: Progress, db: str | None, audit_id: int, checklists: dict[str, Checklist]
) -> Progress:
    """Open questions counted as `audit score` counts them (skipped ones included)."""
    progress.remaining = audits.state(db, audit_id, checklists).score().unanswered
    progress.finished = progress.remaining == 0
    return progress


def _save(
    db: str | None,
    audit_id: int,
    question: Question,
    raw: str,
    comment: str | None,
    checklists: dict[str, Checklist],
    actor: str,
    source: Source,
    interactive: bool = True,
) -> bool:
    """An evidence question answered at the terminal with a file path stores the file, then
    the answer. A scripted interview (no terminal) never reads a file: the answer is kept as
    a reference, and True says the file is still to be attached with `audit evidence`."""
    evidence = question.evidence is not None and question.type is AnswerType.EVIDENCE
    if evidence and not interactive:
        audits.answer(db, audit_id, question.id, raw, checklists, actor, comment, source)
        return True
    path = Path(raw).expanduser()
    if question.evidence and question.type is AnswerType.EVIDENCE and path.is_file():
        kind = question.evidence.kinds[0]
        audits.attach_evidence(db, audit_id, question.id, path, kind, checklists, actor)
        raw = path.name
    audits.answer(db, audit_id, question.id, raw, checklists, actor, comment, source)
    return False


def _attach_later(audit_id: int, question: Question, raw: str, lang: Lang) -> str:
    command = f"auditkit audit evidence {audit_id} {question.id} FILE"
    return "  " + catalogue.load(lang).cli(
        "attach_later", reference=repr(raw[:80]), command=command
    )
