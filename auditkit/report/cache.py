"""The render cache: skip a report whose inputs have not changed and whose file is intact.

A render key is the SHA-256 of everything a report's bytes depend on: the report's canonical
JSON, the format and language, every file of the template set (the organisation's override
directory and the bundled templates), the font files (path, size, mtime), the weasyprint and
pypdf versions and the auditkit version. The key and the SHA-256 of the bytes written are
recorded in a small manifest beside the outputs (`.auditkit-render.json`, written atomically);
the audit data is never touched. An output is skipped only when its key is unchanged and the file on
disk still has the recorded SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from auditkit import paths
from auditkit.outputs import write_text
from auditkit.report import fonts
from auditkit.report.environment import template_dirs

MANIFEST_NAME = ".auditkit-render.json"
MANIFEST_FORMAT = "auditkit.render-cache/1"
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def environment_fingerprint(org_dir: Path | None) -> str:
    """What every report of a batch shares: templates (by content), fonts, library versions."""
    parts = [f"auditkit {paths.package_version()}"]
    # weasyprint lays out and writes every report; pypdf joins a long report's parts
    parts += [f"{package} {_version(package)}" for package in ("weasyprint", "pypdf")]
    for index, directory in enumerate(template_dirs(org_dir)):
        root = directory.resolve()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            parts.append(f"template {index} {path.relative_to(root)} {file_sha256(path)}")
    for font in fonts.resolve():
        try:
            stat = font.path.stat()
        except OSError:
            parts.append(f"font {font.path} missing")
            continue
        parts.append(f"font {font.path} {stat.st_size} {stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def render_key(json_bytes: bytes, fmt: str, lang: str, fingerprint: str) -> str:
    """The key of one output: its report's canonical JSON plus the batch fingerprint."""
    digest = hashlib.sha256()
    for part in (fingerprint, fmt, lang):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(json_bytes)
    return digest.hexdigest()


@dataclass
class Manifest:
    """Render keys and output hashes for the files of one output directory."""

    directory: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.directory / MANIFEST_NAME

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        """The recorded entries; an unreadable or foreign manifest counts as empty."""
        try:
            raw: Any = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(directory)
        if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
            return cls(directory)
        outputs = raw.get("outputs")
        entries = {
            str(name): {"key": str(entry["key"]), "sha256": str(entry["sha256"])}
            for name, entry in (outputs.items() if isinstance(outputs, dict) else ())
            if isinstance(entry, dict) and "key" in entry and "sha256" in entry
        }
        return cls(directory, entries)

    def is_current(self, out: Path, key: str) -> bool:
        """True when `out` was rendered with this key and still has the recorded bytes."""
        entry = self.entries.get(out.name)
        if entry is None or entry["key"] != key or out.parent.resolve() != self.directory.resolve():
            return False
        return file_sha256(out) == entry["sha256"]

    def record(self, out: Path, key: str, sha256: str) -> None:
        self.entries[out.name] = {"key": key, "sha256": sha256}

    def forget(self, out: Path) -> None:
        self.entries.pop(out.name, None)

    def save(self) -> None:
        body = {"format": MANIFEST_FORMAT, "outputs": dict(sorted(self.entries.items()))}
        write_text(self.path, json.dumps(body, indent=1, sort_keys=True) + "\n")
