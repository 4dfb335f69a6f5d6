"""`auditkit probe tls`: measure endpoints from outside, optionally recording the result."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import (
    Settings,
    columns,
    json_option,
    pass_settings,
    print_json,
    safe,
    table,
)
from auditkit.errors import ExitStatus

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue
    from auditkit.probe.results import EndpointResult
    from auditkit.services.probes import Recorded

SHORT = {"ssl2.0": "SSL2", "ssl3.0": "SSL3", "tls1.0": "1.0", "tls1.1": "1.1", "tls1.2": "1.2"}


@click.group()
def probe() -> None:
    """Measure a vendor's endpoints from outside: only the hosts given, nothing else."""


@probe.command("tls")
@click.argument("targets", nargs=-1, required=True, metavar="HOST[:PORT]...")
@click.option(
    "--ca-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PEM roots to validate chains against (a private CA), besides Mozilla's store.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, 120),
    default=5.0,
    show_default=True,
    help="Seconds per connection attempt; a host silent this long is reported and skipped.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=10,
    show_default=True,
    help="Hosts probed at the same time.",
)
@click.option("--audit", "audit_id", type=int, help="Record the result in this audit.")
@click.option(
    "--evidence-days",
    type=click.IntRange(1, 3650),
    default=90,
    show_default=True,
    help="Days until the recorded probe_result evidence expires.",
)
@json_option
@pass_settings
def tls(
    settings: Settings,
    targets: tuple[str, ...],
    ca_file: Path | None,
    timeout: float,
    concurrency: int,
    audit_id: int | None,
    evidence_days: int,
    as_json: bool,
) -> None:
    """Probe TLS on each HOST[:PORT] (default port 443): protocol versions SSL 2.0 to TLS 1.3,
    cipher suites, certificate and chain, HSTS on GET /. Redirects are never followed.

    Exit status 0 when every endpoint was probed, 1 when any could not be (each such endpoint
    gets a one-line error; the others are still probed and recorded).
    """
    from auditkit.probe.tls import scanner_version

    scanner_version()  # says which extra to install before anything else
    ws = settings.workspace
    if audit_id is not None:
        ws.probes.check_audit(audit_id)
    report = ws.probes.tls(targets, ca_file, timeout, concurrency)
    recorded = ws.probes.record(audit_id, report, evidence_days) if audit_id is not None else None
    if as_json:
        data = report.model_dump(mode="json")
        if recorded is not None:
            data["recorded"] = _recorded_json(recorded)
        print_json(data)
    else:
        click.echo(_table(report.endpoints, settings.words))
        if recorded is not None:
            _print_recorded(recorded, settings.words)
    failed = [e for e in report.endpoints if e.error]
    for endpoint in failed:
        said = f"{safe(endpoint.target)}: {safe(settings.words.render(endpoint.error_said))}"
        click.echo(settings.words.cli("error", text=said), err=True)
    if failed:
        click.get_current_context().exit(int(ExitStatus.ERROR))


def _table(endpoints: list[EndpointResult], words: Catalogue) -> str:
    rows = []
    for e in endpoints:
        if e.error:
            failed = words.cli("error", text=words.render(e.error_said))
            rows.append([e.target, "-", "-", "-", "-", words.cli("probe_failed"), failed])
            continue
        protocols = " ".join(
            SHORT.get(v, v.removeprefix("tls")) for v, ok in e.protocols.items() if ok
        )
        cert = e.certificate
        expiry, key = "-", "-"
        if cert is not None:
            expiry = (
                words.cli("probe_expired_ago", days=-cert.days_to_expiry)
                if cert.expired
                else words.cli("probe_days_left", days=cert.days_to_expiry)
            )
            key = f"{cert.key_type} {cert.key_size} {cert.signature_hash or ''}".strip()
        hsts = "-"
        if e.hsts is not None:
            none = words.cli("none_word")
            hsts = "?" if e.hsts.error else f"{e.hsts.max_age}" if e.hsts.max_age else none
        findings = "; ".join(
            words.cli("probe_finding", severity=f.severity.value, text=words.render(f.said))
            for f in e.findings
        )
        worst = (
            words.cli("probe_worst", severity=e.worst) if e.worst != "ok" else words.cli("probe_ok")
        )
        rows.append(
            [
                e.target,
                protocols or words.cli("none_word"),
                expiry,
                key,
                hsts,
                worst,
                findings or words.cli("probe_ok"),
            ]
        )
    return table(rows, columns(words, "probe"))


def _recorded_json(recorded: Recorded) -> dict[str, object]:
    return {
        "audit_id": recorded.audit_id,
        "evidence": recorded.evidence.model_dump(mode="json"),
        "answers": [
            {
                "question_id": a.question_id,
                "value": a.value,
                "action": a.action,
                "previous": a.previous,
                "note": a.note,
            }
            for a in recorded.answers
        ],
    }


def _print_recorded(recorded: Recorded, words: Catalogue) -> None:
    item = recorded.evidence
    said = words.cli(
        "probe_recorded",
        audit=recorded.audit_id,
        name=item.name,
        sha=item.sha256[:12],
        expires=str(item.expires),
    )
    click.echo(f"\n{said}")
    for answer in recorded.answers:
        extra = ""
        if answer.action == "contradicted":
            extra = words.cli("probe_vendor_answered", value=safe(str(answer.previous)))
        elif answer.action == "kept auditor answer":
            extra = words.cli("probe_auditor_answered", value=safe(str(answer.previous)))
        action = words.cli(f"probe_action_{answer.action.replace(' ', '_')}")
        click.echo(f"  {answer.question_id} = {safe(answer.value)}: {action}{extra}")
