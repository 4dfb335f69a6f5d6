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
from typing import TYPE_CHECKING, Any

from auditkit.lazy import lazy_module
from auditkit.models.states import Source
from auditkit.services.parts import (
    AuditRef,
    Exchange,
    Findings,
    Part,
    Probes,
    Reports,
    VendorRef,
    id_of,
    vendor_key,
)

if TYPE_CHECKING:
    from auditkit.assessment import AuditState, Scored
    from auditkit.comparison import Comparison
    from auditkit.models.audit import Answer, Audit, Change, Evidence
    from auditkit.models.checklist import Checklist
    from auditkit.models.common import Lang
    from auditkit.models.confidence import ConfidenceRules
    from auditkit.models.listing import (
        AuditLine,
        AuditRow,
        DueRow,
        LapsingFile,
        Table,
        VendorRow,
    )
    from auditkit.models.vendor import Vendor
    from auditkit.risk import InherentRisk
    from auditkit.services import (
        audits,
        changelog,
        comparisons,
        evidence,
        interview,
        listings,
        pinning,
        reviews,
        score_reads,
        signoff,
        vendors,
        verification,
    )
    from auditkit.storage import db as storage
    from auditkit.year_over_year import AuditDiff
else:  # loaded on first use: a listing command never imports the report or exchange code
    _SERVICES = "audits changelog comparisons exchange findings interview listings pinning"
    _MORE = "reviews score_reads signoff vendors evidence verification"
    for _name in (*_SERVICES.split(), *_MORE.split()):
        globals()[_name] = lazy_module(f"auditkit.services.{_name}")
    storage = lazy_module("auditkit.storage.db")


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

    @cached_property
    def confidence(self) -> ConfidenceRules:
        """The confidence rules drafts are scored with: `scoring/confidence.yaml` in a
        checklist directory, else the shipped rules (a final audit keeps its own)."""
        from auditkit.checklists import load_confidence

        return load_confidence(self.checklist_dirs)

    def open(self) -> Workspace:
        """Load the checklists and open (and migrate) the database now, not on first use."""
        self.checklists  # noqa: B018
        self.confidence  # noqa: B018
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

    def lapsing_evidence(
        self, today: dt.date | None = None, soon_days: int = 60
    ) -> dict[int, builtins.list[LapsingFile]]:
        """Per vendor id, the evidence of its latest final audit that has expired or expires
        within `soon_days` (`due` shows it as a reason to review early)."""
        return reviews.lapsing(self.db, today or dt.date.today(), soon_days)

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
            [vendor_key(v) for v in vendors],
            [id_of(a) for a in audits],
            service,
            self.confidence,
        )

    def verify_log(self, head: str | None = None) -> changelog.LogCheck:
        """Check the hash-chained change log and the stored data against it; `head`, a head
        hash noted earlier, must still be in the log."""
        return changelog.verify(self.db, head)


class Vendors(Part):
    def add(self, vendor: Vendor | None = None, /, **fields: Any) -> Vendor:
        """Store a vendor (a `Vendor`, or its fields as keywords); returns it with its id."""
        return vendors.add(self.ws.db, vendor or vendors.build(fields), self.ws.actor)

    def get(self, vendor: VendorRef) -> Vendor:
        return vendors.show(self.ws.db, vendor_key(vendor))

    def list(
        self, limit: int | None = None, offset: int = 0
    ) -> builtins.list[tuple[Vendor, InherentRisk]]:
        return vendors.list_all(self.ws.db, limit, offset)

    def listing(self, limit: int | None = None, offset: int = 0) -> builtins.list[VendorRow]:
        """Vendors as plain rows, with their newest final audit's result (one query)."""
        return listings.vendors(self.ws.db, limit, offset)

    def table(self, limit: int | None = None, offset: int = 0) -> Table:
        """The vendors of `listing` as read, for output written a column at a time."""
        return listings.vendor_table(self.ws.db, limit, offset)

    @staticmethod
    def risk(row: VendorRow) -> InherentRisk:
        """A listed vendor's inherent risk."""
        return listings.vendor_risk(row)

    @staticmethod
    def profile_risk(card: bool, personal: str, access: str, criticality: str) -> InherentRisk:
        """The inherent risk of a profile's facts (card data, personal data, system access,
        criticality), each profile worked out once."""
        return listings.risk_of(card, personal, access, criticality)

    def edit(self, vendor: VendorRef, **fields: Any) -> Vendor:
        return vendors.edit(self.ws.db, vendor_key(vendor), fields, self.ws.actor)


