"""The SVG charts: theme colours and scoring thresholds reach them, labels wrap instead of being cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditkit.report import charts, method, renderers
from tests.builders import fixed_input


def html(org_dir: Path | None = None, lang: str = "en") -> str:
    return renderers.render_html(fixed_input(), lang, org_dir).decode()  # type: ignore[arg-type]


def between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def domain_chart(page: str) -> str:
    return between(between(page, 'id="summary"', "</section>"), "<svg", "</svg>")


def test_theme_colours_of_an_organisation_reach_the_charts(tmp_path: Path) -> None:
    shipped = domain_chart(html())
    assert 'fill="#b7791f"' in shipped  # 70.8 is below tier 2's 80: the shipped --warn
    (tmp_path / "_theme.css").write_text(":root { --warn: #123abc; --rule: #0f0f0f; }\n")
    org = html(tmp_path)
    assert 'fill="#123abc"' in domain_chart(org) and 'fill="#b7791f"' not in domain_chart(org)
    assert 'stroke="#0f0f0f"' in domain_chart(org)
    assert 'fill="#123abc"' in between(org, 'id="frameworks"', "</svg>")  # partial segments


def test_threshold_lines_and_bar_colour_follow_the_scoring_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chart = domain_chart(html())
    assert 'x1="490.0"' in chart and 'x1="445.0"' in chart  # tier 2: 80 and 65 on a 250+300 axis
    assert "Low ≥ 80" in chart and "Medium ≥ 65" in chart and "below 65" in chart
    monkeypatch.setattr(method, "RATING_THRESHOLDS", {2: (70.0, 50.0, 30.0)})
    chart = domain_chart(html())
    assert 'fill="#2e7d4f"' in chart and "Low ≥ 70" in chart and 'x1="460.0"' in chart


def test_long_labels_wrap_whole_words() -> None:
    title = "Confidentiality, data processing and contractual safeguards for subcontractors"
    lines = charts.wrap(title)
    assert len(lines) == 2 and " ".join(lines) == title
    assert all(len(line) <= charts.LABEL_WIDTH for line in lines)
    ja = charts.wrap("機密保持・データ処理・契約上の保護措置と再委託先の管理")
    assert "".join(ja) == "機密保持・データ処理・契約上の保護措置と再委託先の管理" and len(ja) == 2


@given(st.lists(st.text(alphabet="abcdefghij機密保持", min_size=1, max_size=12), max_size=8))
def test_wrap_keeps_every_word_within_three_lines(words: list[str]) -> None:
    text = " ".join(words)
    lines = charts.wrap(text)
    assert len(lines) <= charts.MAX_LINES
    if not lines[-1].endswith("…"):
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_framework_coverage_is_one_stacked_bar_per_framework() -> None:
    page = between(html(), 'id="frameworks"', "</section>")
    chart = between(page, "<svg", "</svg>")
    for title in ("PCI DSS v4.0", "ISO/IEC 27001:2022 Annex A", "SOC 2 Trust Services Criteria"):
        assert title in chart
    tables = page.split("</svg>", 1)[1]
    assert "8.4.1" in tables and "4.2.1" not in tables  # only requirements not fully met


def test_year_over_year_is_a_dumbbell_chart() -> None:
    page = between(html(), "Change since the previous audit", "</section>")
    chart = between(page, "<svg", "</svg>")
    assert chart.count("<circle") == 4  # previous and current for one domain, plus the legend
    assert "+10.8" in chart and "Previous audit (2025-11-01)" in chart
    assert "<table>" not in page
