"""Report v2 pages in HTML: methodology from the scoring rules, scope, conditions, contents."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit import scoring
from auditkit.report import environment, method, renderers
from tests.builders import fixed_input


def html(lang: str = "en", org_dir: Path | None = None) -> str:
    return renderers.render_html(fixed_input(), lang, org_dir).decode()  # type: ignore[arg-type]


def section(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


def test_methodology_shows_the_scoring_rules() -> None:
    page = section(html(), "methodology")
    for tier, (low, medium, high) in scoring.RATING_THRESHOLDS.items():
        assert f"<td>{tier}" in page
        for value in (low, medium, high):
            assert f"≥ {value:.0f}" in page
    assert f"at most {scoring.EVIDENCE_CAP * 100:.0f} of 100" in page
    assert f"{scoring.REJECT_AT_CRITICAL_FAILURES} or more knock-outs" in page
    assert "This vendor is tier 2." in page


def test_methodology_follows_a_change_in_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(method, "EVIDENCE_CAP", 0.3)
    monkeypatch.setattr(method, "REJECT_AT_CRITICAL_FAILURES", 4)
    monkeypatch.setattr(method, "RATING_THRESHOLDS", {1: (95.0, 85.0, 65.0), 2: (88.0, 66.0, 44.0)})
    page = section(html(), "methodology")
    assert "at most 30 of 100" in page and "4 or more knock-outs" in page
    assert "≥ 88" in page and "≥ 95" in page and "≥ 70" not in page


def test_scope_statement_is_an_overridable_template(tmp_path: Path) -> None:
    shipped = html()
    assert "It is not a certification or an audit opinion." in shipped
    assert "as of 2026-11-01" in section(shipped, "methodology")
    (tmp_path / "_scope.html").write_text(
        '<div id="scope"><h2>Our scope</h2><p>ORG SCOPE {{ report.vendor.name }}</p></div>',
        encoding="utf-8",
    )
    (tmp_path / "_methodology.html").write_text(
        '<section id="methodology"><h1>Method</h1>CAP {{ report.methodology.evidence_cap }}'
        '{% include "_scope.html" %}</section>',
        encoding="utf-8",
    )
    org = html(org_dir=tmp_path)
    assert "ORG SCOPE Sakura Commerce KK" in org and "CAP 50.0" in org
    assert "It is not a certification" not in org


def test_conditions_of_an_approval_name_items_owners_and_dates() -> None:
    report = renderers.prepare(fixed_input(), "en").context
    assert report.summary.recommendation == "approve_with_conditions"
    assert [(c.number, c.owner, c.due_date) for c in report.conditions] == [
        ("1.2", "Vendor IT", "2027-01-31"),
        ("1.4", None, None),
    ]
    page = section(html(), "summary")
    assert "Conditions of approval" in page and "Approval holds only if" in page
    assert "Is multi-factor authentication required for administrators?" in page
    ja = section(html("ja"), "summary")
    assert "承認の条件" in ja


def test_no_conditions_unless_approval_is_conditional() -> None:
    rows = renderers.prepare(fixed_input(), "en").context.findings
    assert method.conditions("approve", rows, set()) == []
    assert method.conditions("reject", rows, set()) == []


def test_contents_link_every_chapter() -> None:
    page = html()
    toc = page.split('<nav class="toc">', 1)[1].split("</nav>", 1)[0]
    for target in ("summary", "conditions", "domains", "domain-rpt_basics", "findings"):
        assert f'href="#{target}"' in toc and f'id="{target}"' in page
    for target in ("evidence", "frameworks", "methodology", "scope", "appendix", "signoff"):
        assert f'href="#{target}"' in toc and f'id="{target}"' in page


@pytest.mark.parametrize(
    ("text", "css"),
    [("a: b", '"a\\3a  b"'), ("Page", '"Page"'), ("社外秘", '"\\793e \\5916 \\79d8 "')],
)
def test_css_string_escapes_keep_the_following_space(text: str, css: str) -> None:
    assert environment.css_string(text) == css


def test_conditions_name_knockouts_and_a_few_serious_findings_then_point_to_the_plan() -> None:
    rows = renderers.prepare(fixed_input(), "en").context.findings
    many = [
        rows[n % len(rows)].model_copy(update={"question_id": f"q{n}", "number": str(n)})
        for n in range(15)
    ]
    serious = [r for r in many if r.severity in method.SERIOUS]
    assert len(serious) > method.LISTED and rows
    listed = method.conditions("approve_with_conditions", many, {"q14"})
    assert listed[0].number == "14" and listed[0].knockout
    assert len(listed) == 1 + method.LISTED
    more = method.unlisted_conditions("approve_with_conditions", many, {"q14"})
    assert more == len([r for r in serious if r.question_id != "q14"]) - method.LISTED
