"""Hostile files are refused quickly, with one clear line, and nothing is stored."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditkit.errors import NotFound, ValidationProblem
from auditkit.exchange.safety import (
    cell_escape,
    cell_unescape,
    check_xlsx_container,
    looks_like_formula,
)
from auditkit.services.exchange import export_questionnaire, import_file
from tests.builders import snapshot, start_audit, synthetic_checklists

CL = synthetic_checklists()
ENTITIES = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
LAUGHS = (
    f'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">{ENTITIES}]>\n<sst>&lol9;</sst>'
)


def refused_quickly(db: str, path: Path) -> list[str]:
    audit_id = start_audit(db, CL)
    before = snapshot(db, audit_id)
    started = time.perf_counter()
    with pytest.raises(ValidationProblem) as caught:
        import_file(db, audit_id, path, CL, "vendor-import")
    assert time.perf_counter() - started < 2.0
    assert snapshot(db, audit_id) == before
    return caught.value.problems


def rewrite_part(source: Path, target: Path, name: str, content: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, content if item.filename == name else old.read(item))
    return target


@pytest.fixture
def workbook(db: str, tmp_path: Path) -> Path:
    path = tmp_path / "q.xlsx"
    export_questionnaire(db, start_audit(db, CL, name="Exporter KK"), CL, path)
    return path


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_zip_bomb(db: str, workbook: Path) -> None:
    bomb = rewrite_part(workbook, workbook.with_name("bomb.xlsx"), "xl/worksheets/sheet2.xml",
                        b"<sst>" + b" " * (40 * 1024 * 1024) + b"</sst>")  # fmt: skip
    assert bomb.stat().st_size < 1024 * 1024
    [problem] = refused_quickly(db, bomb)
    assert problem.startswith(f"{bomb}: part 'xl/worksheets/sheet2.xml' expands to 41943051 bytes")
    assert problem.endswith("refused as a possible zip bomb")


def test_entity_bomb_inside_the_workbook(db: str, workbook: Path) -> None:
    bomb = rewrite_part(workbook, workbook.with_name("laughs.xlsx"), "xl/worksheets/sheet2.xml",
                        LAUGHS.encode())  # fmt: skip
    assert refused_quickly(db, bomb) == [
        f"{bomb}: part 'xl/worksheets/sheet2.xml' declares a DTD or entities; refused "
        "(possible entity expansion attack)"
    ]


def test_entity_bomb_is_also_refused_by_the_xml_parser() -> None:
    from defusedxml import EntitiesForbidden
    from openpyxl.xml.functions import fromstring

    with pytest.raises(EntitiesForbidden):
        fromstring(LAUGHS)


def test_yaml_alias_bomb(db: str, tmp_path: Path) -> None:
    lines = ["format: auditkit-questionnaire/1", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert refused_quickly(db, path) == [f"{path}:2:5: anchors are not allowed"]


@pytest.mark.parametrize(("suffix", "limit"), [(".xlsx", 20), (".yaml", 2), (".json", 2)])
def test_fifty_megabyte_file(db: str, tmp_path: Path, suffix: str, limit: int) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    assert refused_quickly(db, path) == [f"{path}: file is 50.0 MB; the limit is {limit} MB"]


def test_not_a_zip(db: str, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old or encrypted workbook")
    assert refused_quickly(db, path) == [
        f"{path}: not an XLSX workbook (not a zip file; password-protected workbooks cannot be "
        "imported)"
    ]


def test_too_many_parts(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(501):
            archive.writestr(f"x/{n}.xml", "<a/>")
    with pytest.raises(ValidationProblem) as caught:
        check_xlsx_container(path, path.read_bytes())
    assert caught.value.problems == [f"{path}: 501 parts in the workbook; the limit is 500"]


def test_missing_file(db: str, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        import_file(db, 1, tmp_path / "gone.xlsx", CL, "vendor-import")


def test_formula_in_answer_cell_is_refused(db: str, workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["alpha"]["E3"] = '=IF(1,"yes","no")'
    book.save(workbook)
    before = snapshot(db, 1)
    with pytest.raises(ValidationProblem) as caught:
        import_file(db, 1, workbook, CL, "vendor-import")
    assert snapshot(db, 1) == before
    assert caught.value.problems == [
        f"{workbook}: sheet 'alpha' row 3 (alpha.hsts): answer: formulas are not accepted; "
        "type the value itself"
    ]


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x"]
)
def test_formula_prefixes(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a\rb", "a_x000D_b"),
        ("\x01", "_x0001_"),
        ("_x0041_", "_x005F_x0041_"),
        ("\ufffe", "_xFFFE_"),
        ("plain _x_ text", "plain _x_ text"),
        ("tab\tand\nline", "tab\tand\nline"),
    ],
)
def test_cell_escape_round_trips(text: str, escaped: str) -> None:
    assert cell_escape(text) == escaped
    assert cell_unescape(escaped) == text
