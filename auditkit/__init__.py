"""auditkit: security due diligence for outsourced vendors."""

__version__ = "0.1.0"
