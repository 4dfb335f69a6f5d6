"""A weasyprint URL fetcher that serves the bundled/organisation assets and font files only.

Vendor text is hostile: whatever URL reaches the renderer (http:, data:, file:///etc/passwd,
redirects, relative paths that climb out), only allow-listed local files are ever read.
Imported only by the PDF renderer, because importing weasyprint is slow.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_ASSET_BYTES = 64 * 1024 * 1024


class RefusedURL(ValueError):
    """The renderer asked for something outside the allow-list."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves exact allow-listed files and files inside allow-listed asset directories."""

    def __init__(self, files: Iterable[Path], directories: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self._files = frozenset(p.resolve() for p in files)
        self._directories = tuple(d.resolve() for d in directories if d.is_dir())
        self.refused: list[str] = []

    def allowed_path(self, url: str) -> Path:
        """The local file this URL may read; raise RefusedURL for anything else."""
        try:
            parts = urlsplit(url)
        except ValueError:
            raise RefusedURL("malformed URL") from None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query:
            raise RefusedURL(f"refused {parts.scheme or 'relative'} URL")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        inside = path in self._files or any(path.is_relative_to(d) for d in self._directories)
        if not inside or not path.is_file():
            raise RefusedURL("refused file outside the report assets")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            path = self.allowed_path(url)
        except RefusedURL:
            self.refused.append(url[:200])
            raise
        if path.stat().st_size > MAX_ASSET_BYTES:
            raise RefusedURL("asset too large")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
