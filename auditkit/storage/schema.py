"""Tables (SQLAlchemy Core, portable types only: SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

vendors = Table(
    "vendors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("services", JSON, nullable=False),
    Column("contact_name", String(200)),
    Column("contact_email", String(320)),
    Column("handles_card_data", Boolean, nullable=False),
    Column("personal_data", String(16), nullable=False),
    Column("system_access", String(16), nullable=False),
    Column("criticality", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audits = Table(
    "audits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("vendor_id", Integer, ForeignKey("vendors.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("checklists", JSON, nullable=False),  # {checklist id: version}
    Column("profile", JSON, nullable=False),  # profile facts at start, for reproducible scoring
    Column("previous_id", Integer, ForeignKey("audits.id")),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("as_of", Date, nullable=False),  # the day answers and evidence are judged on
    Column("reviewer", String(200)),
    Column("approver", String(200)),
    Column("finalized_at", DateTime(timezone=True)),
    # {checklist id: sha256 of the content this audit is pinned to}; stored at start
    Column("checklist_hashes", JSON),
    Column("decision", String(32)),  # the approver's decision on the recommendation
    Column("approved_at", DateTime(timezone=True)),
    Column("single_person", Boolean, nullable=False, default=False, server_default=false()),
    Column("accepted_unanswered", Text),  # the reason given to sign off with open questions
    Column("finalized_by", String(200)),  # who ran finalize (AUDITKIT_USER / --as)
)

# listings: each vendor's newest final audit, by id (stored result) and by date (next review)
Index("ix_audits_vendor_status_id", audits.c.vendor_id, audits.c.status, audits.c.id)
Index("ix_audits_vendor_status_as_of", audits.c.vendor_id, audits.c.status, audits.c.as_of)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False, index=True),
    Column("question_id", String(200), nullable=False),
    Column("value", JSON),
    Column("comment", Text),
    Column("source", String(16), nullable=False),
    Column("evidence_ref", Text),
    Column("answered_by", String(200)),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    # the auditor's check of this answer {how, note, by, at} (0005_answer_knowledge); NULL: none
    Column("verification", JSON),
    UniqueConstraint("audit_id", "question_id"),
)

evidence = Table(  # a file, stored once by content; its details live on each link
    "evidence",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("name", String(255), nullable=False),  # the name it was first stored under
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    # details stored per file before 0003_frozen_record, kept for files no answer links to
    Column("legacy_details", JSON),
)

evidence_links = Table(  # one file attached to one answer (audit, question), with its details
    "evidence_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False, index=True),
    Column("question_id", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("sha256", String(64), ForeignKey("evidence.sha256"), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("issued", Date),
    Column("expires", Date),
    Column("note", Text),
    UniqueConstraint("audit_id", "question_id", "sha256"),
)

checklist_contents = Table(  # every checklist content an audit was pinned to, by content hash
    "checklist_contents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("checklist_id", String(200), nullable=False),
    Column("version", String(32), nullable=False),
    Column("content", JSON, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

audit_records = Table(  # what a final audit says, frozen at sign-off in the same transaction
    "audit_records",
    metadata,
    Column("audit_id", Integer, ForeignKey("audits.id"), primary_key=True),
    Column("frozen_at", DateTime(timezone=True), nullable=False),
    Column("content", JSON, nullable=False),
    Column("content_sha256", String(64), nullable=False),
)

audit_scores = Table(  # a final audit's headline result, stored when it is finalized (listings)
    "audit_scores",
    metadata,
    Column("audit_id", Integer, ForeignKey("audits.id"), primary_key=True),
    Column("overall", Float),
    Column("rating", String(16), nullable=False),
    Column("recommendation", String(32), nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("vendor_id", Integer, ForeignKey("vendors.id"), nullable=False, index=True),
    Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False, index=True),
    Column("question_id", String(200), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("owner", String(200)),
    Column("due_date", Date),
    Column("notes", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("entity", String(16), nullable=False),  # vendor, audit, answer, finding
    Column("entity_id", String(200), nullable=False),
    Column("audit_id", Integer, index=True),
    Column("field", String(64), nullable=False),
    Column("old", JSON),
    Column("new", JSON),
    # hash chain (see storage/chain.py): position, previous entry's hash, this entry's hash
    Column("seq", Integer, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("seq", name="uq_changes_seq"),
)
