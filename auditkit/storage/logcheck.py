"""Check the change log: the hash chain, and stored data against its last logged values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Table, select

from auditkit.models.message import Message
from auditkit.storage.chain import GENESIS, Entry, as_stored, entries, recompute
from auditkit.storage.schema import answers, audits, evidence, evidence_links, findings, vendors

# entity -> (table, key column, the column a "created" entry records, must every row be logged)
TRACKED: dict[str, tuple[Table, str, str | None, bool]] = {
    "vendor": (vendors, "id", "name", True),
    "audit": (audits, "id", None, True),
    "finding": (findings, "id", "summary", True),
    "evidence": (evidence, "sha256", None, False),
}
ANSWER_STATE = ("value", "comment", "source", "evidence", "evidence_ref")
NOT_COMPARED = {"id", "content", "size", "added_at", "created_at", "updated_at", "started_at"}

Subject = tuple[str, str]  # entity, entity id (answers: "AUDIT/QUESTION")


@dataclass(frozen=True)
class LogCheck:
    """What `log verify` found: the first break in the chain, then every disagreeing row."""

    entries: int
    head: str
    said: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.said

    @property
    def problems(self) -> list[str]:
        """What does not hold, in English (logs, scripts; `said` for the user's language)."""
        from auditkit import catalogue

        return [catalogue.load("en").render(m) for m in self.said]


def check(conn: Connection, anchor: str | None = None) -> LogCheck:
    """Call first thing in a transaction: the log and the tables are read from one snapshot.
    `anchor` is a head hash noted earlier: it must still be in the log."""
    snapshot(conn)
    log = entries(conn)
    problems = chain_problems(log)
    if anchor is not None and anchor != GENESIS and all(e.hash != anchor for e in log):
        problems.append(Message.of("log_head_gone", head=anchor))
    problems += data_problems(conn, log)
    return LogCheck(len(log), log[-1].hash if log else GENESIS, problems)


def snapshot(conn: Connection) -> None:
    """Make every read that follows see the database as of one moment."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:  # a read transaction holds its snapshot
            conn.exec_driver_sql("BEGIN")


def subject(entity: str, ident: str, audit_id: int | None = None) -> Message:
    """A logged row: `vendor 3`, `finding 2 of audit 1`, `answer Q of audit 1`."""
    if audit_id is not None and entity != "audit":
        return Message.of(f"log_{entity}_of_audit", id=ident, audit=audit_id)
    return Message.of(f"log_{entity}", id=ident)


def describe(entry: Entry) -> Message:
    what = subject(entry.entity, entry.entity_id, entry.audit_id)
    return Message.of(
        "log_entry_about",
        seq=entry.seq,
        at=canonical_at(entry.at),
        actor=entry.actor,
        what=what,
        field=entry.field,
    )


def logged_in(entry: Entry) -> Message:
    return Message.of("log_entry", seq=entry.seq, at=canonical_at(entry.at), actor=entry.actor)


def canonical_at(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S") + " UTC"


def chain_problems(log: list[Entry]) -> list[Message]:
    """The first place where the chain does not hold, if any (later links depend on it)."""
    previous: Entry | None = None
    for entry in log:
        expected = 1 if previous is None else previous.seq + 1
        if entry.seq != expected:
            if entry.seq == expected + 1:
                return [Message.of("log_missing_one", seq=expected, kept=entry.seq)]
            return [Message.of("log_missing", first=expected, last=entry.seq - 1, kept=entry.seq)]
        link = GENESIS if previous is None else previous.hash
        if entry.prev_hash != link:
            if previous is None:
                return [Message.of("log_broken_first", entry=describe(entry))]
            return [Message.of("log_broken", entry=describe(entry), previous=previous.seq)]
        if recompute(entry) != entry.hash:
            return [Message.of("log_entry_changed", entry=describe(entry))]
        previous = entry
    return []


def latest_values(log: Iterable[Entry]) -> dict[Subject, dict[str, Entry]]:
    """The newest entry for each field of each subject. A "created" entry counts for every
    column it records (a vendor's whole row; only the name or summary in
    entries written before vendors were logged whole)."""
    latest: dict[Subject, dict[str, Entry]] = {}
    for entry in log:
        name, ident = entry.field, entry.entity_id
        if entry.entity == "answer":
            name, ident = "answer", f"{entry.audit_id}/{entry.entity_id}"
        elif entry.entity not in TRACKED:
            continue
        elif name == "created" and isinstance(entry.new, dict):  # the whole row as created
            fields = latest.setdefault((entry.entity, ident), {})
            for column, value in entry.new.items():
                fields[column] = replace(entry, field=column, new=value)
            continue
        elif name == "created":  # only the name or summary
            name = TRACKED[entry.entity][2] or name
        latest.setdefault((entry.entity, ident), {})[name] = entry
    return latest


def stored(value: Any) -> Any:
    """A column value as the log records it."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return as_stored(value)


def data_problems(conn: Connection, log: list[Entry]) -> list[Message]:
    latest = latest_values(log)
    problems: list[Message] = []
    for entity, (table, key, created, required) in TRACKED.items():
        rows = {str(r._mapping[key]): r._mapping for r in conn.execute(select(table))}
        for ident, row in rows.items():
            logged = latest.get((entity, ident), {})
            first = created or "status"
            if required and first not in logged:
                problems.append(Message.of("log_unlogged", what=subject(entity, ident)))
            for name, entry in sorted(logged.items()):
                if name in table.c and name not in NOT_COMPARED:
                    value = stored(row[name])
                    if value != entry.new:
                        problems.append(_disagrees(entity, ident, name, value, entry))
        gone = [
            max(f.values(), key=seq)
            for (e, i), f in latest.items()
            if e == entity and i not in rows
        ]
        for entry in sorted(gone, key=seq):
            problems.append(
                Message.of(
                    "log_gone", what=subject(entity, entry.entity_id), entry=logged_in(entry)
                )
            )
    return problems + _answer_problems(conn, latest)


def seq(entry: Entry) -> int:
    return entry.seq


def _answer_problems(conn: Connection, latest: dict[Subject, dict[str, Entry]]) -> list[Message]:
    problems: list[Message] = []
    rows = {f"{r.audit_id}/{r.question_id}": r._mapping for r in conn.execute(select(answers))}
    links: dict[str, list[dict[str, Any]]] = {}
    query = select(evidence_links).order_by(evidence_links.c.position)
    for link in conn.execute(query):
        links.setdefault(f"{link.audit_id}/{link.question_id}", []).append(link_state(link))
    for ident, row in rows.items():
        audit_id, question = ident.split("/", 1)
        what = subject("answer", question, int(audit_id))
        entry = latest.get(("answer", ident), {}).get("answer")
        if entry is None:
            problems.append(Message.of("log_unlogged", what=what))
            continue
        state = {name: stored(row[name]) for name in ANSWER_STATE if name != "evidence"}
        state["evidence"] = _evidence_state(links.get(ident, []), entry.new)
        if row["verification"] is not None:  # logged only when there is one
            state["verification"] = row["verification"]
        if state != entry.new:
            logged = entry.new if isinstance(entry.new, dict) else {}
            names = (*ANSWER_STATE, "verification")
            diff = [n for n in names if state.get(n) != logged.get(n)] or ["answer"]
            problems.append(
                Message.of(
                    "log_answer_differs", what=what, fields=", ".join(diff), entry=logged_in(entry)
                )
            )
    gone = [f["answer"] for (e, i), f in latest.items() if e == "answer" and i not in rows]
    for entry in sorted(gone, key=seq):
        if entry.new is not None:
            what = subject("answer", entry.entity_id, entry.audit_id)
            problems.append(Message.of("log_gone", what=what, entry=logged_in(entry)))
    return problems


def link_state(link: Any) -> dict[str, Any]:
    """An evidence link as answers log it (see auditkit.storage.evidence.link_state)."""
    return {
        "sha256": link.sha256,
        "name": link.name,
        "kind": link.kind,
        "issued": stored(link.issued),
        "expires": stored(link.expires),
        "note": link.note,
    }


def _evidence_state(linked: list[dict[str, Any]], logged: Any) -> list[Any]:
    """The answer's links as logged: entries written before evidence details moved to the
    links (0003_frozen_record) hold only the files' hashes."""
    old = logged.get("evidence") if isinstance(logged, dict) else None
    if isinstance(old, list) and all(isinstance(item, str) for item in old) and old:
        return [link["sha256"] for link in linked]
    return linked


def _disagrees(entity: str, ident: str, name: str, value: Any, entry: Entry) -> Message:
    return Message.of(
        "log_differs",
        what=subject(entity, ident),
        field=name,
        value=repr(value),
        logged=repr(entry.new),
        entry=logged_in(entry),
    )
