"""Integrity of every shipped checklist, and precise errors for broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit import paths
from auditkit.checklists import checklist_files, load_catalog, load_directories, load_file
from auditkit.errors import ValidationProblem
from auditkit.models.checklist import AnswerType, Checklist

DOMAINS = {
    "ssl_tls",
    "pci_dss",
    "redundancy",
    "patching",
    "incident_response",
    "nda",
    "access_control",
    "encryption",
    "file_sharing",
    "audit_logging",
    "governance",
    "contract_exit",
    "ec_security",
    "app_security",
}
SHIPPED = checklist_files(paths.checklists_dir())


def test_the_fourteen_domains_are_shipped_with_enough_questions() -> None:
    checklists = load_directories()
    assert set(checklists) == DOMAINS
    assert sum(len(c.questions) for c in checklists.values()) >= 200
    assert all(len(c.questions) >= 8 for c in checklists.values())


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_checklist_is_complete(path: Path) -> None:
    checklist = load_file(path)  # schema, id = file name, references against the catalog
    assert checklist.id == path.stem
    for question in checklist.questions:
        texts = [question.text, question.remediation, *([question.help] if question.help else [])]
        texts += [c.label for c in question.choices or []]
        for text in texts:
            assert text.en.strip() and text.ja.strip(), question.id
            assert any(ord(ch) > 0x3000 for ch in text.ja), (
                f"{question.id}: ja text is not Japanese"
            )
        assert all(0.0 <= c.score <= 1.0 for c in question.choices or [])
        assert question.references, question.id
        if question.critical:
            assert len(question.remediation.en) > 40 and len(question.remediation.ja) > 20


def test_question_ids_are_unique_across_checklists() -> None:
    ids = [q.id for c in load_directories().values() for q in c.questions]
    assert len(ids) == len(set(ids))


def test_every_domain_has_a_knockout_and_pci_is_conditional() -> None:
    checklists = load_directories()
    for checklist in checklists.values():
        assert any(q.critical for q in checklist.questions), checklist.id
    pci = checklists["pci_dss"]
    assert pci.applies_if is not None
    assert pci.applies_if.evaluate({"handles_card_data": True}, {}) is True
    assert pci.applies_if.evaluate({"handles_card_data": False}, {}) is False


def test_catalog_lists_real_identifier_sets() -> None:
    catalog = load_catalog()
    assert set(catalog) == {
        "pci-dss-4.0",
        "iso27001-2022",
        "nist-csf-2.0",
        "soc2",
        "meti-scs",
        "caiq",
        "hecvat",
        "vsaq",
    }
    pci = catalog["pci-dss-4.0"].ids
    assert {"9.2.1", "9.2.4", "9.3.1", "9.3.4", "A1.1.1", "A1.1.4", "A1.2.3"} <= pci
    assert catalog["meti-scs"].ids == {"★3", "★4"}
    iso = catalog["iso27001-2022"].ids
    assert len(iso) == 93  # Annex A of ISO/IEC 27001:2022: 37 + 8 + 14 + 34 controls
    assert {"A.5.37", "A.6.8", "A.7.14", "A.8.34"} <= iso and "A.8.35" not in iso
    assert (
        "PR.DS-02" in catalog["nist-csf-2.0"].ids and "PR.DS-03" not in catalog["nist-csf-2.0"].ids
    )
    assert "CC6.7" in catalog["soc2"].ids and "4.2.1" in catalog["pci-dss-4.0"].ids
    assert not catalog["iso27001-2022"].knows("A.8.35")


def test_source_questionnaire_ids_are_checked_by_shape() -> None:
    catalog = load_catalog()
    assert catalog["caiq"].knows("A&A-02.1") and catalog["hecvat"].knows("HFIH-01")
    assert catalog["vsaq"].knows("application_ssl_mixed")
    assert not catalog["caiq"].knows("IAM 14.1") and not catalog["vsaq"].knows("")


def test_every_answer_type_is_used_somewhere() -> None:
    used = {q.type for c in load_directories().values() for q in c.questions}
    assert used >= {
        AnswerType.YES_NO,
        AnswerType.YES_NO_PARTIAL,
        AnswerType.SINGLE_CHOICE,
        AnswerType.MULTI_CHOICE,
        AnswerType.NUMBER,
        AnswerType.DATE,
        AnswerType.EVIDENCE,
    }


# --- broken files -------------------------------------------------------------------------

GOOD = """\
id: {id}
version: "1.0.0"
title: {{en: Demo, ja: デモ}}
questions:
  - id: {id}.tls
    text: {{en: "TLS 1.2 or newer?", ja: "TLS 1.2以上ですか。"}}
    type: yes_no
    choices:
      - {{value: "yes", label: {{en: "Yes", ja: "はい"}}, score: 1}}
      - {{value: "no", label: {{en: "No", ja: "いいえ"}}, score: {score}}}
    weight: 2
    severity: high
    remediation: {{en: "Disable old protocols.", ja: "旧プロトコルを無効化してください。"}}
    references: {{iso27001-2022: ["{ref}"]}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ValidationProblem) as caught:
        load_file(path)
    return caught.value.problems


