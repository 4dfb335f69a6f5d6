"""The README's library example is a test: it runs as written, in a fresh folder."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

README = Path(__file__).resolve().parent.parent / "README.md"


def library_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if "Workspace(" in b]
    assert len(found) == 1, "README should have one Workspace example"
    return found[0]


@pytest.mark.slow
def test_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(library_example(), str(README), "exec"), namespace)
    overall, rating, recommendation = printed.getvalue().split()
    assert float(overall) > 0 and rating and recommendation
    pdf = namespace["pdf"]
    assert isinstance(pdf, bytes)
    reader = PdfReader(io.BytesIO(pdf))
    assert "Sakura Hosting KK" in reader.pages[0].extract_text()
    assert (tmp_path / "example.db").is_file()
    assert not any(p.suffix == ".pdf" for p in tmp_path.iterdir()), "render writes nothing"
    assert os.getcwd() == str(tmp_path)
