"""`Workspace`: the library API. One database, one set of checklists, one acting user.

    with Workspace(db="audits.db", checklist_dirs=["my-checklists"], actor="alice") as ws:
        vendor = ws.vendors.add(name="Sakura KK", services=["hosting"])
        audit = ws.audits.start(vendor)

Every method is one use case in one transaction (see the modules of `auditkit.services`).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeAlias

from auditkit.lazy import lazy_module
from auditkit.models.states import Source

if TYPE_CHECKING:
    from auditkit.assessment import AuditState, Scored
    from auditkit.compare import AuditDiff
    from auditkit.comparison import Comparison
    from auditkit.exchange.importer import ImportResult
    from auditkit.exchange.questionnaire import Questionnaire
    from auditkit.models.audit import Answer, Audit, Change, Evidence, Finding, FindingStatus
    from auditkit.models.checklist import Checklist
    from auditkit.models.common import Lang
    from auditkit.models.listing import AuditRow, DueRow, FindingRow, VendorRow
    from auditkit.models.vendor import Vendor
    from auditkit.probe.results import ProbeReport
    from auditkit.report.signing import SigningIdentity
    from auditkit.report.verify import Verification
    from auditkit.risk import InherentRisk
    from auditkit.services import (
        audits,
        changelog,
        comparisons,
        exchange,
        findings,
        interview,
        listings,
        pinning,
        probes,
        reports,
        reviews,
        signoff,
        standards,
        vendors,
        verify,
    )
    from auditkit.services.standards import StandardImport
    from auditkit.storage import db as storage
else:  # loaded on first use: a listing command never imports the report or exchange code
    _SERVICES = "audits changelog comparisons exchange findings interview listings pinning probes"
    for _name in (*_SERVICES.split(), "reports", "reviews", "signoff", "standards", "vendors"):
        globals()[_name] = lazy_module(f"auditkit.services.{_name}")
    verify = lazy_module("auditkit.services.verify")
    storage = lazy_module("auditkit.storage.db")

AuditRef: TypeAlias = "Audit | int"
VendorRef: TypeAlias = "Vendor | str | int"


def _audit_id(audit: AuditRef) -> int:
    return audit if isinstance(audit, int) else audit.id


def _vendor_ref(vendor: VendorRef) -> str:
    return str(vendor) if isinstance(vendor, str | int) else str(vendor.id)


class Workspace:
    """Owns the database engine, the loaded checklists and the name recorded in the change log."""

    def __init__(
        self,
        db: str | Path | None = None,
        checklist_dirs: Sequence[str | Path] = (),
        actor: str = "auditkit",
    ) -> None:
        self.db = None if db is None else str(db)
        self.checklist_dirs = tuple(Path(d) for d in checklist_dirs)
        self.actor = actor
        self.vendors = Vendors(self)
        self.audits = Audits(self)
        self.reports = Reports(self)
        self.exchange = Exchange(self)
        self.findings = Findings(self)
        self.probes = Probes(self)

    @cached_property
    def checklists(self) -> dict[str, Checklist]:
        from auditkit.checklists import load_directories

        return load_directories(self.checklist_dirs)

    def open(self) -> Workspace:
        """Load the checklists and open (and migrate) the database now, not on first use."""
        self.checklists  # noqa: B018
        storage.engine_for(self.db)
        return self

    def close(self) -> None:
        storage.close(self.db)

    def __enter__(self) -> Workspace:
        return self.open()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def due(
        self,
        today: dt.date | None = None,
        soon_days: int = 60,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[DueRow]:
        """Vendors by review urgency; `limit`/`offset` give one page of them."""
        return reviews.due(self.db, today or dt.date.today(), soon_days, limit, offset)

    def compare(
        self,
        vendors: Sequence[VendorRef] = (),
        audits: Sequence[AuditRef] = (),
        service: str | None = None,
    ) -> Comparison:
        """Candidate vendors side by side: each vendor by its latest final audit (else its
        latest draft), each audit as given, and every vendor offering `service`."""
        return comparisons.compare(
            self.db,
            self.checklists,
            [_vendor_ref(v) for v in vendors],
            [_audit_id(a) for a in audits],
            service,
        )

    def verify_log(self, head: str | None = None) -> changelog.LogCheck:
        """Check the hash-chained change log and the stored data against it; `head`, a head
        hash noted earlier, must still be in the log."""
        return changelog.verify(self.db, head)


class _Part:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws


class Vendors(_Part):
    def add(self, vendor: Vendor | None = None, /, **fields: Any) -> Vendor:
        """Store a vendor (a `Vendor`, or its fields as keywords); returns it with its id."""
        return vendors.add(self.ws.db, vendor or vendors.build(fields), self.ws.actor)

    def get(self, vendor: VendorRef) -> Vendor:
        return vendors.show(self.ws.db, _vendor_ref(vendor))

    def list(
        self, limit: int | None = None, offset: int = 0
    ) -> builtins.list[tuple[Vendor, InherentRisk]]:
        return vendors.list_all(self.ws.db, limit, offset)

    def listing(self, limit: int | None = None, offset: int = 0) -> builtins.list[VendorRow]:
        """Vendors as plain rows, with their newest final audit's result (one query)."""
        return listings.vendors(self.ws.db, limit, offset)

    @staticmethod
    def risk(row: VendorRow) -> InherentRisk:
        """A listed vendor's inherent risk."""
        return listings.vendor_risk(row)

    def edit(self, vendor: VendorRef, **fields: Any) -> Vendor:
        return vendors.edit(self.ws.db, _vendor_ref(vendor), fields, self.ws.actor)