def test_valid_user_checklist_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", GOOD.format(id="mine", score=0, ref="A.8.24"))
    assert isinstance(load_file(path), Checklist)


def test_score_out_of_range_names_the_path(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", GOOD.format(id="mine", score=1.5, ref="A.8.24"))
    assert problems(path) == [
        f"{path}: questions[0].choices[1].score: Input should be less than or equal to 1"
    ]


def test_unknown_reference_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", GOOD.format(id="mine", score=0, ref="A.9.99"))
    assert problems(path) == [
        f"{path}: questions[0].references.iso27001-2022[0]: 'A.9.99' is not a valid "
        "ISO/IEC 27001:2022 Annex A identifier"
    ]


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "other", GOOD.format(id="mine", score=0, ref="A.8.24"))
    assert problems(path) == [f"{path}: id: 'mine' must equal the file name 'other'"]


def test_unknown_field_and_missing_language(tmp_path: Path) -> None:
    text = (
        GOOD.format(id="mine", score=0, ref="A.8.24")
        .replace('ja: "TLS 1.2以上ですか。"', "colour: red")
        .replace("    weight: 2\n", "    weight: 2\n    colour: red\n")
    )
    path = write(tmp_path, "mine", text)
    assert problems(path) == [
        f"{path}: questions[0].text.ja: required field is missing",
        f"{path}: questions[0].text.colour: unknown field (not part of the checklist schema)",
        f"{path}: questions[0].colour: unknown field (not part of the checklist schema)",
    ]


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    text = GOOD.format(id="mine", score=0, ref="A.8.24").replace(
        "title: {en: Demo, ja: デモ}", "title: &t {en: Demo, ja: デモ}\ndescription: *t"
    )
    assert problems(write(tmp_path, "mine", text)) == [
        f"{tmp_path / 'mine.yaml'}:3:8: anchors are not allowed"
    ]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "big", "# " + "x" * (3 * 1024 * 1024))
    assert problems(path) == [f"{path}: file is larger than 2097152 bytes"]


