"""The one Jinja2 environment for reports: autoescape, StrictUndefined, organisation overrides,
compiled templates kept in the user's cache directory between processes."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup

from auditkit import cache_entries, paths, textnorm

SAFE_SCHEMES = ("https", "mailto")
_CSS_URL = re.compile(
    r"^(file:///[A-Za-z0-9/._%~+-]+|data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/]+=*)$"
)
_UNSAFE_CHARS = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`]")


def safe_url(value: object) -> str:
    """The URL when it is https or mailto, else an empty string (templates then drop the link)."""
    text = str(value or "").strip()
    if not text or _UNSAFE_CHARS.search(text):
        return ""
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in SAFE_SCHEMES else ""


def css_url(value: object) -> str:
    """A resolved local file URL or a base64 data: URI for use inside CSS `url()`;
    anything else is refused."""
    text = str(value)
    if not _CSS_URL.match(text):
        raise ValueError(f"refusing to place {text[:60]!r} in a stylesheet")
    return text


def css_string(value: object) -> Markup:
    """A quoted CSS string; every character outside [A-Za-z0-9 ] becomes a CSS escape."""
    text = str(value)
    # an escape ends with one space, which CSS consumes: a space after it in the text stays
    out = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} " for ch in text
    )
    return Markup(f'"{out}"')  # noqa: S704 - every character is escaped above


def printable(value: object) -> object:
    """Jinja `finalize`: every string a template prints is normalised like stored vendor text
    (separators as newlines, hidden and control characters as visible escapes), so text
    stored before the normalisation existed cannot break the renderer or spoof the reader."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return textnorm.display(value)
    return value


def score(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def template_dirs(org_dir: Path | None) -> list[Path]:
    """Where templates are looked up, the organisation's directory first."""
    return ([org_dir] if org_dir is not None else []) + [paths.templates_dir()]


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept between processes, as authenticated cache entries (compiled
    code is loaded only from an entry this user's key signed, see `auditkit.cache_entries`),
    each used only while its template's source is unchanged (Jinja checks the checksum).
    Best effort: a cache that cannot be read or written is skipped, never an error."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def entry(self, bucket: Bucket) -> Path:
        # the compiled form depends on Jinja and on the environment's settings (this release)
        release = f"{paths.package_version()}-jinja{jinja2.__version__}"
        return self.directory / f"template-{release}-{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        body = cache_entries.read(self.entry(bucket))
        if body is not None:
            bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: Bucket) -> None:
        compiled = io.BytesIO()
        bucket.write_bytecode(compiled)
        cache_entries.write(self.entry(bucket), compiled.getvalue())


def compiled_templates_dir() -> Path | None:
    """Where compiled templates are kept; None when caching is off."""
    return paths.cache_dir("templates")


def build_environment(org_dir: Path | None = None) -> Environment:
    """Autoescaped, strict environment; an organisation directory overrides single templates."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(org_dir)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=printable,
        bytecode_cache=_compiled_templates(),
    )
    env.filters.update(
        safe_url=safe_url, css_url=css_url, css_string=css_string, score=score, signed=signed
    )
    return env


def _compiled_templates() -> CompiledTemplates | None:
    directory = compiled_templates_dir()
    return None if directory is None else CompiledTemplates(directory)