class Audits(Part):
    def start(
        self, vendor: VendorRef, as_of: dt.date | None = None, from_previous: bool = False
    ) -> Audit:
        ws = self.ws
        return audits.start(
            ws.db, vendor_key(vendor), ws.checklists, ws.actor, as_of, from_previous
        )

    def get(self, audit: AuditRef, strict: bool = True) -> AuditState:
        """A final audit from its frozen record; a draft with its pinned checklists
        (`strict=False`: a checklist file changed under the pinned version only warns)."""
        ws = self.ws
        return audits.state(ws.db, id_of(audit), ws.checklists, strict, ws.confidence)

    def list(
        self, vendor: VendorRef | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[tuple[Audit, Vendor]]:
        ref = None if vendor is None else vendor_key(vendor)
        return audits.list_all(self.ws.db, ref, limit, offset)

    def listing(
        self, vendor: VendorRef | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[AuditRow]:
        """Audits as plain rows with their vendor's name and final audits' results."""
        ref = None if vendor is None else vendor_key(vendor)
        return listings.audits(self.ws.db, ref, limit, offset)

    def table(
        self, vendor: VendorRef | None = None, limit: int | None = None, offset: int = 0
    ) -> Table:
        """The audits of `listing` as read, for output written a column at a time."""
        ref = None if vendor is None else vendor_key(vendor)
        return listings.audit_table(self.ws.db, ref, limit, offset)

    def lines(
        self, vendor: VendorRef | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[AuditLine]:
        """The audits of `listing`, only what `audit list` shows as text (a lighter read)."""
        ref = None if vendor is None else vendor_key(vendor)
        return listings.audit_lines(self.ws.db, ref, limit, offset)

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
            ws.db, id_of(audit), question_id, value, ws.checklists, ws.actor, comment, source
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
            id_of(audit),
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
        ws = self.ws
        return score_reads.score(ws.db, id_of(audit), ws.checklists, ws.confidence)

    def refresh_findings(self, audit: AuditRef) -> Scored:
        """Score, then open, carry and close the vendor's findings to match."""
        ws = self.ws
        id_ = id_of(audit)
        return score_reads.refresh_findings(ws.db, id_, ws.checklists, ws.actor, ws.confidence)

    def finalize(self, audit: AuditRef, request: signoff.SignOffRequest) -> Audit:
        """Check the sign-off rules and freeze the audit's record, all in one transaction."""
        ws = self.ws
        id_ = id_of(audit)
        return signoff.finalize(ws.db, id_, ws.checklists, request, ws.actor, ws.confidence)

    def upgrade(self, audit: AuditRef) -> pinning.UpgradeResult:
        """Move a draft to its checklists' current content (answers to unchanged questions
        are kept)."""
        ws = self.ws
        return pinning.upgrade(ws.db, id_of(audit), ws.checklists, ws.actor)

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
            ws.db, id_of(audit), ws.checklists, ws.actor, ask, say, lang, source, interactive
        )

    def verify_answer(
        self, audit: AuditRef, question_id: str, how: str, note: str | None = None
    ) -> verification.Verified:
        """Record that the auditor verified an answer (`how`: interview, demo or onsite);
        logged, refused on a final audit. Returns what it changed in the score."""
        ws = self.ws
        return verification.verify_answer(
            ws.db, id_of(audit), question_id, how, note, ws.checklists, ws.actor, ws.confidence
        )

    def evidence(
        self,
        vendor: VendorRef | None = None,
        audit: AuditRef | None = None,
        expiring_days: int | None = None,
        expired: bool = False,
        today: dt.date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[evidence.EvidenceEntry]:
        """The evidence register: each audit's files with their details and the questions
        they support (a final audit's from its frozen record), soonest expiry first;
        `expiring_days`/`expired` keep files expiring within that many days / already expired."""
        where = evidence.EvidenceFilter(
            None if vendor is None else vendor_key(vendor),
            None if audit is None else id_of(audit),
            expiring_days,
            expired,
            today,
        )
        return evidence.register(self.ws.db, where, limit, offset)

    def changes(self, audit: AuditRef) -> builtins.list[Change]:
        return audits.changes(self.ws.db, id_of(audit))

    def diff(self, old: AuditRef, new: AuditRef) -> tuple[AuditState, AuditState, AuditDiff]:
        ws = self.ws
        return audits.diff_audits(ws.db, id_of(old), id_of(new), ws.checklists, ws.confidence)
