"""`auditkit probe tls` against real TLS servers on 127.0.0.1 (see tests/tls_lab.py).

The whole lab is probed once, in parallel, through the CLI; each case then asserts its exact
findings. Recording in an audit, missing-extra and bad-input behaviour run the CLI too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

pytest.importorskip("sslyze", reason="the probe extra is not installed")

from auditkit.cli.main import cli
from auditkit.probe.results import ProbeReport
from auditkit.services.probes import evidence_bytes
from tests.builders import run_json
from tests.tls_lab import Lab, lab, was_contacted

pytestmark = pytest.mark.slow

TIMEOUT = "2"


@pytest.fixture(scope="session")
def tls_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with lab(tmp_path_factory.mktemp("tls-lab")) as running:
        yield running


@pytest.fixture(scope="session")
def probed(tls_lab: Lab) -> dict[str, dict[str, Any]]:
    """Every lab endpoint probed by one CLI call; case name -> endpoint JSON."""
    targets = list(tls_lab.endpoints.values())
    result = CliRunner().invoke(
        cli,
        [
            *("probe", "tls", *targets, "--ca-file", str(tls_lab.ca_file)),
            *("--timeout", TIMEOUT, "--concurrency", "20", "--json"),
        ],
    )
    assert result.exit_code == 1, result.output  # three endpoints cannot be probed
    report = json.loads(result.stdout)
    by_target = {e["target"]: e for e in report["endpoints"]}
    return {name: by_target[target] for name, target in tls_lab.endpoints.items()}


def codes(endpoint: dict[str, Any]) -> set[str]:
    return {f["code"] for f in endpoint["findings"]}


def message(endpoint: dict[str, Any], code: str) -> str:
    return next(f["message"] for f in endpoint["findings"] if f["code"] == code)


EXPECTED = {
    "good": {"hsts_missing"},
    "expired": {"cert_expired", "hsts_missing"},
    "expiring": {"cert_expiring", "hsts_missing"},
    "self_signed": {"self_signed", "hsts_missing"},
    "wrong_host": {"hostname_mismatch", "hsts_missing"},
    "rsa1024": {"weak_key", "hsts_missing"},
    "sha1": {"weak_signature", "hsts_missing"},
    "tls13_only": {"hsts_missing"},
    "tls10_11": {"legacy_protocol", "no_tls13", "hsts_missing"},
    "tls10_only": {"legacy_protocol", "no_tls13", "weak_cipher", "hsts_missing"},
    "no_intermediate": {"chain_incomplete", "hsts_missing"},
    "ecdsa": {"hsts_missing"},
    "weak_ciphers": {"weak_cipher", "no_forward_secrecy", "no_tls13", "hsts_missing"},
    "ip_san": {"hsts_missing"},
    "hsts": set(),
    "hsts_short": {"hsts_weak"},
    "redirect": {"hsts_missing"},
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_case_has_exactly_its_findings(probed: dict[str, Any], case: str) -> None:
    endpoint = probed[case]
    assert endpoint["error"] is None
    assert codes(endpoint) == EXPECTED[case]


def test_protocol_versions_include_legacy_ones(probed: dict[str, Any]) -> None:
    def accepted(case: str) -> list[str]:
        return [v for v, ok in probed[case]["protocols"].items() if ok]

    assert accepted("good") == ["tls1.2", "tls1.3"]
    assert accepted("tls13_only") == ["tls1.3"]
    assert accepted("tls10_11") == ["tls1.0", "tls1.1"]
    assert accepted("tls10_only") == ["tls1.0"]
    assert set(probed["good"]["protocols"]) == {
        "ssl2.0",
        "ssl3.0",
        "tls1.0",
        "tls1.1",
        "tls1.2",
        "tls1.3",
    }
    assert message(probed["tls10_11"], "legacy_protocol") == "TLS 1.0, TLS 1.1 accepted"
    assert message(probed["tls10_only"], "legacy_protocol") == "TLS 1.0 accepted"


def test_cipher_suites_and_forward_secrecy(probed: dict[str, Any]) -> None:
    weak = probed["weak_ciphers"]
    assert weak["cipher_suites"] == {"tls1.2": ["TLS_RSA_WITH_AES_128_CBC_SHA"]}
    assert weak["weak_cipher_suites"] == [
        {
            "protocol": "tls1.2",
            "name": "TLS_RSA_WITH_AES_128_CBC_SHA",
            "reasons": ["static RSA key exchange"],
        }
    ]
    assert weak["forward_secrecy_preferred"] is False
    good = probed["good"]
    assert good["forward_secrecy_preferred"] is True and good["forward_secrecy_only"] is True
    assert good["weak_cipher_suites"] == []


def test_certificate_facts(probed: dict[str, Any]) -> None:
    good = probed["good"]["certificate"]
    assert good["key_type"] == "RSA" and good["key_size"] == 2048
    assert good["signature_hash"] == "sha256"
    assert good["chain_valid"] and good["chain_complete"] and good["hostname_matches"]
    assert good["trusted_by"] == ["CA file root.pem"]
    assert good["chain_sent"] == ["CN=good", "CN=auditkit test intermediate"]
    assert 198 <= good["days_to_expiry"] <= 200
    assert probed["ecdsa"]["certificate"]["key_type"] == "EC"
    assert probed["ecdsa"]["certificate"]["key_size"] == 256
    assert probed["rsa1024"]["certificate"]["key_size"] == 1024
    assert message(probed["rsa1024"], "weak_key") == "weak key: RSA 1024 bits"
    assert probed["sha1"]["certificate"]["signature_hash"] == "sha1"
    expired = probed["expired"]["certificate"]
    assert expired["expired"] is True and expired["days_to_expiry"] < 0
    assert "in 9 days" in message(probed["expiring"], "cert_expiring") or "in 10 days" in message(
        probed["expiring"], "cert_expiring"
    )
    assert probed["self_signed"]["certificate"]["self_signed"] is True
    wrong = message(probed["wrong_host"], "hostname_mismatch")
    assert wrong == "certificate does not match localhost (it names www.example.com)"
    assert probed["ip_san"]["certificate"]["hostname_matches"] is True
    assert probed["ip_san"]["host"] == "127.0.0.1"


def test_incomplete_chain_next_to_complete_one(probed: dict[str, Any]) -> None:
    missing, complete = probed["no_intermediate"]["certificate"], probed["good"]["certificate"]
    assert missing["chain_sent"] == ["CN=nochain"]
    assert missing["chain_complete"] is False and missing["chain_valid"] is False
    assert complete["chain_complete"] is True and complete["chain_valid"] is True
    assert message(probed["no_intermediate"], "chain_incomplete") == (
        "incomplete chain: the server does not send the issuer 'CN=auditkit test intermediate'"
    )


def test_hsts_present_short_and_absent(probed: dict[str, Any]) -> None:
    hsts = probed["hsts"]["hsts"]
    assert hsts["max_age"] == 31536000 and hsts["include_subdomains"] is True
    assert hsts["status"] == 200
    assert probed["hsts_short"]["hsts"]["max_age"] == 600
    assert probed["good"]["hsts"]["header"] is None
    assert message(probed["good"], "hsts_missing") == (
        "no Strict-Transport-Security on GET / (HTTP 200)"
    )


def test_redirects_are_recorded_never_followed(probed: dict[str, Any], tls_lab: Lab) -> None:
    elsewhere = f"https://127.0.0.1:{tls_lab.trap.getsockname()[1]}/"
    assert probed["redirect"]["hsts"]["status"] == 301
    assert probed["redirect"]["hsts"]["redirect_location"] == elsewhere
    assert message(probed["redirect"], "hsts_missing") == (
        f"no Strict-Transport-Security on GET / (HTTP 301, redirect to {elsewhere} not followed)"
    )
    assert not was_contacted(tls_lab.trap)


def test_unreachable_hosts_are_one_line_errors(probed: dict[str, Any]) -> None:
    assert probed["closed"]["error"] == "connection refused (nothing listens on this port)"
    assert probed["silent"]["error"] == f"no TLS answer within {TIMEOUT} s"
    assert probed["plain_http"]["error"] == (
        "TLS probing failed: could not find a TLS version and cipher suite supported by the server"
    )
    assert probed["closed"]["findings"] == [] and probed["silent"]["protocols"] == {}


def test_table_has_one_row_per_endpoint_and_errors_on_stderr(tls_lab: Lab) -> None:
    endpoints = tls_lab.endpoints
    targets = [endpoints["tls10_only"], endpoints["closed"], endpoints["hsts"]]
    result = CliRunner().invoke(
        cli, ["probe", "tls", *targets, "--timeout", TIMEOUT, "--ca-file", str(tls_lab.ca_file)]
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split()[:7] == [
        "endpoint",
        "protocols",
        "certificate",
        "key",
        "hsts",
        "worst",
        "findings",
    ]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert set(rows) == set(targets)
    assert "high: TLS 1.0 accepted" in rows[endpoints["tls10_only"]]
    assert "error: connection refused" in rows[endpoints["closed"]]
    assert rows[endpoints["hsts"]].rstrip().endswith("ok")
    assert result.stderr == (
        f"error: {endpoints['closed']}: connection refused (nothing listens on this port)\n"
    )
    assert "Traceback" not in result.output


def test_without_ca_file_a_private_chain_is_untrusted(tls_lab: Lab) -> None:
    result = CliRunner().invoke(
        cli, ["probe", "tls", tls_lab.endpoints["good"], "--timeout", TIMEOUT, "--json"]
    )
    assert result.exit_code == 0, result.output
    endpoint = json.loads(result.stdout)["endpoints"][0]
    assert codes(endpoint) == {"untrusted", "hsts_missing"}
    assert endpoint["certificate"]["chain_complete"] is True
    assert endpoint["certificate"]["trusted_by"] == []


@pytest.mark.parametrize(
    "target",
    ["https://example.com/", "example.com/path", "host:0", "host:99999", "a b", "", "1.2.3.4.5"],
)
def test_bad_targets_are_refused_before_any_connection(target: str) -> None:
    result = CliRunner().invoke(cli, ["probe", "tls", target])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: target ")


def test_without_the_extra_probe_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['sslyze'] = None; sys.modules['sslyze.__version__'] = None\n"
        "from auditkit.cli.main import main\n"
        "sys.argv = ['auditkit', 'probe', 'tls', 'localhost:1']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: probe tls needs the optional 'probe' extra (sslyze): "
        "pip install 'auditkit[probe]'\n"
    )
    other = (
        "import sys; sys.modules['sslyze'] = None\n"
        "from auditkit.cli.main import main\n"
        "sys.argv = ['auditkit', 'checklist', 'list']; main()"
    )
    listed = subprocess.run(
        [sys.executable, "-c", other], capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0 and "ssl_tls" in listed.stdout


def _vendor_audit(run: Callable[..., Result]) -> int:
    added = run("vendor", "add", "Probe Target KK", "--service", "site_hosting")
    assert added.exit_code == 0, added.output
    return int(run_json(run, "audit", "start", "Probe Target KK")["id"])


def test_audit_records_answers_evidence_and_contradiction(
    run: Callable[..., Result], tls_lab: Lab, tmp_path: Path
) -> None:
    audit_id = str(_vendor_audit(run))
    vendor = ("--source", "vendor", "--comment", "per our LB config")
    assert (
        run("audit", "answer", audit_id, "ssl_tls.min_version", "tls13_only", *vendor).exit_code
        == 0
    )
    # TLS 1.0/1.1 have no AEAD suites: the measurement agrees with a vendor saying "partial"
    assert (
        run(
            "audit", "answer", audit_id, "ssl_tls.cipher_suites", "partial", "--source", "vendor"
        ).exit_code
        == 0
    )
    assert run("audit", "answer", audit_id, "ssl_tls.hsts", "hsts_long").exit_code == 0  # auditor
    targets = [tls_lab.endpoints["tls10_11"], tls_lab.endpoints["hsts"]]
    result = run(
        "probe",
        "tls",
        *targets,
        "--ca-file",
        str(tls_lab.ca_file),
        "--timeout",
        TIMEOUT,
        "--audit",
        audit_id,
        "--evidence-days",
        "30",
        "--json",
    )
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    actions = {a["question_id"]: a["action"] for a in output["recorded"]["answers"]}
    assert actions == {
        "ssl_tls.min_version": "contradicted",
        "ssl_tls.cipher_suites": "confirmed",
        "ssl_tls.certificate_trust": "answered",
        "ssl_tls.hsts": "kept auditor answer",
        "ssl_tls.last_external_scan": "answered",
    }
    shown = run_json(run, "audit", "show", audit_id)
    answers = {a["question_id"]: a for a in shown["answers"]}
    min_version = answers["ssl_tls.min_version"]
    assert (min_version["value"], min_version["source"]) == ("legacy", "probe")
    assert min_version["comment"].startswith("vendor answered tls13_only; probe: legacy")
    assert min_version["comment"].endswith("\nper our LB config")
    assert (answers["ssl_tls.hsts"]["value"], answers["ssl_tls.hsts"]["source"]) == (
        "hsts_long",
        "auditor",
    )
    assert answers["ssl_tls.hsts"]["evidence"] == []
    assert answers["ssl_tls.certificate_trust"]["value"] == "yes"
    today = dt.date.today()
    assert answers["ssl_tls.last_external_scan"]["value"] == today.isoformat()
    evidence = min_version["evidence"][0]
    assert evidence["kind"] == "probe_result"
    assert evidence["expires"] == (today + dt.timedelta(days=30)).isoformat()
    assert evidence == output["recorded"]["evidence"]
    report = ProbeReport.model_validate({k: v for k, v in output.items() if k != "recorded"})
    assert evidence["sha256"] == hashlib.sha256(evidence_bytes(report)).hexdigest()
    found = run_json(run, "findings", "list")
    contradicted = [f for f in found if f["question_id"] == "ssl_tls.min_version"]
    assert len(contradicted) == 1
    assert contradicted[0]["summary"].startswith("vendor answer contradicted by measurement: ")
    notes = "vendor answer contradicted by measurement: vendor answered tls13_only; measured legacy"
    assert contradicted[0]["notes"] == notes
    score = run_json(run, "audit", "score", audit_id)
    assert "ssl_tls.min_version" in json.dumps(score)
    after = [
        f for f in run_json(run, "findings", "list") if f["question_id"] == "ssl_tls.min_version"
    ]
    assert [f["notes"] for f in after] == [notes]  # one finding, still saying why
    page = tmp_path / "report.html"
    rendered = run("report", audit_id, "-o", str(page), "--format", "html")
    assert rendered.exit_code == 0, rendered.output
    assert "vendor answered tls13_only; probe: legacy" in page.read_text()


def test_unusable_audits_are_refused_before_probing(
    run: Callable[..., Result], tls_lab: Lab
) -> None:
    hsts = tls_lab.endpoints["hsts"]
    missing = run("probe", "tls", hsts, "--timeout", TIMEOUT, "--audit", "99")
    assert (missing.exit_code, missing.stdout) == (4, "")
    assert missing.stderr.count("\n") == 1
    audit_id = str(_vendor_audit(run))
    nothing = run(
        "probe", "tls", tls_lab.endpoints["closed"], "--timeout", TIMEOUT, "--audit", audit_id
    )
    assert nothing.exit_code == 1
    assert nothing.stderr == (
        f"error: no endpoint could be probed; nothing recorded in audit {audit_id}\n"
    )
    assert run_json(run, "audit", "show", audit_id)["answers"] == []
    done = run(
        "audit", "finalize", audit_id, "--reviewer", "Rev", "--approver", "App",
        "--accept-unanswered", "probe test",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    final = run("probe", "tls", hsts, "--timeout", TIMEOUT, "--audit", audit_id)
    assert final.exit_code == 5
    assert final.stderr.startswith(f"error: audit {audit_id} is final")
