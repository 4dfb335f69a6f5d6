"""The library API: one Workspace, read-only scoring, findings refreshed only on request."""

from __future__ import annotations

import subprocess
import sys

from auditkit import Workspace
from tests.builders import AS_OF, make_vendor


def test_score_is_read_only_and_refresh_findings_stores_them(db: str) -> None:
    with Workspace(db=db, actor="tester") as ws:
        vendor = ws.vendors.add(make_vendor())
        assert vendor.id is not None and vendor.name == "Sakura Commerce KK"
        audit = ws.audits.start(vendor, as_of=AS_OF)
        ws.audits.answer(audit, "ssl_tls.min_version", "legacy")
        scored = ws.audits.score(audit)
        assert "ssl_tls.min_version" in {r.question.id for r in scored.result.findings}
        assert ws.findings.list(vendor) == []  # scoring wrote nothing
        assert "finding" not in {c.entity for c in ws.audits.changes(audit)}
        state, result = ws.audits.refresh_findings(audit)
        assert state.audit.id == audit.id and result == scored.result
        assert [f.question_id for f in ws.findings.list(vendor)] == ["ssl_tls.min_version"]
        assert "finding" in {c.entity for c in ws.audits.changes(audit)}


def test_render_returns_bytes(db: str) -> None:
    with Workspace(db=db, actor="tester") as ws:
        audit = ws.audits.start(ws.vendors.add(make_vendor()), as_of=AS_OF)
        body = ws.reports.render(audit, "json", lang="ja")
    assert body.startswith(b"{") and b'"lang": "ja"' in body


def test_import_auditkit_stays_light() -> None:
    code = "import sys, auditkit; print(sorted(m for m in ('sqlalchemy', 'pydantic') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
