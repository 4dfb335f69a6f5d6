"""Verified beats self-attested: how an answer is known, the confidence rules (data) and what
they do to scores, plus the property that verifying an answer never lowers a score."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditkit.checklists import load_confidence
from auditkit.errors import ValidationProblem
from auditkit.models.audit import Answer, Knowledge, Source, Verification, VerifyHow
from auditkit.models.confidence import NEUTRAL, ConfidenceRules, Factors
from auditkit.models.message import Message
from auditkit.scoring import score_audit, score_question
from tests.builders import answer, checklist, evidence, question

DAY = dt.date(2026, 11, 1)
RULES = ConfidenceRules(
    factors=Factors(self_attested=0.8, evidence=0.9, verified=1.0, measured=1.0),
    unsupported_critical_cap=0.5,
)
CHECK = Verification(how=VerifyHow.DEMO, note="shown in the console", by="Auditor")


def one(q: Any, value: Any, rules: ConfidenceRules = RULES, **fields: Any) -> Any:
    return score_question(q, "d", answer(q.id, value, **fields), True, DAY, rules)


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({}, Knowledge.SELF_ATTESTED),
        ({"source": Source.STANDARD}, Knowledge.SELF_ATTESTED),
        ({"evidence": [evidence()]}, Knowledge.EVIDENCE),
        ({"evidence": [evidence(expires=DAY - dt.timedelta(days=1))]}, Knowledge.SELF_ATTESTED),
        ({"source": Source.AUDITOR}, Knowledge.VERIFIED),
        ({"verification": CHECK}, Knowledge.VERIFIED),
        ({"verification": CHECK, "evidence": [evidence()]}, Knowledge.VERIFIED),
        ({"source": Source.PROBE}, Knowledge.MEASURED),
    ],
)
def test_how_an_answer_is_known_is_derived_from_source_evidence_and_verification(
    fields: dict[str, Any], kind: Knowledge
) -> None:
    result = one(question("d.q"), "yes", **fields)
    assert result.knowledge is kind
    assert result.confidence == RULES.factors.of(kind)


def test_evidence_of_a_kind_the_question_does_not_accept_does_not_support_it() -> None:
    q = question("d.q", evidence={"required": False, "kinds": ["soc2_report"]})
    assert one(q, "yes", evidence=[evidence(kind="policy")]).knowledge is Knowledge.SELF_ATTESTED
    good = evidence(kind="soc2_report")
    assert one(q, "yes", evidence=[good]).knowledge is Knowledge.EVIDENCE


def test_a_self_attested_knockout_control_needs_support_to_pass() -> None:
    q = question("d.q", critical=True, severity="critical")
    claimed = one(q, "yes")
    assert (claimed.status, claimed.score) == ("partial", 0.5)
    assert claimed.failed_critical
    assert claimed.notes == (
        Message.of("score_capped", cause=Message.of("unsupported_self_attested"), cap="0.5"),
    )
    assert claimed.cause() == Message.of("unsupported_self_attested")  # the knock-out's reason
    for fields in ({"verification": CHECK}, {"evidence": [evidence()]}, {"source": Source.PROBE}):
        supported = one(q, "yes", **fields)
        assert (supported.status, supported.score, supported.notes) == ("pass", 1.0, ())
    assert one(q, "no").status == "fail"  # a failing answer stays failing
    lenient = RULES.model_copy(update={"unsupported_critical_cap": 1.0})
    assert one(q, "yes", lenient).status == "pass"  # 1 turns the rule off


def test_the_factor_weighs_the_domain_score_and_the_basis_says_what_it_rests_on() -> None:
    qs = [question(f"d.q{i}") for i in range(4)]
    answers = {
        "d.q0": answer("d.q0", "yes"),  # self-attested: 0.8
        "d.q1": answer("d.q1", "yes", evidence=[evidence()]),  # 0.9
        "d.q2": answer("d.q2", "yes", verification=CHECK),  # 1.0
        "d.q3": answer("d.q3", "no", source=Source.PROBE),  # 0 points
    }
    result = score_audit([checklist("d", qs)], {}, answers, 3, DAY, RULES)
    domain = result.domains[0]
    assert domain.score == pytest.approx(100 * (0.8 + 0.9 + 1.0) / 4)
    assert domain.basis == pytest.approx(
        {"self_attested": 0.8 / 2.7, "evidence": 0.9 / 2.7, "verified": 1.0 / 2.7}
    )
    assert [r.status for r in domain.questions] == ["pass", "pass", "pass", "fail"]
    neutral = score_audit([checklist("d", qs)], {}, answers, 3, DAY, NEUTRAL)
    assert neutral.domains[0].score == pytest.approx(75.0)  # the rules before they existed


def test_shipped_rules_are_valid_and_documented_defaults() -> None:
    rules = load_confidence()
    assert rules.factors.self_attested < rules.factors.verified == 1.0
    assert rules.unsupported_critical_cap < 1.0


def test_an_organisation_overrides_the_rules_and_bad_rules_are_one_line_each(
    tmp_path: Path,
) -> None:
    org = tmp_path / "org"
    (org / "scoring").mkdir(parents=True)
    path = org / "scoring" / "confidence.yaml"
    path.write_text(
        "factors: {self_attested: 0.5, evidence: 0.75, verified: 1, measured: 1}\n"
        "unsupported_critical_cap: 0.25\n",
        encoding="utf-8",
    )
    assert load_confidence((org,)).factors.self_attested == 0.5
    path.write_text(
        "factors: {self_attested: 0.9, evidence: 0.5, verified: 1, measured: 1.5}\n"
        "unsupported_critical_cap: 0.5\nbonus: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationProblem) as caught:
        load_confidence((org,))
    assert caught.value.problems == [
        f"{path}: factors.measured: Input should be less than or equal to 1",
        f"{path}: bonus: unknown field (not part of the checklist schema)",
    ]
    path.write_text(
        "factors: {self_attested: 0.9, evidence: 0.5, verified: 1, measured: 1}\n"
        "unsupported_critical_cap: 0.5\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationProblem, match="evidence must not count less than self_attested"):
        load_confidence((org,))


# --- property: adding a verification never lowers a score --------------------------------

FACTOR = st.floats(min_value=0.05, max_value=1.0)


@st.composite
def rules(draw: st.DrawFn) -> ConfidenceRules:
    base = draw(FACTOR)
    above = st.floats(min_value=base, max_value=1.0)
    return ConfidenceRules(
        factors=Factors(
            self_attested=base, evidence=draw(above), verified=draw(above), measured=draw(above)
        ),
        unsupported_critical_cap=draw(st.floats(min_value=0.0, max_value=1.0)),
    )


CHOICES = ("yes", "partial", "no", None)


@st.composite
def audits(draw: st.DrawFn) -> tuple[list[Any], dict[str, Answer]]:
    """One or two domains of yes/no/partial questions, some critical, some with evidence
    requirements; answers from any source, some with (possibly expired) evidence."""
    checklists, answers = [], {}
    for d in range(draw(st.integers(1, 2))):
        qs = []
        for i in range(draw(st.integers(1, 5))):
            qid = f"d{d}.q{i}"
            needs, critical = draw(st.booleans()), draw(st.booleans())
            qs.append(
                question(
                    qid,
                    type="yes_no_partial",
                    weight=draw(st.integers(1, 5)),
                    critical=critical,
                    severity="critical" if critical else "medium",
                    pass_score=draw(st.sampled_from([0.5, 1.0])),
                    evidence={"required": True, "kinds": ["policy"]} if needs else None,
                )
            )
            value = draw(st.sampled_from(CHOICES))
            if value is None:
                continue
            files = []
            if draw(st.booleans()):
                days = draw(st.integers(-30, 30))
                files = [evidence(expires=DAY + dt.timedelta(days=days))]
            answers[qid] = answer(
                qid, value, source=draw(st.sampled_from(list(Source))), evidence=files
            )
        checklists.append(checklist(f"d{d}", qs))
    return checklists, answers


@settings(max_examples=200, deadline=None)
@given(audits(), rules(), st.data())
def test_verifying_an_answer_never_lowers_a_score(
    audit: tuple[list[Any], dict[str, Answer]], chosen: ConfidenceRules, data: st.DataObject
) -> None:
    checklists, answers = audit
    open_ = sorted(q for q, a in answers.items() if a.verification is None)
    assume(open_)
    target = data.draw(st.sampled_from(open_))
    verified = {**answers, target: answers[target].model_copy(update={"verification": CHECK})}
    before = score_audit(checklists, {}, answers, 2, DAY, chosen)
    after = score_audit(checklists, {}, verified, 2, DAY, chosen)

    def by_question(result: Any) -> dict[str, Any]:
        return {r.question.id: r for d in result.domains for r in d.questions}

    old, new = by_question(before)[target], by_question(after)[target]
    assert new.knowledge is not None and old.knowledge is not None
    assert (new.score or 0) >= (old.score or 0)
    assert new.points >= old.points
    assert new.confidence >= old.confidence
    for d0, d1 in zip(before.domains, after.domains, strict=True):
        assert (d1.score or 0) >= (d0.score or 0) - 1e-9
    assert (after.overall or 0) >= (before.overall or 0) - 1e-9
    assert len(after.critical_failures) <= len(before.critical_failures)


# --- the rules in use: organisation override, frozen with a final audit -------------------


def test_a_final_audit_keeps_the_rules_it_was_scored_with(db: str, tmp_path: Path) -> None:
    from tests.record_helpers import SIGN, Cli

    org = tmp_path / "org"
    (org / "scoring").mkdir(parents=True)
    (org / "scoring" / "confidence.yaml").write_text(
        "factors: {self_attested: 0.5, evidence: 0.5, verified: 1, measured: 1}\n"
        "unsupported_critical_cap: 1\n",
        encoding="utf-8",
    )
    ak = Cli(db, tmp_path)
    ak.ok("vendor", "add", "Acme KK", "--service", "marketing")
    for audit_id in ("1", "2"):
        ak.ok("audit", "start", "Acme KK", "--as-of", "2026-11-01")
        ak.ok("audit", "answer", audit_id, "nda.use_restriction", "yes", "--source", "vendor")

    def nda(audit: str, dirs: tuple[Path, ...] = ()) -> Any:
        scored = ak.json("audit", "score", audit, dirs=dirs)
        return next(d for d in scored["domains"] if d["id"] == "nda")

    shipped = nda("1")
    assert shipped["basis"] == {"self_attested": 1.0}
    assert nda("1", (org,))["score"] < shipped["score"]  # a draft follows the rules in use
    ak.ok("audit", "finalize", "1", *SIGN)
    final = nda("1")
    assert nda("1", (org,)) == final  # the final audit keeps the shipped rules it was frozen with
    report = tmp_path / "r.json"
    ak.ok("report", "1", "--format", "json", "-o", str(report), dirs=(org,))
    embedded = json.loads(report.read_text(encoding="utf-8"))["confidence"]
    assert embedded == load_confidence().content()
    ak.ok("audit", "finalize", "2", *SIGN, dirs=(org,))
    assert nda("2") == nda("2", (org,)) == nda("2", ())
    assert nda("2")["score"] < final["score"]  # frozen with the organisation's rules


def test_a_batch_scores_drafts_with_the_organisation_rules_like_one_report(
    db: str, tmp_path: Path
) -> None:
    from tests.record_helpers import Cli

    org = tmp_path / "org"
    (org / "scoring").mkdir(parents=True)
    (org / "scoring" / "confidence.yaml").write_text(
        "factors: {self_attested: 0.5, evidence: 0.5, verified: 1, measured: 1}\n"
        "unsupported_critical_cap: 1\n",
        encoding="utf-8",
    )
    ak = Cli(db, tmp_path)
    ak.ok("vendor", "add", "Acme KK", "--service", "marketing")
    ak.ok("audit", "start", "Acme KK", "--as-of", "2026-11-01")
    ak.ok("audit", "answer", "1", "nda.use_restriction", "yes", "--source", "vendor")
    one = tmp_path / "one.json"
    ak.ok("report", "1", "--format", "json", "-o", str(one), dirs=(org,))
    ak.ok("report", "--all", "--out-dir", str(tmp_path / "batch"), "--format", "json",
          "--jobs", "1", dirs=(org,))  # fmt: skip
    [batch] = (tmp_path / "batch").glob("audit-1-*.json")
    single = json.loads(one.read_text(encoding="utf-8"))
    assert json.loads(batch.read_text(encoding="utf-8"))["scores"] == single["scores"]
    assert single["confidence"] == load_confidence((org,)).content()


@settings(max_examples=150, deadline=None)
@given(
    rules(),
    st.sampled_from(list(Source)),
    st.booleans(),
    st.lists(st.tuples(st.sampled_from(["policy", "soc2_report"]), st.integers(-5, 5)), max_size=2),
    st.booleans(),
)
def test_the_fast_path_counts_an_answer_as_the_best_of_its_kinds(
    chosen: ConfidenceRules,
    source: Source,
    verified: bool,
    files: list[tuple[str, int]],
    named_kinds: bool,
) -> None:
    from auditkit.knowledge import counted_as, knowledge_kinds
    from auditkit.models.confidence import best_kind

    q = question("d.q", evidence={"required": False, "kinds": ["policy"]} if named_kinds else None)
    linked = [evidence(kind=k, expires=DAY + dt.timedelta(days=d)) for k, d in files]
    given_ = answer("d.q", "yes", source=source, evidence=linked,
                    verification=CHECK if verified else None)  # fmt: skip
    kinds = knowledge_kinds(q, given_, DAY)
    kind, factor = counted_as(q, given_, DAY, chosen)
    assert kind is best_kind(kinds, chosen) and kind in kinds
    assert factor == max(chosen.factors.of(k) for k in kinds)