class Audits(_Part):
    def start(
        self, vendor: VendorRef, as_of: dt.date | None = None, from_previous: bool = False
    ) -> Audit:
        ws = self.ws
        return audits.start(
            ws.db, _vendor_ref(vendor), ws.checklists, ws.actor, as_of, from_previous
        )

    def get(self, audit: AuditRef, strict: bool = True) -> AuditState:
        """A final audit from its frozen record; a draft with its pinned checklists
        (`strict=False`: a checklist file changed under the pinned version only warns)."""
        return audits.state(self.ws.db, _audit_id(audit), self.ws.checklists, strict)

    def list(
        self, vendor: VendorRef | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[tuple[Audit, Vendor]]:
        ref = None if vendor is None else _vendor_ref(vendor)
        return audits.list_all(self.ws.db, ref, limit, offset)

    def listing(
        self, vendor: VendorRef | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[AuditRow]:
        """Audits as plain rows with their vendor's name and final audits' results."""
        ref = None if vendor is None else _vendor_ref(vendor)
        return listings.audits(self.ws.db, ref, limit, offset)

    def answer(
        self,
        audit: AuditRef,
        question_id: str,
        value: str,
        comment: str | None = None,
        source: Source = Source.AUDITOR,
    ) -> Answer:
        ws = self.ws
        return audits.answer(
            ws.db, _audit_id(audit), question_id, value, ws.checklists, ws.actor, comment, source
        )

    def attach_evidence(
        self,
        audit: AuditRef,
        question_id: str,
        path: Path,
        kind: str,
        expires: dt.date | None = None,
        issued: dt.date | None = None,
        note: str | None = None,
    ) -> Evidence:
        """Store the file once by SHA-256; kind, dates and note belong to this link only."""
        ws = self.ws
        return audits.attach_evidence(
            ws.db,
            _audit_id(audit),
            question_id,
            path,
            kind,
            ws.checklists,
            ws.actor,
            expires,
            issued,
            note,
        )

    def score(self, audit: AuditRef) -> Scored:
        """The audit and its result; read-only."""
        return audits.score(self.ws.db, _audit_id(audit), self.ws.checklists)

    def refresh_findings(self, audit: AuditRef) -> Scored:
        """Score, then open, carry and close the vendor's findings to match."""
        ws = self.ws
        return audits.refresh_findings(ws.db, _audit_id(audit), ws.checklists, ws.actor)

    def finalize(self, audit: AuditRef, request: signoff.SignOffRequest) -> Audit:
        """Check the sign-off rules and freeze the audit's record, all in one transaction."""
        ws = self.ws
        return signoff.finalize(ws.db, _audit_id(audit), ws.checklists, request, ws.actor)

    def upgrade(self, audit: AuditRef) -> pinning.UpgradeResult:
        """Move a draft to its checklists' current content (answers to unchanged questions
        are kept)."""
        ws = self.ws
        return pinning.upgrade(ws.db, _audit_id(audit), ws.checklists, ws.actor)

    def interview(
        self,
        audit: AuditRef,
        ask: interview.Ask,
        say: interview.Say,
        lang: Lang = "en",
        source: Source = Source.VENDOR,
        interactive: bool = True,
    ) -> interview.Progress:
        """Ask every pending question through `ask`/`say`; each answer is saved as it comes."""
        ws = self.ws
        return interview.run(
            ws.db, _audit_id(audit), ws.checklists, ws.actor, ask, say, lang, source, interactive
        )

    def changes(self, audit: AuditRef) -> builtins.list[Change]:
        return audits.changes(self.ws.db, _audit_id(audit))

    def diff(self, old: AuditRef, new: AuditRef) -> tuple[AuditState, AuditState, AuditDiff]:
        return audits.compare(self.ws.db, _audit_id(old), _audit_id(new), self.ws.checklists)


class Reports(_Part):
    def render(
        self, audit: AuditRef, fmt: str = "pdf", lang: Lang = "en", templates: Path | None = None
    ) -> bytes:
        """The report as bytes: "pdf" (PDF/A-3b with its data embedded), "html" or "json"."""
        ws = self.ws
        return reports.render_audit(ws.db, _audit_id(audit), ws.checklists, fmt, lang, templates)

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
        id_ = _audit_id(audit)
        return reports.report(ws.db, id_, ws.checklists, out, fmt, lang, templates, signer)

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


class Exchange(_Part):
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
            ws.db, _audit_id(audit), ws.checklists, path, fmt, lang, blank
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
            ws.db, _audit_id(audit), path, ws.checklists, ws.actor, source, dry_run
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
            ws.db, _audit_id(audit), path, standard, ws.checklists, ws.actor,
            mapping, columns, dry_run, replace,
        )  # fmt: skip


class Findings(_Part):
    def list(
        self,
        vendor: VendorRef | None = None,
        open_only: bool = False,
        audit: AuditRef | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[Finding]:
        return findings.list_all(
            self.ws.db,
            None if vendor is None else _vendor_ref(vendor),
            open_only,
            None if audit is None else _audit_id(audit),
            limit,
            offset,
        )

    def listing(
        self,
        vendor: VendorRef | None = None,
        open_only: bool = False,
        audit: AuditRef | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[FindingRow]:
        """Findings as plain rows with their vendor's name (one query)."""
        return listings.findings(
            self.ws.db,
            None if vendor is None else _vendor_ref(vendor),
            open_only,
            None if audit is None else _audit_id(audit),
            limit,
            offset,
        )

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
        ref = None if vendor is None else _vendor_ref(vendor)
        return exchange.export_findings(ws.db, ws.checklists, path, fmt, lang, ref, open_only)


class Probes(_Part):
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
        probes.check_audit(self.ws.db, _audit_id(audit), self.ws.checklists)

    def record(
        self, audit: AuditRef, report: ProbeReport, evidence_days: int = 90
    ) -> probes.Recorded:
        """Answers with source `probe` and a `probe_result` evidence file, in one transaction."""
        ws = self.ws
        return probes.record(
            ws.db, _audit_id(audit), report, ws.checklists, ws.actor, evidence_days
        )
