"""Strict pydantic models: checklists, vendors, audits."""
