"""`auditkit probe tls`: measure endpoints from outside, optionally recording the result."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import Settings, json_option, pass_settings, print_json, safe, table
from auditkit.errors import ExitStatus

if TYPE_CHECKING:
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
        click.echo(_table(report.endpoints))
        if recorded is not None:
            _print_recorded(recorded)
    failed = [e for e in report.endpoints if e.error]
    for endpoint in failed:
        click.echo(f"error: {safe(endpoint.target)}: {safe(endpoint.error or '')}", err=True)
    if failed:
        click.get_current_context().exit(int(ExitStatus.ERROR))


def _table(endpoints: list[EndpointResult]) -> str:
    rows = []
    for e in endpoints:
        if e.error:
            rows.append([e.target, "-", "-", "-", "-", "error", f"error: {e.error}"])
            continue
        protocols = " ".join(
            SHORT.get(v, v.removeprefix("tls")) for v, ok in e.protocols.items() if ok
        )
        cert = e.certificate
        expiry, key = "-", "-"
        if cert is not None:
            expiry = (
                f"expired {-cert.days_to_expiry} d ago"
                if cert.expired
                else f"{cert.days_to_expiry} d left"
            )
            key = f"{cert.key_type} {cert.key_size} {cert.signature_hash or ''}".strip()
        hsts = "-"
        if e.hsts is not None:
            hsts = "?" if e.hsts.error else f"{e.hsts.max_age}" if e.hsts.max_age else "none"
        findings = "; ".join(f"{f.severity.value}: {f.message}" for f in e.findings) or "ok"
        rows.append([e.target, protocols or "none", expiry, key, hsts, e.worst, findings])
    return table(rows, ["endpoint", "protocols", "certificate", "key", "hsts", "worst", "findings"])


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


def _print_recorded(recorded: Recorded) -> None:
    item = recorded.evidence
    click.echo(
        f"\nrecorded in audit {recorded.audit_id}: evidence {item.name} "
        f"(sha256 {item.sha256[:12]}, expires {item.expires})"
    )
    for answer in recorded.answers:
        extra = f" (vendor answered {answer.previous})" if answer.action == "contradicted" else ""
        if answer.action == "kept auditor answer":
            extra = f" (auditor answered {answer.previous})"
        click.echo(f"  {answer.question_id} = {safe(answer.value)}: {answer.action}{safe(extra)}")
