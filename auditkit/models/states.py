"""Statuses and sources of audits, answers and findings (kept free of pydantic so listings and
the CLI can import them cheaply; `auditkit.models.audit` re-exports them)."""

from __future__ import annotations

from enum import StrEnum


class AuditStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"


class Source(StrEnum):
    VENDOR = "vendor"  # self-attested by the vendor
    AUDITOR = "auditor"  # verified by the auditor
    PROBE = "probe"  # gathered by an automated probe
    STANDARD = "vendor_standard"  # proposed from the vendor's filled standard questionnaire


class FindingStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REMEDIATED = "remediated"
