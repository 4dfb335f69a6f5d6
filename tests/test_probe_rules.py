"""The probe's pure rules: targets, hostname matching, weak suites, HSTS parsing, and the
measurement -> answer mapping shipped in checklists/probes/tls.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditkit.errors import ValidationProblem
from auditkit.models.checklist import Checklist
from auditkit.probe import mapping, net
from auditkit.probe.certs import hostname_matches
from auditkit.probe.results import EndpointResult, HstsFacts
from auditkit.probe.tls import weakness


@pytest.mark.parametrize(
    ("host", "names", "expected"),
    [
        ("shop.example.com", ["shop.example.com"], True),
        ("SHOP.Example.com.", ["shop.example.com"], True),
        ("shop.example.com", ["*.example.com"], True),
        ("a.shop.example.com", ["*.example.com"], False),  # one label only
        ("example.com", ["*.example.com"], False),
        ("example.com", ["*.com"], False),  # never a bare suffix
        ("127.0.0.1", ["127.0.0.1"], True),
        ("127.0.0.1", ["localhost"], False),
        ("127.0.0.2", ["127.0.0.1"], False),
        ("::1", ["::1"], True),
        ("localhost", ["127.0.0.1"], False),  # a name never matches an IP entry
        ("shop.example.com", [], False),
    ],
)
def test_hostname_matching_follows_rfc_6125(host: str, names: list[str], expected: bool) -> None:
    assert hostname_matches(host, names) is expected


@given(st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True))
def test_wildcard_matches_exactly_one_label(label: str) -> None:
    assert hostname_matches(f"{label}.shop.example", ["*.shop.example"])
    assert not hostname_matches(f"{label}.x.shop.example", ["*.shop.example"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.com", ("example.com", 443)),
        ("example.com:8443", ("example.com", 8443)),
        ("127.0.0.1:4433", ("127.0.0.1", 4433)),
        ("[::1]:4433", ("::1", 4433)),
        ("::1", ("::1", 443)),
    ],
)
def test_targets(text: str, expected: tuple[str, int]) -> None:
    assert net.parse_target(text) == expected


def test_weak_suites_are_named_with_their_reasons() -> None:
    assert weakness("TLS_RSA_WITH_3DES_EDE_CBC_SHA") == ["3DES", "static RSA key exchange"]
    assert weakness("TLS_ECDHE_RSA_WITH_RC4_128_SHA") == ["RC4"]
    assert weakness("TLS_RSA_EXPORT_WITH_RC4_40_MD5") == [
        "RC4",
        "EXPORT",
        "MD5",
        "static RSA key exchange",
    ]
    assert weakness("TLS_DH_anon_WITH_AES_128_CBC_SHA", anonymous=True) == ["anonymous"]
    assert weakness("TLS_ECDHE_RSA_WITH_NULL_SHA") == ["NULL"]
    assert weakness("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256") == []
    assert weakness("TLS_AES_128_GCM_SHA256") == []


def test_hsts_header_parsing() -> None:
    parsed = net.parse_hsts(200, 'max-age="63072000"; includeSubDomains; preload', None)
    assert (parsed.max_age, parsed.include_subdomains, parsed.preload) == (63072000, True, True)
    assert net.parse_hsts(200, "max-age=abc", None).max_age is None
    redirect = net.parse_hsts(301, None, "https://elsewhere.example/")
    assert redirect.redirect_location == "https://elsewhere.example/" and redirect.header is None


def test_shipped_mapping_matches_the_ssl_tls_checklist(checklists: dict[str, Checklist]) -> None:
    loaded = mapping.load(checklist=checklists["ssl_tls"])
    assert loaded.checklist == "ssl_tls"
    assert {a.question for a in loaded.answers} >= {"ssl_tls.min_version", "ssl_tls.hsts"}


def _endpoint(**fields: object) -> EndpointResult:
    return EndpointResult(target="h:443", host="h", port=443, **fields)  # type: ignore[arg-type]


def test_the_weakest_endpoint_decides(checklists: dict[str, Checklist]) -> None:
    checklist = checklists["ssl_tls"]
    loaded = mapping.load(checklist=checklist)
    modern = _endpoint(protocols={"tls1.2": True, "tls1.3": True})
    legacy = _endpoint(protocols={"tls1.0": True, "tls1.2": True}).model_copy(
        update={"target": "old:443"}
    )
    day = dt.date(2026, 11, 30)
    found = {p.question_id: p for p in mapping.evaluate(loaded, checklist, [modern, legacy], day)}
    assert found["ssl_tls.min_version"].value == "legacy"
    assert found["ssl_tls.min_version"].because.endswith("decided by old:443")
    assert found["ssl_tls.last_external_scan"].value == "2026-11-30"
    assert "ssl_tls.hsts" not in found  # HSTS was not measured on either
    hsts = modern.model_copy(update={"hsts": HstsFacts(status=200)})
    again = {p.question_id: p.value for p in mapping.evaluate(loaded, checklist, [hsts], day)}
    assert again["ssl_tls.hsts"] == "redirect_only"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("answers: []", "probe: required field is missing"),
        (
            "probe: tls\nversion: '1'\nchecklist: ssl_tls\nanswers:\n"
            "  - question: ssl_tls.nope\n    rules: [{value: 'yes'}]\n",
            "ssl_tls has no question 'ssl_tls.nope'",
        ),
        (
            "probe: tls\nversion: '1'\nchecklist: ssl_tls\nanswers:\n"
            "  - question: ssl_tls.hsts\n    rules: [{value: maybe}]\n",
            "'maybe' is not a choice of ssl_tls.hsts",
        ),
        (
            "probe: tls\nversion: '1'\nchecklist: ssl_tls\nanswers:\n"
            "  - question: ssl_tls.hsts\n    rules: [{value: hsts_long, when: [{fact: moon}]}]\n",
            "answers.0.rules.0.when.0.fact",
        ),
        (
            "probe: tls\nversion: '1'\nchecklist: ssl_tls\nanswers:\n  - question: ssl_tls.hsts\n"
            "    rules: [{value: hsts_long, when: [{fact: hsts_max_age, at_least: 1, below: 9}]}]\n",
            "give exactly one of equals, one_of, at_least, below",
        ),
    ],
)
def test_bad_mappings_are_one_line_errors(
    tmp_path: Path, checklists: dict[str, Checklist], text: str, problem: str
) -> None:
    path = tmp_path / "tls.yaml"
    path.write_text(text)
    with pytest.raises(ValidationProblem) as caught:
        mapping.load(path, checklists["ssl_tls"])
    lines = str(caught.value).splitlines()
    assert lines and all(line.startswith(f"{path}: ") for line in lines)
    assert any(problem in line for line in lines), lines
