"""Every shipped mapping: valid, and every target question and choice exists in the shipped
checklists (a renamed or split question id fails here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditkit import catalogue
from auditkit.checklists import load_directories
from auditkit.exchange.standards import mappings

FILES = mappings.shipped_files()
# The shape of each standard's question ids (VSAQ ids are free-form snake_case).
SHAPES = {
    "caiq": re.compile(r"^[A-Z&]{2,4}-\d{2}\.\d{1,2}$"),
    "hecvat": re.compile(r"^[A-Z]{4}-\d{2}$"),
    "vsaq": re.compile(r"^[a-z][a-z0-9_]*$"),
}


def test_each_standard_has_a_shipped_mapping() -> None:
    assert sorted(p.stem for p in FILES) == ["caiq", "hecvat", "vsaq"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shipped_mapping_points_at_shipped_questions(path: Path) -> None:
    mapping = mappings.load(path)
    assert mapping.standard == path.stem
    assert mappings.problems(str(path), mapping, load_directories()) == []
    assert all(SHAPES[mapping.standard].match(e.source) for e in mapping.entries)


def test_the_check_catches_a_renamed_question(tmp_path: Path) -> None:
    text = mappings.shipped("caiq").read_text(encoding="utf-8")
    renamed = tmp_path / "caiq.yaml"
    renamed.write_text(text.replace("incident_response.ir_plan", "incident_response.plan"))
    found = [
        catalogue.load("en").render(m)
        for m in mappings.problems(str(renamed), mappings.load(renamed), load_directories())
    ]
    assert found == [
        f"{renamed}: entries[9] (SEF-03.1 -> incident_response.plan): no question "
        "'incident_response.plan' in the loaded checklists"
    ]
