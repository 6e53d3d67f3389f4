"""Word (.docx) files -> numbered lines: paragraphs and table rows in body order.

DOCX has no lines, so Line.no is the 1-based ordinal of the paragraph or table row in the body (a finding's
"line 12" means "paragraph/row 12"). A paragraph with manual line breaks gives one Line per piece, all with
the paragraph's number. A table row is one Line with every cell once, like an HTML row: a horizontally merged
cell (gridSpan) once, a vertically merged continuation (vMerge without "restart") not at all. A cell's
paragraphs are joined without a separator: a label wrapped onto a second paragraph reads as one word.
Headers, footers (page numbers), footnotes and comments are not body text and are not read.

python-docx opens the package (relationships, content types); the body is then walked as XML, because
python-docx's Paragraph.text misses runs inside tracked insertions and content controls.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from gxbg.documents.model import Document, DocumentError, Line
from gxbg.documents.text import normalise, split_cells

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

MAX_PART_BYTES = 50 * 1024 * 1024  # unpacked document.xml (or any part): real reports are well under 5 MB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # the whole package, images included
# Same rule as the HTML reader: a cell of several paragraphs of running text is page layout, not data.
_PROSE_SEGMENTS, _PROSE_CHARS = 2, 80

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc, or an encrypted Office file
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_NOT_DOCX = "不是有效的 Word 文档 (.docx)，文件损坏或格式不符 (not a valid .docx: corrupt or another format)"


def read_docx(data: bytes, source: str, content_hash: str = "") -> Document:
    _check_package(data)
    body = _load_body(data)
    walker = _Walker()
    walker.block(body)
    if not any(line.text for line in walker.lines):
        raise DocumentError("Word 文档正文没有文字 (the .docx body has no text)", "parse_error")
    return Document(source=source, kind="docx", encoding=None, lines=walker.lines, content_hash=content_hash)


# --- opening --------------------------------------------------------------------------------------------------


def _check_package(data: bytes) -> None:
    """Refuse what python-docx would choke on or unpack into memory: not a zip, or a zip bomb.

    zipfile stops at each member's declared size and fails the CRC check past it, so the declared
    sizes bound what loading can unpack."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data[:1 << 20]:
            raise DocumentError("Word 文档已加密，需要密码 (password-protected .docx)", "parse_error")
        raise DocumentError("这是旧版 Word (.doc) 文件，请另存为 .docx 后再提交 (an old binary .doc renamed .docx: "
                            "save it as .docx)", "unsupported")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise DocumentError(_NOT_DOCX) from exc
    if not members:
        raise DocumentError(_NOT_DOCX)
    biggest = max(members, key=lambda m: m.file_size)
    total = sum(m.file_size for m in members)
    if biggest.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
        raise DocumentError(
            f"Word 文档解压后过大（{biggest.filename} {biggest.file_size // 2**20} MB，共 {total // 2**20} MB）"
            f"(the .docx unpacks to more than the limit: {biggest.filename} {biggest.file_size} bytes)",
            "too_large",
        )


def _load_body(data: bytes):
    import docx

    try:
        document = docx.Document(BytesIO(data))
        return document.element.body
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on damaged packages; all mean "unreadable"
        raise DocumentError(f"{_NOT_DOCX}: {type(exc).__name__}") from exc


# --- text -----------------------------------------------------------------------------------------------------

_TEXT_SKIP = frozenset({W + "del", W + "moveFrom", MC + "Fallback", W + "instrText", W + "delText"})


def _text(el) -> str:
    """The visible text under el: w:t, tabs and breaks; deleted revisions and duplicate fallbacks skipped."""
    parts: list[str] = []
    stack = [el]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag in _TEXT_SKIP or not isinstance(tag, str):
            continue
        if tag == W + "t":
            parts.append(node.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("" if node.get(W + "type") == "page" else "\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        stack.extend(reversed(node))
    return "".join(parts)


def _cell_segments(tc) -> list[str]:
    """A cell's paragraphs, each normalised, without line breaks, stripped."""
    out = []
    for child in _children(tc):
        if child.tag == W + "p":
            text = normalise(_text(child)).replace("\n", "").strip()
            if text:
                out.append(text)
    return out


_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"})


def _children(parent):
    """Children with content controls and custom-XML wrappers opened (they can hold paragraphs, rows, cells)."""
    for child in parent:
        if child.tag in _WRAPPERS:
            yield from _children(child)
        else:
            yield child


# --- walking --------------------------------------------------------------------------------------------------


def _vmerge_continues(tc) -> bool:
    props = tc.find(W + "tcPr")
    if props is None:
        return False
    vmerge = props.find(W + "vMerge")
    hmerge = props.find(W + "hMerge")  # old Word's horizontal merge: same meaning across
    return any(m is not None and m.get(W + "val", "continue") == "continue" for m in (vmerge, hmerge))


class _Walker:
    """Lines in body order; the counter numbers every paragraph and table row met."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.count = 0

    def block(self, parent) -> None:
        """Paragraphs and tables of a body or a layout cell, in order."""
        for child in _children(parent):
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)

    def paragraph(self, p) -> None:
        self.count += 1
        for piece in normalise(_text(p)).split("\n"):
            text = piece.strip()
            if text:
                # tab-aligned text (a table typed with tabs) splits into cells like a .txt line
                self.lines.append(Line(self.count, text, split_cells(text)))

    def table(self, tbl) -> None:
        for child in _children(tbl):
            if child.tag == W + "tr":
                self.row(child)

    def row(self, tr) -> None:
        tcs = [tc for tc in _children(tr) if tc.tag == W + "tc" and not _vmerge_continues(tc)]
        if any(child.tag == W + "tbl" for tc in tcs for child in _children(tc)):
            return self._layout(tcs)
        segments = [_cell_segments(tc) for tc in tcs]
        if any(len(s) >= _PROSE_SEGMENTS and sum(map(len, s)) >= _PROSE_CHARS for s in segments):
            return self._layout(tcs)
        self.count += 1
        cells = tuple("".join(s) for s in segments)
        if cells:
            self.lines.append(Line(self.count, "\t".join(cells), cells, table=True))

    def _layout(self, tcs) -> None:
        # A cell that holds a nested table or running prose: its content is the document, not a value.
        for tc in tcs:
            self.block(tc)
