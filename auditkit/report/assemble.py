"""One PDF from a long report's parts (see `auditkit.report.parts`), with pypdf.

The first part's file is the base: its catalogue (XMP metadata, output intent, the embedded
audit JSON and its /AF entry), document information and file identifier are kept, and its own
pages. Its padding pages, one for each page of the later parts, are not pages of the report:
each is painted, as a form XObject, over the later part's page of the same number, which gives
that page its header and footer. The named destinations (what the links point to) are the
parts' own, merged into one sorted name tree, and the bookmarks are made from every part's
headings in order with weasyprint's own nesting rule, so the joined file has the outline one
document would have. Everything here depends only on the inputs: the same parts give the same
bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Sequence
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from auditkit.report.parts import Rendered

logging.getLogger("pypdf").setLevel(logging.ERROR)  # it notes the object streams it unpacks
SCALE = 0.75
SUBSET = re.compile(r"/[A-Z]{6}\+")
"""PDF points per CSS pixel (weasyprint's at zoom 1)."""


def join(parts: Sequence[Rendered]) -> bytes:
    """The report: the parts' pages in order, the later ones under their headers and footers."""
    base = PdfReader(io.BytesIO(parts[0].pdf))
    writer = PdfWriter(clone_from=base)
    writer.pdf_header = base.pdf_header
    pages: Any = writer.pages  # pypdf's writer pages support `del`
    while len(pages) > parts[0].pages:
        del pages[-1]
    readers = [base] + [PdfReader(io.BytesIO(part.pdf)) for part in parts[1:]]
    # final page number of each part's page objects
    numbers: dict[tuple[int, int], int] = {}
    for index, page in enumerate(base.pages[: parts[0].pages]):
        numbers[(0, _idnum(page))] = index
    for which, reader in enumerate(readers[1:], start=1):
        added = []
        for page in reader.pages:
            numbers[(which, _idnum(page))] = len(writer.pages)
            added.append(writer.add_page(page))
        _retag_fonts(added, which)
    final = [page.indirect_reference for page in writer.pages]
    _overlay(writer, base, parts[0].pages)
    names = DictionaryObject()
    old_names = writer.root_object.get("/Names")
    if old_names is not None and "/EmbeddedFiles" in old_names.get_object():
        names[NameObject("/EmbeddedFiles")] = old_names.get_object()["/EmbeddedFiles"]
    names[NameObject("/Dests")] = _destinations(writer, readers, numbers, final)
    writer.root_object[NameObject("/Names")] = writer._add_object(names)
    _outline(writer, parts, final)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _retag_fonts(pages: Sequence[Any], which: int) -> None:
    """Give the font subsets of part `which` names of their own. weasyprint names a subset after
    its font (a tag such as ABCDEF+ and the font's name), so every part would embed a different
    subset under the same name, and a viewer or printer that goes by the name could draw one
    part's text with another part's glyphs."""
    done: set[int] = set()
    for page in pages:
        fonts = _resolved(page["/Resources"]).get("/Font")
        for ref in _resolved(fonts).values() if fonts is not None else ():
            font = _resolved(ref)
            if id(font) in done:
                continue
            done.add(id(font))
            name = str(font.get("/BaseFont", ""))
            if not SUBSET.match(name):
                continue
            tag = hashlib.sha256(f"{name[1:7]} {which}".encode()).digest()
            renamed = NameObject("/" + "".join(chr(65 + b % 26) for b in tag[:6]) + name[7:])
            font[NameObject("/BaseFont")] = renamed
            for described in [font, *map(_resolved, font.get("/DescendantFonts", ()))]:
                described[NameObject("/BaseFont")] = renamed
                if "/FontDescriptor" in described:
                    descriptor = _resolved(described["/FontDescriptor"])
                    descriptor[NameObject("/FontName")] = renamed


def _idnum(page: Any) -> int:
    return int(page.indirect_reference.idnum)


def _overlay(writer: PdfWriter, base: PdfReader, first: int) -> None:
    """Paint the first part's page i over page i from `first` on (the later parts have no
    headers and footers; those pages of the first part have nothing else)."""
    if len(base.pages) != len(writer.pages):
        raise ValueError(f"{len(base.pages)} pages of headers for {len(writer.pages)} pages")
    before = writer._add_object(_stream(b"q\n"))
    for number in range(first, len(writer.pages)):
        page, over = writer.pages[number], base.pages[number]
        form = _resolved(over["/Contents"]).clone(writer)
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in over.mediabox)
        form[NameObject("/Resources")] = _resolved(over["/Resources"]).clone(writer)
        name = NameObject(f"/AKframe{number}")
        resources = _resolved(page["/Resources"])
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        _resolved(resources["/XObject"])[name] = form.indirect_reference
        contents = page["/Contents"]
        body = _resolved(contents)
        kept = list(body) if isinstance(body, ArrayObject) else [contents]
        after = writer._add_object(_stream(b"\nQ\nq " + name.encode() + b" Do Q\n"))
        page[NameObject("/Contents")] = ArrayObject([before, *kept, after])


