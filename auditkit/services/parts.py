"""The `Workspace` parts besides vendors and audits: findings, reports, questionnaire exchange
and probes (`Workspace.findings`, `.reports`, `.exchange`, `.probes`); and what every part
shares."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from auditkit.lazy import lazy_module
from auditkit.models.states import Source

if TYPE_CHECKING:
    from auditkit.comparison import Comparison
    from auditkit.exchange.importer import ImportResult
    from auditkit.exchange.questionnaire import Questionnaire
    from auditkit.models.audit import Audit, Finding, FindingStatus
    from auditkit.models.common import Lang
    from auditkit.models.listing import FindingLine, FindingRow, Table
    from auditkit.models.vendor import Vendor
    from auditkit.probe.results import ProbeReport
    from auditkit.report.signing import SigningIdentity
    from auditkit.report.verify import Verification
    from auditkit.services import (
        comparisons,
        exchange,
        findings,
        listings,
        probes,
        reports,
        standards,
        verify,
    )
    from auditkit.services.standards import StandardImport
    from auditkit.services.workspace import Workspace
else:  # loaded on first use, so building a workspace loads none of them
    _NAMES = ("comparisons", "exchange", "findings", "listings", "probes", "reports", "standards")
    for _name in (*_NAMES, "verify"):
        globals()[_name] = lazy_module(f"auditkit.services.{_name}")

AuditRef: TypeAlias = "Audit | int"
VendorRef: TypeAlias = "Vendor | str | int"


def id_of(audit: AuditRef) -> int:
    """An audit given as itself or by id, as its id."""
    return audit if isinstance(audit, int) else audit.id


def vendor_key(vendor: VendorRef) -> str:
    """A vendor given as itself, by id or by name, as the reference services look up."""
    return str(vendor) if isinstance(vendor, str | int) else str(vendor.id)


class Part:
    """One group of a workspace's use cases."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws


class Reports(Part):
    def render(
        self, audit: AuditRef, fmt: str = "pdf", lang: Lang = "en", templates: Path | None = None
    ) -> bytes:
        """The report as bytes: "pdf" (PDF/A-3b with its data embedded), "html" or "json"."""
        ws = self.ws
        return reports.render_audit(
            ws.db, id_of(audit), ws.checklists, fmt, lang, templates, ws.confidence
        )

    def write(
        self,
        audit: AuditRef,
        out: Path,
        fmt: str = "pdf",
        lang: Lang = "en",
        templates: Path | None = None,
        signer: SigningIdentity | None = None,
    ) -> bytes:
        """Render and write atomically to `out` (PDF signed when a signer is given)."""
        ws = self.ws
        id_ = id_of(audit)
        return reports.report(
            ws.db, id_, ws.checklists, out, fmt, lang, templates, signer, ws.confidence
        )

    def render_comparison(
        self,
        comparison: Comparison,
        fmt: str = "pdf",
        lang: Lang = "en",
        templates: Path | None = None,
    ) -> bytes:
        """A comparison (from `Workspace.compare`) as "pdf", "html" or "json" bytes."""
        return comparisons.render(comparison, fmt, lang, templates)

    def write_comparison(
        self,
        comparison: Comparison,
        out: Path,
        fmt: str = "pdf",
        lang: Lang = "en",
        templates: Path | None = None,
    ) -> bytes:
        """Render a comparison and write it atomically to `out`; returns the bytes written."""
        return comparisons.write(comparison, out, fmt, lang, templates)

    @staticmethod
    def signer(
        p12: Path | None, key: Path | None = None, cert: Path | None = None, pw: str | None = None
    ) -> SigningIdentity:
        """A signing key and certificate: a PKCS#12 file, or a PEM/DER key and certificate."""
        return reports.load_signer(p12, key, cert, pw)

    def verify(
        self, pdf: Path, templates: Path | None = None, standalone: bool = False,
        trust_file: Path | None = None,
    ) -> Verification:  # fmt: skip
        """What the report proves (`auditkit.report.verify`); `standalone`: no database."""
        checklists = {} if standalone else self.ws.checklists
        return verify.verify(
            pdf, self.ws.db, checklists, templates, standalone=standalone, trust_file=trust_file
        )


