"""Data for the SVG charts the templates draw: wrapped labels and the theme's colours.

Colours are the custom properties of `_theme.css` (the shipped file, then an organisation's
override), so the charts follow the same palette as the text.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

LABEL_WIDTH = 44  # in half-width characters: what fits left of the bars at 9 pt
MAX_LINES = 3
THEME_FILE = "_theme.css"
_TOKEN = re.compile(
    r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+"
)
_COLOUR_VAR = re.compile(
    r"--([a-z][a-z0-9-]*)\s*:\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\([0-9., %]{5,40}\))\s*;"
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = LABEL_WIDTH, max_lines: int = MAX_LINES) -> list[str]:
    """The label in lines of at most `width` (CJK characters count two); words stay whole."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            line += " " if line else ""
            continue
        if line and _width(line.rstrip() + token) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], rest[: width - 1] + "…"]
    return lines or [""]


def colours(template_dirs: list[Path]) -> dict[str, str]:
    """`--name: colour;` declarations of the theme, the first directory winning."""
    found: dict[str, str] = {}
    for directory in reversed(template_dirs):  # shipped last in the list, so read first
        path = directory / THEME_FILE
        if path.is_file():
            found.update(_COLOUR_VAR.findall(path.read_text(encoding="utf-8")))
    return found
