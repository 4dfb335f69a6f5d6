"""Font files for the PDF: a Latin font first, a CJK font second, resolved here as data.

The template declares them with @font-face; the URL fetcher serves exactly these files.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LATIN_FAMILY = "DejaVu Sans"
CJK_FAMILY = "Noto Sans CJK JP"
MONO_FAMILY = "DejaVu Sans Mono"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
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


def _find(names: tuple[str, ...]) -> Path | None:
    for root in FONT_DIRS:
        for name in names:
            candidate = root / name
            if candidate.is_file():
                return candidate.resolve()
    return None


@cache
def resolve() -> tuple[FontFile, ...]:
    """The font files present on this machine, Latin faces first."""
    found = []
    for family, weight, names in WANTED:
        path = _find(names)
        if path is not None:
            found.append(FontFile(family, weight, path))
    return tuple(found)


def has_cjk() -> bool:
    return any(f.family == CJK_FAMILY for f in resolve())


def harfbuzz_subset_available() -> bool:
    """True when weasyprint can subset fonts with HarfBuzz (much faster than fontTools)."""
    name = ctypes.util.find_library("harfbuzz-subset") or HARFBUZZ_SUBSET
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True
