"""Checks made before an untrusted exchange file is parsed, and text rules for spreadsheets."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from auditkit import catalogue, safeyaml
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models.message import Message
from auditkit.safeyaml import describe_value_error

MB = 1024 * 1024
MAX_XLSX_BYTES = 20 * MB
MAX_TEXT_FILE_BYTES = safeyaml.MAX_BYTES
MAX_ZIP_ENTRIES = 500
MAX_ENTRY_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for entries larger than RATIO_FLOOR
RATIO_FLOOR = 256 * 1024
MAX_JSON_DEPTH = 32
_CHUNK = 64 * 1024
_DTD_MARKERS = (
    b"<!DOCTYPE",
    b"<!ENTITY",
    "<!DOCTYPE".encode("utf-16-le"),
    "<!DOCTYPE".encode("utf-16-be"),
)

# Text a spreadsheet would take as a formula (ASCII and full-width forms).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters an XLSX cell cannot hold as-is, and a literal "_xHHHH_" (its underscore is escaped).
_NEEDS_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def cell_escape(text: str) -> str:
    """OOXML `_xHHHH_` escape (as Excel writes it) for what XML text cannot carry."""
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def cell_unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. The check is made on the open
    descriptor (a symlink to /dev/zero or a FIFO is refused, and opening never blocks), and
    the limit is enforced while reading, whatever size the file claims."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise catalogue.error(NotFound, "no_such_file", path=str(path)) from None
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValidationProblem([Message.of("not_regular_questionnaire", path=str(path))])
        if info.st_size > limit:
            raise ValidationProblem([_too_large(path, info.st_size, limit)])
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _cannot_read(path, exc) from None
    if len(data) > limit:  # it grew, or claimed a smaller size than it has
        raise ValidationProblem([Message.of("larger_than_mb", path=str(path), limit=limit // MB)])
    return data


def _cannot_read(path: Path, exc: OSError) -> ValidationProblem:
    return ValidationProblem([Message.of("cannot_read", path=str(path), detail=str(exc.strerror))])


def _too_large(path: Path, size: int, limit: int) -> Message:
    return Message.of("file_mb_over", path=str(path), size=f"{size / MB:.1f}", limit=limit // MB)


def check_xlsx_container(path: Path, data: bytes) -> None:
    """Refuse what is not a plain workbook: not a zip, zip bombs, encrypted parts, DTDs."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationProblem([Message.of("xlsx_not_zip", path=str(path))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_entries(path, entries)
            for entry in entries:
                _check_no_dtd(path, archive, entry)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise ValidationProblem(
            [Message.of("xlsx_damaged", path=str(path), detail=str(exc))]
        ) from None


def _check_entries(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        said = Message.of(
            "xlsx_too_many_parts", path=str(path), count=len(entries), limit=MAX_ZIP_ENTRIES
        )
        raise ValidationProblem([said])
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ValidationProblem([_part("xlsx_part_encrypted", path, entry)])
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MAX_ENTRY_BYTES or (
            entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO
        ):
            said = _part("xlsx_part_bomb", path, entry, size=entry.file_size, ratio=f"{ratio:.0f}")
            raise ValidationProblem([said])
        total += entry.file_size
    if total > MAX_TOTAL_BYTES:
        raise ValidationProblem([Message.of("xlsx_bomb", path=str(path), size=total)])


def _part(code: str, path: Path, entry: zipfile.ZipInfo, **params: str | int) -> Message:
    return Message.of(code, path=str(path), part=repr(entry.filename), **params)


def _check_no_dtd(path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """XML with a DTD is refused outright (entity expansion, external entities)."""
    if entry.is_dir():
        return
    tail = b""
    with archive.open(entry) as stream:
        read = 0
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > entry.file_size:
                raise ValidationProblem([_part("xlsx_part_longer", path, entry)])
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                raise ValidationProblem([_part("xlsx_dtd", path, entry)])
            tail = window[-32:]


def load_json(text: str, source: str) -> Any:
    """JSON with a size and nesting limit. The C parser reads it in one linear pass (no regex
    pre-scan: backtracking over a hostile string is quadratic); the depth of what it built is
    then measured without recursion."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_FILE_BYTES:
        said = Message.of("larger_than_bytes", path=source, limit=MAX_TEXT_FILE_BYTES)
        raise ValidationProblem([said])
    too_deep = Message.of("at", where=source, said=Message.of("too_deep", depth=MAX_JSON_DEPTH))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        what = Message.of("invalid_json", detail=exc.msg)
        at = Message.of("at_position", path=source, line=exc.lineno, column=exc.colno, said=what)
        raise ValidationProblem([at]) from None
    except RecursionError:
        raise ValidationProblem([too_deep]) from None
    except ValueError as exc:  # e.g. a 5,000-digit number
        what = Message.of("invalid_json", detail=describe_value_error(exc))
        raise ValidationProblem([Message.of("at", where=source, said=what)]) from None
    if nesting(data) > MAX_JSON_DEPTH:
        raise ValidationProblem([too_deep])
    return data


def nesting(data: Any) -> int:
    """How deeply lists and objects nest (a scalar is 0), walked without recursion."""
    peak, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            peak = max(peak, depth)
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return peak