def test_user_checklist_cannot_redefine_a_shipped_one(tmp_path: Path) -> None:
    shipped = paths.checklists_dir() / "ssl_tls.yaml"
    copy = tmp_path / "ssl_tls.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationProblem) as caught:
        load_directories((tmp_path,))
    assert caught.value.problems == [
        f"{copy}: id: checklist 'ssl_tls' is already defined in {shipped}"
    ]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            "{profile: personal_data, equals: hihg}",
            "applies_if: personal_data is never 'hihg'; expected one of none, low, medium, high (quote yes/no)",
        ),
        (
            "{profile: handles_card_data, equals: 'yes'}",
            "applies_if: handles_card_data is never 'yes'; expected one of true, false (quote yes/no)",
        ),
        (
            "{answer: mine.tls, equals: yes}",
            "applies_if: mine.tls has no choice True; expected one of yes, no (quote yes/no)",
        ),
        (
            "{answer: mine.later, equals: 'yes'}",
            "applies_if: refers to 'mine.later', which is not an earlier question of this checklist",
        ),
    ],
)
def test_conditions_are_checked_against_real_values(
    tmp_path: Path, condition: str, message: str
) -> None:
    base = GOOD.format(id="mine", score=0, ref="A.8.24")
    follow = base[base.index("  - id: mine.tls") :].replace("mine.tls", "mine.follow")
    follow = follow.replace("    weight: 2\n", f"    weight: 2\n    applies_if: {condition}\n")
    path = write(tmp_path, "mine", base + follow)
    assert problems(path) == [f"{path}: questions[1].{message.replace('Value error, ', '')}"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1]\nb: *x\n", ":1:4: anchors are not allowed"),
        ("a: *x\n", ":1:4: aliases are not allowed"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", ":1:35: nesting deeper than 32 levels"),
        (
            "a: !!python/object:os.system ls\n",
            ":1:4: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'",
        ),
        ("a: [1, 2\n", ":2:1: did not find expected ',' or ']'"),
    ],
)
def test_safe_yaml_refuses_dangerous_or_broken_documents(text: str, message: str) -> None:
    from auditkit.safeyaml import loads

    with pytest.raises(ValidationProblem) as caught:
        loads(text, "f.yaml")
    assert caught.value.problems == [f"f.yaml{message}"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: " + "1" * 5000 + "\n", "invalid YAML (a number has too many digits)"),
        ("a: 2026-13-45\n", "invalid YAML (month must be in 1..12)"),
    ],
)
def test_values_python_cannot_convert_are_one_line_errors(text: str, message: str) -> None:
    from auditkit.safeyaml import loads

    with pytest.raises(ValidationProblem) as caught:
        loads(text, "f.yaml")
    assert caught.value.problems == [f"f.yaml: {message}"]


def test_huge_json_number_is_a_one_line_error() -> None:
    from auditkit.exchange.safety import load_json

    with pytest.raises(ValidationProblem) as caught:
        load_json('{"audit_id": ' + "1" * 5000 + "}", "f.json")
    assert caught.value.problems == ["f.json: invalid JSON (a number has too many digits)"]


def test_unquoted_yes_in_yaml_gets_a_hint(tmp_path: Path) -> None:
    text = GOOD.format(id="mine", score=0, ref="A.8.24").replace(
        'label: {en: "Yes"', "label: {en: Yes"
    )
    path = write(tmp_path, "mine", text)
    assert problems(path) == [
        f'{path}: questions[0].choices[0].label.en: expected text, got a yes/no value; quote it in YAML ("Yes")'
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "    examples: {pass: [maybe], fail: ['no']}\n",
            "examples.pass[0]: unknown choice 'maybe' (quote yes/no)",
        ),
        (
            "    examples: {pass: ['yes']}\n",
            "examples: a scored question needs at least one fail example",
        ),
        (
            "    examples: {pass: ['yes'], fail: [no]}\n",
            "examples.fail[0]: unknown choice False (quote yes/no)",
        ),
        ("    knockout_pass: 0.5\n", "knockout_pass is only for critical (knock-out) questions"),
    ],
)
def test_examples_and_knockout_pass_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    text = GOOD.format(id="mine", score=0, ref="A.8.24").replace(
        "    weight: 2\n", f"    weight: 2\n{extra}"
    )
    path = write(tmp_path, "mine", text)
    assert problems(path) == [f"{path}: questions[0]: {message}"]


def test_knockout_pass_may_not_exceed_pass_score(tmp_path: Path) -> None:
    text = GOOD.format(id="mine", score=0, ref="A.8.24").replace(
        "    severity: high\n",
        "    severity: critical\n    critical: true\n    pass_score: 0.5\n    knockout_pass: 0.8\n",
    )
    path = write(tmp_path, "mine", text)
    assert problems(path) == [f"{path}: questions[0]: knockout_pass must not be above pass_score"]


def test_a_call_centre_answers_the_web_tls_knockout_with_na() -> None:
    import datetime as dt

    from auditkit.models.audit import Answer
    from auditkit.models.vendor import Service, VendorProfile
    from auditkit.scoring import score_question

    question = load_directories()["ssl_tls"].question("ssl_tls.min_version")
    assert question is not None and question.critical
    facts = VendorProfile(personal_data="medium").facts([Service.CUSTOMER_SUPPORT])
    assert question.applies_to(facts, {}) and question.allow_na
    answer = Answer(question_id=question.id, value="n/a")
    result = score_question(question, "ssl_tls", answer, True, dt.date(2026, 11, 1))
    assert result.status == "na" and not result.failed_critical