def _resolved(value: Any) -> Any:
    """The object behind a reference (pypdf's values are typed as any PDF object)."""
    return value.get_object()


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _destinations(
    writer: PdfWriter,
    readers: Sequence[PdfReader],
    numbers: dict[tuple[int, int], int],
    final: list[Any],
) -> IndirectObject:
    """Every part's named destinations pointing at the final pages, in one sorted name tree
    (the first part's padding pages' are dropped: the real ones come from the later parts)."""
    entries: dict[str, ArrayObject] = {}
    for which, reader in enumerate(readers):
        root = _resolved(reader.trailer["/Root"])
        tree = _resolved(root.get("/Names", DictionaryObject())).get("/Dests")
        if tree is None:
            continue
        flat = _resolved(tree).get("/Names", ArrayObject())
        for name, dest in zip(flat[::2], flat[1::2], strict=True):
            dest = dest.get_object()
            number = numbers.get((which, int(dest[0].idnum)))
            if number is None:
                continue
            entries[str(name)] = ArrayObject([final[number], *dest[1:]])
    array = ArrayObject()
    for name in sorted(entries):
        array += [TextStringObject(name), entries[name]]
    return writer._add_object(DictionaryObject({NameObject("/Names"): array}))


def _outline(writer: PdfWriter, parts: Sequence[Rendered], final: list[Any]) -> None:
    """The bookmarks of all parts, nested as weasyprint nests one document's."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    number = 0
    for part in parts:
        for height, marks in zip(
            part.heights[: part.pages], part.bookmarks[: part.pages], strict=True
        ):
            page = _Marks(marks)
            matrix = Matrix(a=SCALE, d=-SCALE, f=height * SCALE)
            previous = make_page_bookmark_tree(
                page, skipped, last_by_depth, previous, number, matrix
            )
            number += 1
    old = writer.root_object.get("/Outlines")
    if old is not None:
        del writer.root_object["/Outlines"]
    if not root:
        return
    top = DictionaryObject()
    top_ref = writer._add_object(top)
    items, count = _items(writer, root, top_ref, final)
    top.update(
        {
            NameObject("/Count"): NumberObject(count),
            NameObject("/First"): items[0],
            NameObject("/Last"): items[-1],
        }
    )
    writer.root_object[NameObject("/Outlines")] = top_ref


class _Marks:
    """What weasyprint's bookmark nesting reads of a page."""

    def __init__(self, bookmarks: list[tuple[int, str, tuple[float, float], str]]) -> None:
        self.bookmarks = bookmarks


def _items(
    writer: PdfWriter, tree: list[Any], parent: IndirectObject, final: list[Any]
) -> tuple[list[IndirectObject], int]:
    """Outline items as weasyprint writes them (title, /XYZ destination, counts, links)."""
    count = len(tree)
    refs: list[IndirectObject] = []
    items: list[DictionaryObject] = []
    for title, (page, x, y), children, state in tree:
        item = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Dest"): ArrayObject(
                    [
                        final[page],
                        NameObject("/XYZ"),
                        FloatObject(x),
                        FloatObject(y),
                        NumberObject(0),
                    ]
                ),
                NameObject("/Parent"): parent,
            }
        )
        ref = writer._add_object(item)
        child_refs, child_count = _items(writer, children, ref, final)
        item[NameObject("/Count")] = NumberObject(
            -child_count if state == "closed" else child_count
        )
        if state != "closed":
            count += child_count
        if child_refs:
            item[NameObject("/First")] = child_refs[0]
            item[NameObject("/Last")] = child_refs[-1]
        if items:
            item[NameObject("/Prev")] = refs[-1]
            items[-1][NameObject("/Next")] = ref
        items.append(item)
        refs.append(ref)
    return refs, count
