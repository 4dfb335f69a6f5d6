"""YAML questionnaires are written byte for byte alike whether libyaml or PyYAML's own emitter
writes them: libyaml is used only for documents it is sure to write the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditkit.exchange import yaml_json
from auditkit.exchange.yaml_json import dump_yaml
from tests.builders import fill_document

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def pure_python(data: Any) -> str:
    """The document as PyYAML's own emitter writes it (the output before libyaml was used)."""
    return yaml.dump(data, Dumper=yaml_json._Dumper, allow_unicode=True, sort_keys=False, width=100)


def document(*texts: Any) -> dict[str, Any]:
    """An exchange document whose questions carry `texts` as answers, comments and evidence."""
    questions = [
        {
            "id": f"alpha.q{n}",
            "fingerprint": "0123456789ab",
            "checklist": "alpha",
            "text": "Is it so?",
            "type": "text",
            "answer": text,
            "comment": text,
            "evidence": [text, "doc"] if isinstance(text, str) else None,
            "allow_na": False,
        }
        for n, text in enumerate(texts)
    ]
    return {"format": "auditkit.questionnaire/1", "audit_id": 1, "questions": questions}


LONG_WORDS = " ".join(f"word{n}" for n in range(120))
PLAIN_SAMPLES = [
    "",
    "yes",
    "n/a",
    "null",
    "~",
    "12",
    "1.5",
    "2025-12-31",
    "- not a list",
    "key: value # not a comment",
    "'single' and \"double\" quotes",
    "日本語のコメント、全角スペース\u3000も。",
    "Ünïcödé ✓ ░▒▓",
    LONG_WORDS,
    "x" * 250,
    "日本" * 120,
    "first line\nsecond line\n\nfourth line after a blank one",
    f"{LONG_WORDS}\n{LONG_WORDS}\n",
    "\nleading and trailing line breaks\n",
    "--- looks like a document start\n... and an end",
    "ends with a colon:",
    "\ue000 private use and \ufffd replacement",
]
SPECIAL_SAMPLES = [
    "🎉 emoji beyond the BMP",
    "tab\there",
    "carriage\rreturn",
    "\ufeffbyte order mark",
    "next line\x85(NEL)",
    "line\u2028separator and paragraph\u2029separator",
    "trailing space \nthen a break",
    "a break\n then a space",
    "lone surrogate \ud800 and \udfff",
    "\x01\x7f controls",
    f"{LONG_WORDS} 🎉 {LONG_WORDS}",
    f"{LONG_WORDS}\n {LONG_WORDS}",
]


@pytest.mark.parametrize("text", PLAIN_SAMPLES)
def test_plain_text_is_written_by_libyaml_exactly_as_before(text: str) -> None:
    data = document(text, 3, 1.25, True, None, ["level1", "level3"])
    assert yaml_json._same_in_libyaml(data)
    assert dump_yaml(data) == pure_python(data)


@pytest.mark.parametrize("text", SPECIAL_SAMPLES)
def test_other_text_keeps_the_pure_python_emitter(text: str) -> None:
    data = document("plain", text)
    assert not yaml_json._same_in_libyaml(data)
    assert dump_yaml(data) == pure_python(data)


def test_naughty_strings_are_written_exactly_as_before(naughty_strings: list[str]) -> None:
    plain = 0
    for text in naughty_strings:
        data = document(text)
        plain += yaml_json._same_in_libyaml(data)
        assert dump_yaml(data) == pure_python(data), repr(text)
    assert 0 < plain < len(naughty_strings)  # both emitters were exercised


def test_long_or_non_ascii_keys_keep_the_pure_python_emitter() -> None:
    for key in ("k" * 101, "ЁЂЃЄЅІЇЈЉЊЋЌЍЎЏАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" * 2):
        data = {"format": "x", "checklists": {key: "1.0.0"}}
        assert not yaml_json._same_in_libyaml(data)
        assert dump_yaml(data) == pure_python(data)


PLAIN_ALPHABET = " \n\n  abc:#-'\"?!,[]{}&*%@`|>~=\\é日本\u3000"
TEXT = st.one_of(
    st.text(PLAIN_ALPHABET, max_size=300),
    st.lists(
        st.sampled_from(["word", "日本語", "x" * 99, " ", "  ", "\n", ": ", "- "]), max_size=60
    ).map("".join),
    st.text(max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXT, min_size=1, max_size=4))
@example(texts=["a" * 95 + " b\n c"])
def test_any_text_is_written_exactly_as_before(texts: list[str]) -> None:
    data = document(*texts)
    assert dump_yaml(data) == pure_python(data)


def test_exported_file_is_the_same_with_and_without_libyaml(
    run: Callable[..., Result], new_audit: Callable[..., int], tmp_path: Path
) -> None:
    audit_id = new_audit()
    blank = tmp_path / "blank.yaml"
    assert run("audit", "export", str(audit_id), "-o", str(blank)).exit_code == 0
    comments = ["日本語のコメント", "multi-line\ncomment\n\nwith a blank line", LONG_WORDS]
    data = yaml.safe_load(blank.read_text(encoding="utf-8"))
    edits = {
        item["id"]: {"comment": comments[n % len(comments)], "evidence": f"doc-{n}"}
        for n, item in enumerate(data["questions"])
    }
    filled = fill_document(blank, edits, out=tmp_path / "filled.yaml")
    assert run("audit", "import", str(audit_id), str(filled)).exit_code == 0
    for lang in ("en", "ja"):
        with_libyaml, without = tmp_path / f"c-{lang}.yaml", tmp_path / f"py-{lang}.yaml"
        out = ["audit", "export", str(audit_id), "--lang", lang, "-o"]
        assert run(*out, str(with_libyaml)).exit_code == 0
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(yaml_json, "_CDumper", None)
            assert run(*out, str(without)).exit_code == 0
        assert with_libyaml.read_bytes() == without.read_bytes()


def test_exported_plain_document_is_written_by_libyaml(
    run: Callable[..., Result], new_audit: Callable[..., int], tmp_path: Path
) -> None:
    """The shipped checklists' text and plain answers take the libyaml path."""
    audit_id = new_audit()
    for lang in ("en", "ja"):
        path = tmp_path / f"q-{lang}.yaml"
        assert run("audit", "export", str(audit_id), "--lang", lang, "-o", str(path)).exit_code == 0
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert yaml_json._same_in_libyaml(data)
        assert path.read_text(encoding="utf-8") == pure_python(data)