class Exchange(Part):
    def export(
        self,
        audit: AuditRef,
        path: Path,
        fmt: str | None = None,
        lang: Lang = "en",
        blank: bool = False,
    ) -> Questionnaire:
        ws = self.ws
        return exchange.export_questionnaire(
            ws.db, id_of(audit), ws.checklists, path, fmt, lang, blank
        )

    def import_(
        self,
        audit: AuditRef,
        path: Path,
        source: Source = Source.VENDOR,
        dry_run: bool = False,
    ) -> ImportResult:
        ws = self.ws
        return exchange.import_file(
            ws.db, id_of(audit), path, ws.checklists, ws.actor, source, dry_run
        )

    def import_standard(
        self,
        audit: AuditRef,
        path: Path,
        standard: str,
        mapping: Path | None = None,
        columns: str | None = None,
        dry_run: bool = False,
        replace: bool = False,
    ) -> StandardImport:
        """A vendor's filled CAIQ, HECVAT or VSAQ proposes answers through a mapping
        (default: the shipped one); answers given are kept unless `replace`."""
        ws = self.ws
        return standards.import_standard(
            ws.db, id_of(audit), path, standard, ws.checklists, ws.actor,
            mapping, columns, dry_run, replace,
        )  # fmt: skip


class Probes(Part):
    def tls(
        self,
        targets: Sequence[str],
        ca_file: Path | None = None,
        timeout: float = 5.0,
        concurrency: int = 10,
    ) -> ProbeReport:
        """Measure TLS on each HOST[:PORT], and nothing else (needs the `probe` extra)."""
        return probes.measure_tls(targets, ca_file, timeout, concurrency)

    def check_audit(self, audit: AuditRef) -> None:
        """Refuse, before any traffic, an audit a probe result could not be recorded in."""
        probes.check_audit(self.ws.db, id_of(audit), self.ws.checklists)

    def record(
        self, audit: AuditRef, report: ProbeReport, evidence_days: int = 90
    ) -> probes.Recorded:
        """Answers with source `probe` and a `probe_result` evidence file, in one transaction."""
        ws = self.ws
        return probes.record(ws.db, id_of(audit), report, ws.checklists, ws.actor, evidence_days)


class Findings(Part):
    def _where(
        self, vendor: VendorRef | None, audit: AuditRef | None
    ) -> tuple[str | None, str | None, int | None]:
        """The database, the vendor reference and the audit id the services take."""
        ref = None if vendor is None else vendor_key(vendor)
        return self.ws.db, ref, None if audit is None else id_of(audit)

    def list(
        self,
        vendor: VendorRef | None = None,
        open_only: bool = False,
        audit: AuditRef | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[Finding]:
        db, ref, audit_id = self._where(vendor, audit)
        return findings.list_all(db, ref, open_only, audit_id, limit, offset)

    def listing(
        self,
        vendor: VendorRef | None = None,
        open_only: bool = False,
        audit: AuditRef | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[FindingRow]:
        """Findings as plain rows with their vendor's name (one query)."""
        db, ref, audit_id = self._where(vendor, audit)
        return listings.findings(db, ref, open_only, audit_id, limit, offset)

    def table(
        self,
        vendor: VendorRef | None = None,
        open_only: bool = False,
        audit: AuditRef | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Table:
        """The findings of `listing` as read, for output written a column at a time."""
        db, ref, audit_id = self._where(vendor, audit)
        return listings.finding_table(db, ref, open_only, audit_id, limit, offset)

    def lines(
        self,
        vendor: VendorRef | None = None,
        open_only: bool = False,
        audit: AuditRef | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[FindingLine]:
        """The findings of `listing`, only what `findings list` shows as text (a lighter read)."""
        db, ref, audit_id = self._where(vendor, audit)
        return listings.finding_lines(db, ref, open_only, audit_id, limit, offset)

    def update(
        self,
        finding_id: int,
        status: FindingStatus | None = None,
        owner: str | None = None,
        due_date: dt.date | None = None,
        notes: str | None = None,
    ) -> Finding:
        return findings.update(
            self.ws.db, finding_id, self.ws.actor, status, owner, due_date, notes
        )

    def export(
        self,
        path: Path,
        fmt: str | None = None,
        lang: Lang = "en",
        vendor: VendorRef | None = None,
        open_only: bool = False,
    ) -> int:
        ws = self.ws
        ref = None if vendor is None else vendor_key(vendor)
        return exchange.export_findings(ws.db, ws.checklists, path, fmt, lang, ref, open_only)
