"""Option choices, as plain strings so that `--help` loads no models (a test keeps them
equal to the enums they mirror)."""

from __future__ import annotations

SOURCES = ("vendor", "auditor", "probe", "vendor_standard")
FINDING_STATUSES = ("open", "accepted", "remediated")
SERVICES = (
    "site_build",
    "site_hosting",
    "order_handling",
    "inventory",
    "customer_support",
    "logistics",
    "marketing",
)
EVIDENCE_KINDS = (
    "soc2_report",
    "iso27001_certificate",
    "pci_aoc",
    "pentest_report",
    "insurance_certificate",
    "policy",
    "contract",
    "probe_result",
    "screenshot",
    "other",
)
