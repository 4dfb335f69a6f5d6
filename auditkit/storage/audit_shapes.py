"""The statements scoring an audit reads, each a `Shape`, and the columns each reads in order
(no pydantic, no SQLAlchemy: `audit_statements` builds them, `audit_reads` shapes their rows)."""

from __future__ import annotations

from auditkit.storage.listing_reads import Shape

# the columns each statement reads, in order (a test checks they are the tables' columns)
AUDIT_COLUMNS = (
    "id",
    "vendor_id",
    "status",
    "checklists",
    "profile",
    "previous_id",
    "started_at",
    "as_of",
    "reviewer",
    "approver",
    "finalized_at",
    "checklist_hashes",
    "decision",
    "approved_at",
    "single_person",
    "accepted_unanswered",
    "finalized_by",
)
VENDOR_COLUMNS = (
    "id",
    "name",
    "services",
    "contact_name",
    "contact_email",
    "handles_card_data",
    "personal_data",
    "system_access",
    "criticality",
)
ANSWER_COLUMNS = (
    "question_id",
    "value",
    "comment",
    "source",
    "evidence_ref",
    "answered_by",
    "answered_at",
    "verification",
)
LINK_COLUMNS = ("question_id", "sha256", "name", "kind", "size", "issued", "expires", "note")
FINDING_COLUMNS = (
    "id",
    "vendor_id",
    "audit_id",
    "question_id",
    "severity",
    "status",
    "summary",
    "owner",
    "due_date",
    "notes",
)

AUDIT = Shape("audit", ("id",))
VENDOR = Shape("vendor", ("id",))
ANSWERS = Shape("answers", ("audit",))
LINKS = Shape("links", ("audit",))
RECORD = Shape("record", ("audit",))
CHECKLIST = Shape("checklist", ("sha",))
LATEST_AUDIT = Shape("latest_audit", ("vendor",))
FINDINGS = Shape("vendor_findings", ("vendor",))
SHAPES = (AUDIT, VENDOR, ANSWERS, LINKS, RECORD, CHECKLIST, LATEST_AUDIT, FINDINGS)
