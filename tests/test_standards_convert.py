"""`checklist convert`: VSAQ, CAIQ and HECVAT templates as checklists, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from auditkit.cli.main import cli
from auditkit.exchange.standards.conditions import Inexpressible, translate
from auditkit.exchange.standards.vsaq import plain_json
from tests.standard_files import caiq_workbook, hecvat_workbook, vsaq_files


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def questions(path: Path) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in load(path)["questions"]}


def test_vsaq_template_becomes_a_valid_checklist_with_conditions(tmp_path: Path) -> None:
    template, _ = vsaq_files(tmp_path)
    out = tmp_path / "out"
    result = invoke("checklist", "convert", str(template), "--from", "vsaq", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: sec_policy: file uploads are not imported",
        "warning: sec_shown: condition '^warn_sec_ir' kept out ('^warn_sec_ir' tests whether "
        "an item is shown); the question is always asked",
    ]
    assert result.stdout.splitlines()[-1] == (
        f"converted 9 questions (3 conditional) into 1 checklists; "
        f"mapping: {out / 'mappings' / 'vsaq.yaml'}"
    )
    found = questions(out / "vsaq_security.yaml")
    p = "vsaq_security."
    assert list(found) == [
        p + name
        for name in (
            "sec_ir",
            "sec_ir_describe",
            "sec_ctl",
            "sec_ctl_logs_tool",
            "sec_training",
            "sec_training_how",
            "sec_declare",
            "sec_policy",
            "sec_shown",
        )
    ]
    ir = found[p + "sec_ir"]
    assert (ir["type"], ir["severity"]) == ("single_choice", "high")
    assert [(c["value"], c["score"]) for c in ir["choices"]] == [("yes", 1.0), ("no", 0.0)]
    assert ir["remediation"]["en"] == "Document your incident response procedures."
    assert ir["references"] == {"vsaq": ["sec_ir"]}
    assert ir["text"] == {
        "en": "Are incident response procedures documented?",
        "ja": "[未翻訳] Are incident response procedures documented?",
    }
    assert found[p + "sec_ir_describe"]["applies_if"] == {"answer": p + "sec_ir", "equals": "yes"}
    assert found[p + "sec_ctl"]["type"] == "multi_choice"
    assert found[p + "sec_ctl_logs_tool"]["applies_if"] == {
        "answer": p + "sec_ctl",
        "contains": "logs",
    }
    assert found[p + "sec_training_how"]["applies_if"] == {
        "all": [
            {"answer": p + "sec_training", "equals": "yes"},
            {"not": {"answer": p + "sec_ir", "equals": "no"}},
        ]
    }
    assert found[p + "sec_declare"]["type"] == "yes_no"
    assert found[p + "sec_policy"]["type"] == "evidence"
    assert "applies_if" not in found[p + "sec_shown"]
    validated = invoke("checklist", "validate", str(out))
    assert validated.exit_code == 0, validated.output


def test_published_vsaq_syntax_comments_and_joined_strings() -> None:
    text = '// licence\n{"a": "one " +\n   "two", "b": "x // not a comment", "c": "+"}\n'
    assert json.loads(plain_json(text)) == {"a": "one two", "b": "x // not a comment", "c": "+"}


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_joined_strings_are_one_string(parts: list[str]) -> None:
    text = "[" + " +\n ".join(json.dumps(p) for p in parts) + "]"
    assert json.loads(plain_json(text)) == ["".join(parts)]


NAMES = {
    "a_yes": ("c.a", "yes", False),
    "a_no": ("c.a", "no", False),
    "b_x": ("c.b", "x", True),
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a_yes", {"answer": "c.a", "equals": "yes"}),
        ("!b_x", {"not": {"answer": "c.b", "contains": "x"}}),
        (
            "a_yes || (a_no && b_x)",
            {
                "any": [
                    {"answer": "c.a", "equals": "yes"},
                    {
                        "all": [
                            {"answer": "c.a", "equals": "no"},
                            {"answer": "c.b", "contains": "x"},
                        ]
                    },
                ]
            },
        ),
    ],
)
def test_conditions_translate(expression: str, expected: dict[str, Any]) -> None:
    assert translate(expression, NAMES) == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("later_item", "'later_item' is not a choice of an earlier question here"),
        ("^a_yes", "'^a_yes' tests whether an item is shown"),
        ('matches(a_yes, "x")', "function matches() tests typed text"),
        ("(a_yes", "the expression ends too early"),
        ("a_yes )", "unexpected ')'"),
    ],
)
def test_conditions_that_cannot_be_said(expression: str, reason: str) -> None:
    with pytest.raises(Inexpressible) as caught:
        translate(expression, NAMES)
    assert str(caught.value) == reason


def test_caiq_workbook_by_headers_one_checklist_per_domain(tmp_path: Path) -> None:
    source = caiq_workbook(tmp_path / "caiq.xlsx")
    out = tmp_path / "out"
    result = invoke("checklist", "convert", str(source), "--from", "caiq", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.yaml")) == [
        "caiq_a_a.yaml",
        "caiq_bcr.yaml",
        "caiq_iam.yaml",
        "caiq_sef.yaml",
        "caiq_uem.yaml",
    ]
    iam = load(out / "caiq_iam.yaml")
    assert iam["title"] == {
        "en": "Identity & Access Management",
        "ja": "[未翻訳] Identity & Access Management",
    }
    first = iam["questions"][0]
    assert (first["id"], first["type"], first["allow_na"]) == ("caiq_iam.iam_05_1", "yes_no", True)
    assert first["references"] == {"caiq": ["IAM-05.1"]}
    mapping = load(out / "mappings" / "caiq.yaml")
    assert mapping["entries"][2] == {
        "source": "IAM-05.1",
        "target": "caiq_iam.iam_05_1",
        "answers": {"Yes": "yes", "No": "no", "NA": "n/a"},
    }
    assert invoke("checklist", "validate", str(out)).exit_code == 0


def test_hecvat_workbook_na_from_the_dropdown(tmp_path: Path) -> None:
    source = hecvat_workbook(tmp_path / "hecvat.xlsx")
    out = tmp_path / "out"
    result = invoke("checklist", "convert", str(source), "--from", "hecvat", "-o", str(out))
    assert result.exit_code == 0, result.output
    hfih = questions(out / "hecvat_hfih.yaml")
    assert list(hfih) == ["hecvat_hfih.hfih_01", "hecvat_hfih.hfih_04"]
    assert hfih["hecvat_hfih.hfih_01"]["allow_na"] is True
    assert load(out / "hecvat_hfih.yaml")["title"]["en"] == "HECVAT HFIH"


def test_columns_option_reads_a_variant_with_japanese_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Security questions (no recognisable headers)"])
    sheet.append(["", "X-01", "Is there a policy?", "", "方針はありますか。"])
    sheet.append(["", "X-02", "Is it reviewed?", "", None])
    workbook.save(tmp_path / "variant.xlsx")
    out = tmp_path / "out"
    result = invoke(
        "checklist", "convert", str(tmp_path / "variant.xlsx"), "--from", "hecvat",
        "-o", str(out), "--columns", "id=B,question=C,answer=D,question_ja=E", "--prefix", "acme",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = questions(out / "acme_x.yaml")
    assert found["acme_x.x_01"]["text"] == {"en": "Is there a policy?", "ja": "方針はありますか。"}
    assert found["acme_x.x_02"]["text"]["ja"] == "[未翻訳] Is it reviewed?"


def test_existing_files_need_force(tmp_path: Path) -> None:
    source = hecvat_workbook(tmp_path / "hecvat.xlsx")
    args = ("checklist", "convert", str(source), "--from", "hecvat", "-o", str(tmp_path / "o"))
    assert invoke(*args).exit_code == 0
    again = invoke(*args)
    assert (again.exit_code, again.stderr) == (
        1,
        f"error: {tmp_path / 'o' / 'hecvat_hfih.yaml'}: already exists; give --force to "
        "replace it\n",
    )
    assert invoke(*args, "--force").exit_code == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("id=B,size=C", "--columns: unknown field 'size'; expected id, question, question_ja, "
         "answer, notes, section"),
        ("id=2", "--columns: id=2: expected a column letter"),
        ("question=C", "--columns: give at least id=<column>"),
    ],
)  # fmt: skip
def test_bad_columns_are_one_line(tmp_path: Path, spec: str, message: str) -> None:
    source = hecvat_workbook(tmp_path / "hecvat.xlsx")
    result = invoke(
        "checklist", "convert", str(source), "--from", "hecvat", "-o", str(tmp_path / "o"),
        "--columns", spec,
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (3, f"error: {message}\n")


def test_template_problems_name_sheet_row_and_id(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Q"
    sheet.append(["ID", "Question", "Answer"])
    sheet.append(["A-01", '=HYPERLINK("http://x")', None])
    sheet.append(["A-02", None, None])
    sheet.append(["A-02", "Twice", None])
    workbook.save(tmp_path / "bad.xlsx")
    result = invoke(
        "checklist", "convert", str(tmp_path / "bad.xlsx"), "--from", "hecvat", "-o",
        str(tmp_path / "o"),
    )  # fmt: skip
    src = tmp_path / "bad.xlsx"
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"error: {src}: sheet 'Q' row 2 (A-01): question: formulas are not accepted; type the "
        "value itself",
        f"error: {src}: sheet 'Q' row 3 (A-02): question: empty; every question needs its text",
        f"error: {src}: sheet 'Q' row 4 (A-02): question id appears twice (first at sheet 'Q' "
        "row 3)",
    ]
    assert not (tmp_path / "o").exists()


def test_output_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    source = hecvat_workbook(tmp_path / "hecvat.xlsx")
    taken = tmp_path / "taken"
    taken.write_text("x")
    inside = taken / "out"
    result = invoke("checklist", "convert", str(source), "--from", "hecvat", "-o", str(inside))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {inside}: cannot create the output directory")


def test_a_dropdown_with_more_than_yes_and_no_becomes_single_choice(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Question", "Answer", "Notes"])
    sheet.append(["Q-01", "Is data encrypted?", None, None])
    validation = DataValidation(type="list", formula1='"Yes,No,Partially,N/A"')
    sheet.add_data_validation(validation)
    validation.add("C2:C2")
    workbook.save(tmp_path / "w.xlsx")
    out = tmp_path / "out"
    result = invoke(
        "checklist", "convert", str(tmp_path / "w.xlsx"), "--from", "hecvat", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    question = questions(out / "hecvat_q.yaml")["hecvat_q.q_01"]
    assert (question["type"], question["allow_na"]) == ("single_choice", True)
    assert [(c["value"], c["score"]) for c in question["choices"]] == [
        ("yes", 1.0),
        ("no", 0.0),
        ("partially", 0.5),
    ]
    mapping = load(out / "mappings" / "hecvat.yaml")
    assert mapping["entries"][0]["answers"] == {
        "Yes": "yes",
        "No": "no",
        "Partially": "partially",
        "NA": "n/a",
    }


@pytest.mark.parametrize("standard", ["caiq", "hecvat"])
def test_a_broken_template_workbook_is_one_line(tmp_path: Path, standard: str) -> None:
    good = caiq_workbook(tmp_path / "good.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:-200])  # the zip's directory is cut off
    result = invoke(
        "checklist", "convert", str(broken), "--from", standard, "-o", str(tmp_path / "o")
    )
    assert result.exit_code == 3
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {broken}: ")


def test_vsaq_template_problems_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        '{"questionnaire": [{"type": "block", "text": "S", "items": ['
        '{"type": "radiogroup", "id": "r", "choices": ["not a pair"]},'
        '{"text": "no type"}, {"type": "line", "text": "no id"}]}]}',
        encoding="utf-8",
    )
    result = invoke("checklist", "convert", str(path), "--from", "vsaq", "-o", str(tmp_path / "o"))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"error: {path}: questionnaire[0].items[0].choices[0]: expected {{choice_id: text}}",
        f"error: {path}: questionnaire[0].items[0] (r): no choices",
        f"error: {path}: questionnaire[0].items[1]: expected an item with a 'type'",
        f"error: {path}: questionnaire[0].items[2]: item has no id",
    ]


@pytest.mark.slow
def test_standards_modules_load_openpyxl_only_when_reading() -> None:
    import subprocess
    import sys

    code = (
        "import sys, auditkit.cli.standards_cmds, auditkit.services.standards, "
        "auditkit.exchange.standards.files; print('openpyxl' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
