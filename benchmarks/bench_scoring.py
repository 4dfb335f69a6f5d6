"""Scoring throughput: 1,000 audits x 300 answers (DESIGN target: well under a second).

The shipped checklists are copied under new ids until there are 300 questions, and each
audit gets seeded random, valid answers (some N/A, some unanswered, some with evidence).
Prints the median of several runs, with the shipped confidence rules (how each answer is known
weighs its score) and, interleaved, with neutral rules (scoring as before the rules existed).

    .venv/bin/python benchmarks/bench_scoring.py [--audits 1000] [--questions 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from typing import Any

from auditkit.checklists import load_confidence, load_directories
from auditkit.models.audit import Answer, Evidence, Source, Verification, VerifyHow
from auditkit.models.checklist import Checklist, Question
from auditkit.models.confidence import NEUTRAL
from auditkit.models.record import checklist_content
from auditkit.scoring import score_audit

DAY = dt.date(2026, 11, 1)
FACTS: dict[str, Any] = {
    "handles_card_data": True,
    "personal_data": "high",
    "system_access": "limited",
    "criticality": "high",
    "services": ["site_hosting", "logistics"],
}
CHECK = Verification(how=VerifyHow.DEMO, note="shown")
SOURCES = (Source.VENDOR, Source.VENDOR, Source.AUDITOR, Source.PROBE)
PROOF = Evidence(sha256="b" * 64, name="proof.pdf", kind="policy", expires=dt.date(2027, 6, 30))


def checklists_with(questions: int) -> list[Checklist]:
    shipped = list(load_directories().values())
    out: list[Checklist] = []
    copy = 0
    while sum(len(c.questions) for c in out) < questions:
        for base in shipped:
            cid = base.id if copy == 0 else f"{base.id}_{copy}"
            content = checklist_content(base)  # examples (test data) left out
            text = json.dumps(content)
            data = json.loads(text.replace(f'"{base.id}.', f'"{cid}.'))
            data["id"] = cid
            room = questions - sum(len(c.questions) for c in out)
            data["questions"] = data["questions"][:room]  # earlier questions stay: conditions hold
            if data["questions"]:
                out.append(Checklist.model_validate(data))
        copy += 1
    return out


def random_value(q: Question, rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.10 and q.allow_na:
        return "n/a"
    if q.choices:
        if q.type.value == "multi_choice":
            return rng.sample([c.value for c in q.choices], k=rng.randint(1, len(q.choices)))
        return rng.choice(q.choices).value
    if q.type.value == "number":
        return float(rng.randint(0, 500))
    if q.type.value == "date":
        return (DAY - dt.timedelta(days=rng.randint(0, 900))).isoformat()
    return "see attached"


def make_audits(checklists: list[Checklist], count: int, limit: int) -> list[dict[str, Answer]]:
    rng = random.Random(20261101)
    questions = [q for c in checklists for q in c.questions][:limit]
    audits = []
    for _ in range(count):
        answers = {}
        for q in questions:
            proof = [PROOF] if rng.random() < 0.5 else []
            check = CHECK if rng.random() < 0.2 else None
            answers[q.id] = Answer(
                question_id=q.id,
                value=random_value(q, rng),
                evidence=proof,
                source=rng.choice(SOURCES),
                verification=check,
            )
        audits.append(answers)
    return audits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audits", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    checklists = checklists_with(args.questions)
    audits = make_audits(checklists, args.audits, args.questions)
    answered = sum(len(a) for a in audits)
    rules = load_confidence()
    timings, neutral = [], []
    for _ in range(args.runs):  # interleaved: machine load hits both alike
        for chosen, into in ((rules, timings), (NEUTRAL, neutral)):
            start = time.perf_counter()
            for answers in audits:
                score_audit(checklists, FACTS, answers, 1, DAY, chosen)
            into.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"scored {args.audits} audits x {args.questions} answers ({answered} answers) "
        f"over {sum(len(c.questions) for c in checklists)} questions"
    )
    print(
        f"median {median:.3f} s over {args.runs} runs "
        f"(min {min(timings):.3f}, max {max(timings):.3f}); "
        f"{answered / median / 1e6:.2f} M answers/s (shipped confidence rules)"
    )
    base = statistics.median(neutral)
    print(f"neutral rules: median {base:.3f} s; ratio {median / base:.2f}x")


if __name__ == "__main__":
    main()
