"""Font files for the PDF: a Latin font first, a CJK font second, resolved here as data.

The template declares them with @font-face; the URL fetcher serves exactly these files.
`AUDITKIT_FONT_DIRS` (directories separated by the path separator, like PATH) replaces the
default font directories.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LATIN_FAMILY = "DejaVu Sans"
CJK_FAMILY = "Noto Sans CJK JP"
MONO_FAMILY = "DejaVu Sans Mono"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_DIRS_ENV = "AUDITKIT_FONT_DIRS"
CJK_PACKAGE_HINT = (
    "no CJK font found: install Noto Sans CJK (Debian/Ubuntu: apt install fonts-noto-cjk)"
)
# Hiragana, Katakana, CJK ideographs and symbols, Hangul, half- and full-width forms
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3200-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
    "\U00020000-\U0003134f]"
)
# (family, weight, candidate file names in order of preference)
WANTED: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    (LATIN_FAMILY, 400, ("truetype/dejavu/DejaVuSans.ttf",)),
    (LATIN_FAMILY, 700, ("truetype/dejavu/DejaVuSans-Bold.ttf",)),
    (MONO_FAMILY, 400, ("truetype/dejavu/DejaVuSansMono.ttf",)),
    (
        CJK_FAMILY,
        400,
        ("opentype/noto/NotoSansCJK-Regular.ttc", "opentype/noto/NotoSansCJKjp-Regular.otf"),
    ),
    (
        CJK_FAMILY,
        700,
        ("opentype/noto/NotoSansCJK-Bold.ttc", "opentype/noto/NotoSansCJKjp-Bold.otf"),
    ),
)
HARFBUZZ_SUBSET = "libharfbuzz-subset.so.0"


@dataclass(frozen=True)
class FontFile:
    family: str
    weight: int
    path: Path

    @property
    def url(self) -> str:
        return self.path.as_uri()


def font_dirs() -> tuple[Path, ...]:
    """The directories searched for fonts: `AUDITKIT_FONT_DIRS` when set, else the defaults."""
    value = os.environ.get(FONT_DIRS_ENV)
    if value is None:
        return FONT_DIRS
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


def _find(roots: tuple[Path, ...], names: tuple[str, ...]) -> Path | None:
    for root in roots:
        for name in names:
            candidate = root / name
            if candidate.is_file():
                return candidate.resolve()
    return None


def resolve() -> tuple[FontFile, ...]:
    """The font files present on this machine, Latin faces first."""
    return _resolve(font_dirs())


@cache
def _resolve(roots: tuple[Path, ...]) -> tuple[FontFile, ...]:
    found = []
    for family, weight, names in WANTED:
        path = _find(roots, names)
        if path is not None:
            found.append(FontFile(family, weight, path))
    return tuple(found)


def has_cjk() -> bool:
    return any(f.family == CJK_FAMILY for f in resolve())


def contains_cjk(text: str) -> bool:
    """True when the text holds a character only a CJK font can draw."""
    return _CJK.search(text) is not None


def missing_glyphs(text: str) -> str | None:
    """The one-line reason a PDF of `text` would show empty boxes, or None when it would not."""
    if contains_cjk(text) and not has_cjk():
        return CJK_PACKAGE_HINT
    return None


def harfbuzz_subset_available() -> bool:
    """True when weasyprint can subset fonts with HarfBuzz (much faster than fontTools)."""
    name = ctypes.util.find_library("harfbuzz-subset") or HARFBUZZ_SUBSET
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True
