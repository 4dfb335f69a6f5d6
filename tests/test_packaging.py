"""The built wheel carries the checklists and templates, and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("auditkit-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_shipped_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "checklists").glob("*.yaml")}
    assert {f"auditkit/_data/checklists/{n}" for n in shipped} <= names
    assert "auditkit/_data/checklists/frameworks/catalog.yaml" in names
    assert any(n.startswith("auditkit/_data/report_templates/") for n in names)
    assert "auditkit/storage/migrations/versions/0001_initial.py" in names
    assert "auditkit/py.typed" in names


@pytest.mark.slow
def test_installed_wheel_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import auditkit.paths as p, auditkit.cli.main as m; "
            "print(p.checklists_dir()); m.main()",
            "checklist",
            "list",
        ],
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first == str(site / "auditkit" / "_data" / "checklists")
    assert rest[-1].startswith("14 checklists, ")
