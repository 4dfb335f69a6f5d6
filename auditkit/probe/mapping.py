"""The measurement -> answer mapping, kept as data in `checklists/probes/tls.yaml`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError, model_validator

from auditkit import paths, safeyaml
from auditkit.errors import ValidationProblem
from auditkit.models.checklist import Checklist
from auditkit.models.common import Strict
from auditkit.models.common import problems as field_problems
from auditkit.models.message import Message
from auditkit.probe.results import PROTOCOLS, EndpointResult

PROBE_DATE = "@probe_date"
FactValue = bool | int | str | None
Fact = Literal[
    "oldest_protocol",
    "offers_tls13",
    "weak_cipher_accepted",
    "forward_secrecy_preferred",
    "forward_secrecy_only",
    "aead_preferred",
    "certificate_valid_now",
    "days_to_expiry",
    "hostname_matches",
    "self_signed",
    "chain_complete",
    "chain_valid",
    "weak_key",
    "weak_signature",
    "hsts_measured",
    "hsts_max_age",
    "hsts_include_subdomains",
    "hsts_preload",
]
FACTS: tuple[str, ...] = get_args(Fact)


class Condition(Strict):
    """One test of one fact; an unknown (unmeasured) fact never satisfies a condition."""

    fact: Fact
    equals: bool | int | str | None = None
    one_of: list[str] | None = None
    at_least: int | None = None
    below: int | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [self.equals, self.one_of, self.at_least, self.below]
        if sum(t is not None for t in tests) != 1:
            raise ValueError("give exactly one of equals, one_of, at_least, below")
        return self

    def holds(self, facts: dict[str, FactValue]) -> bool:
        value = facts.get(self.fact)
        if value is None:
            return False
        if self.equals is not None:
            return value == self.equals and type(value) is type(self.equals)
        if self.one_of is not None:
            return isinstance(value, str) and value in self.one_of
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if self.at_least is not None:
            return value >= self.at_least
        return self.below is not None and value < self.below


class Rule(Strict):
    value: str = Field(min_length=1)
    when: list[Condition] = Field(default_factory=list)  # all must hold; empty: always

    def applies(self, facts: dict[str, FactValue]) -> bool:
        return all(c.holds(facts) for c in self.when)


class AnswerMapping(Strict):
    question: str
    rules: list[Rule] = Field(min_length=1)


class ProbeMapping(Strict):
    probe: Literal["tls"]
    version: str
    checklist: str
    answers: list[AnswerMapping] = Field(min_length=1)

    def problems(self, checklist: Checklist, source: str) -> list[Message]:
        """Every question and choice named must exist in the checklist."""
        found = []
        for index, item in enumerate(self.answers):
            question = checklist.question(item.question)
            where = f"answers[{index}]"
            if question is None:
                said = Message.of(
                    "probe_map_no_question", checklist=checklist.id, question=repr(item.question)
                )
                found.append(
                    Message.of("in_file_at", path=source, where=f"{where}.question", said=said)
                )
                continue
            allowed = {c.value for c in question.choices or []}
            for r, rule in enumerate(item.rules):
                ok = rule.value in allowed or (rule.value == PROBE_DATE and question.type == "date")
                if not ok:
                    said = Message.of(
                        "probe_map_not_choice",
                        value=repr(rule.value),
                        question=item.question,
                        expected=", ".join(sorted(allowed)),
                    )
                    at = f"{where}.rules[{r}].value"
                    found.append(Message.of("in_file_at", path=source, where=at, said=said))
        return found


def default_path() -> Path:
    return paths.checklists_dir() / "probes" / "tls.yaml"


def load(path: Path | None = None, checklist: Checklist | None = None) -> ProbeMapping:
    path = path or default_path()
    raw = safeyaml.load_file(path)
    try:
        mapping = ProbeMapping.model_validate(raw)
    except ValidationError as exc:
        raise ValidationProblem(
            [Message.of("at", where=str(path), said=p) for p in field_problems(exc)]
        ) from None
    if checklist is not None:
        problems = mapping.problems(checklist, str(path))
        if problems:
            raise ValidationProblem(problems)
    return mapping


def facts(endpoint: EndpointResult) -> dict[str, FactValue]:
    """The named measurements the mapping's conditions may test."""
    accepted = [v for v in PROTOCOLS if endpoint.protocols.get(v)]
    cert, hsts = endpoint.certificate, endpoint.hsts
    found: dict[str, FactValue] = {
        "oldest_protocol": accepted[0] if accepted else None,
        "offers_tls13": endpoint.protocols.get("tls1.3"),
        "weak_cipher_accepted": bool(endpoint.weak_cipher_suites) if endpoint.protocols else None,
        "forward_secrecy_preferred": endpoint.forward_secrecy_preferred,
        "forward_secrecy_only": endpoint.forward_secrecy_only,
        "aead_preferred": endpoint.aead_preferred,
    }
    if cert is not None:
        codes = {f.code for f in endpoint.findings}
        found |= {
            "certificate_valid_now": not (cert.expired or cert.not_yet_valid),
            "days_to_expiry": cert.days_to_expiry,
            "hostname_matches": cert.hostname_matches,
            "self_signed": cert.self_signed,
            "chain_complete": cert.chain_complete,
            "chain_valid": cert.chain_valid,
            "weak_key": "weak_key" in codes,
            "weak_signature": "weak_signature" in codes,
        }
    if hsts is not None and hsts.error is None:
        found |= {
            "hsts_measured": True,
            "hsts_max_age": hsts.max_age or 0,
            "hsts_include_subdomains": hsts.include_subdomains,
            "hsts_preload": hsts.preload,
        }
    return found


@dataclass(frozen=True)
class Proposed:
    question_id: str
    value: str
    because: str  # which endpoint decided, in one line


def evaluate(
    mapping: ProbeMapping, checklist: Checklist, endpoints: list[EndpointResult], day: dt.date
) -> list[Proposed]:
    """One answer per mapped question: the lowest-scoring endpoint answer decides."""
    measured = [e for e in endpoints if e.error is None]
    proposed = []
    for item in mapping.answers:
        question = checklist.question(item.question)
        if question is None:
            continue
        scores = {c.value: c.score for c in question.choices or []}
        per_endpoint = []
        for endpoint in measured:
            known = facts(endpoint)
            rule = next((r for r in item.rules if r.applies(known)), None)
            if rule is not None:
                per_endpoint.append((rule.value, endpoint.target))
        if not per_endpoint:
            continue
        value, target = min(per_endpoint, key=lambda pair: scores.get(pair[0], 1.0))
        if value == PROBE_DATE:
            value = day.isoformat()
        targets = ", ".join(t for _, t in per_endpoint)
        proposed.append(
            Proposed(item.question, value, f"measured on {targets}; decided by {target}")
        )
    return proposed
