"""Text PDFs -> numbered lines: ruled tables as table rows, the text around them as lines, in page order.

Line numbers: Line.no = page * 1000 + n, where n is the 1-based position of the text line or table row on
that page counted from the top (running headers and page numbers included, though they are dropped), so
"line 3012" is page 3, line 12. A paragraph wrapped over several lines becomes one Line numbered by its first.

What real PDFs need, and what is done about it:
- tables: pdfplumber finds ruled tables from their drawn lines; each row is one Line with every cell once
  (a cell covered by a merge comes back as None and is left out, like an HTML rowspan/colspan); a label
  wrapped inside its cell ("三、本年度办\\n理结果") is joined without a separator. A "table" whose cells hold
  running prose, or that has a single cell, is a page frame: its text is read as text.
- tables across pages (as Word, WPS and LibreOffice export them): on the new page the merged label cells
  restart as empty cells, which are left out; a row broken by the page ("3.补正后申请内容仍不" / "明确") is
  put back together.
- page furniture: bare page numbers ("- 3 -", "第 3 页", "3") and running headers/footers (the same text
  at the same place on most pages) at the top or bottom of a page are dropped, so they never become values.
  A bare number counts only when it follows the page numbering, so a value that ends a page is kept.
- broken lines: a line that runs to the right edge of the text column continues in the next one when that
  is not indented and does not start a numbered heading; they are joined without a separator.
- spacing: a gap of 1.5 em or more inside a text line separates cells (tab-stop aligned text); the narrow
  gaps of justified Chinese and of Word's Chinese-Latin autospace are not spaces.
- no text (a scanned report), or text in fonts without a Unicode map ("(cid:123)"): DocumentError needs_ocr.

pdfplumber (on pdfminer.six) is used because it finds ruled tables, merged cells included, and gives each
character's box; pypdfium2 extracts text faster but has no table finder.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter, defaultdict
from contextlib import contextmanager
from io import BytesIO
from typing import Iterator, NamedTuple

from gxbg.documents.model import Document, DocumentError, Line
from gxbg.documents.text import normalise

PAGE_STRIDE = 1000  # Line.no = page * PAGE_STRIDE + line on the page
MAX_PAGES = 300  # annual reports run 5-30 pages; thousands of tiny pages would only cost time
BAND = 0.12  # top and bottom share of the page where headers, footers and page numbers sit
CELL_GAP_EM = 1.5  # a gap this wide inside a text line separates cells
MIN_COLUMN_EM = 15  # narrower text never wraps as running prose
_PROSE_LINES, _PROSE_CHARS = 2, 80  # same rule as the HTML and DOCX readers: a prose cell is layout

NEEDS_OCR = "扫描版 PDF，没有可提取的文字，需要 OCR (scanned PDF with no text: needs OCR)"
NO_UNICODE = ("PDF 字体缺少字符编码映射，文字无法提取，需要 OCR (the PDF's fonts have no Unicode map: "
              "its text cannot be extracted; needs OCR)")

# Page numbers in their usual printed forms; a bare number is checked against the page's position.
_PAGE_LABEL = re.compile(
    r"^(?:[-—–~]\s*\d+\s*[-—–~]|第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
    r"(?:page|p\.)\s*\d+(?:\s*of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)$",
    re.I,
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_DIGITS = re.compile(r"\d+")
# A line that starts a numbered heading or list item never continues the line before it.
_STARTS_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十\d]+\)|\d+[.、)]|附件|\d{4}年\d{1,2}月\d{1,2}日$)")


class _Item(NamedTuple):
    """A text line or table row on a page, with its box (pdfplumber coordinates: top grows downwards)."""

    page: int
    no: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float  # font size, for gaps and edges measured in em
    cells: tuple[str, ...]
    table: bool
    xs: tuple[float, ...] = ()  # table rows: left edge of each cell
    covered: tuple[float, ...] = ()  # table rows: left edges of grid columns covered by a merged cell


class _Page(NamedTuple):
    number: int
    height: float
    items: list[_Item]
    chars: int  # characters with visible text
    images: int


def read_pdf(data: bytes, source: str, content_hash: str = "") -> Document:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("不是 PDF 文件（缺少 %PDF 文件头）(not a PDF file: no %PDF header)", "parse_error")
    pages, cid_share = _extract(data)
    if not any(p.chars for p in pages):
        raise DocumentError(NEEDS_OCR, "needs_ocr")
    if cid_share > 0.3:
        raise DocumentError(NO_UNICODE, "needs_ocr")
    body = _join_wrapped(_mend_page_breaks(_drop_furniture(pages)))
    if not body:
        raise DocumentError(NEEDS_OCR, "needs_ocr")  # only page numbers: scanned pages with a stamped footer
    lines = [Line(it.no, "\t".join(it.cells), it.cells, it.table) for it in body]
    doc = Document(source=source, kind="pdf", encoding=None, lines=lines, content_hash=content_hash)
    scanned = [p.number for p in pages if p.images and not p.chars]  # blank pages are fine; pictures of text are not
    if scanned:
        doc.notes.append(("pdf_pages_without_text", f"PDF 第 {'、'.join(map(str, scanned))} 页只有图像、没有文字"
                          "（可能是扫描页），未读取", scanned[0] * PAGE_STRIDE))  # page N, line 0: the page itself
    return doc


# --- extraction -----------------------------------------------------------------------------------------------


def _extract(data: bytes) -> tuple[list[_Page], float]:
    """Pages with their items, and the share of characters pdfminer could only name as (cid:N)."""
    import pdfplumber

    pages: list[_Page] = []
    cid = total = 0
    try:
        with _quiet_pdfminer(), pdfplumber.open(BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError(f"PDF 共 {len(pdf.pages)} 页，超过上限 {MAX_PAGES} 页 (more than {MAX_PAGES} pages)",
                                    "too_large")
            for page in pdf.pages:
                chars = [c for c in page.chars if c["text"].strip()]
                cid += sum(1 for c in chars if c["text"].startswith("(cid:"))
                total += len(chars)
                items = _page_items(page) if chars else []
                pages.append(_Page(page.page_number, float(page.height), items, len(chars), len(page.images)))
                page.close()  # frees pdfplumber's per-page caches
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on damaged files; all mean "unreadable"
        raise DocumentError(_failure(exc), "parse_error") from exc
    return pages, cid / total if total else 0.0


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs a warning for every oddity of a damaged file: noise in a batch. What matters is raised."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _failure(exc: Exception) -> str:
    # pdfplumber wraps pdfminer's errors (PdfminerException(PDFPasswordIncorrect())): look inside
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return "PDF 已加密，需要密码才能打开 (encrypted PDF: needs a password)"
    return f"PDF 文件损坏，无法解析 (corrupt PDF: {name})"


def _page_items(page) -> list[_Item]:
    page = page.dedupe_chars()  # fake bold draws every character twice
    tables = [(t, t.extract()) for t in page.find_tables()]
    tables = [(t, texts) for t, texts in tables if _is_data_table(t, texts)]
    boxes = [t.bbox for t, _ in tables]
    rows = [row for t, texts in tables for row in _table_rows(t, texts)]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    lines = outside.extract_text_lines(return_chars=True, keep_blank_chars=True)
    texts = [_text_line(line) for line in lines]
    ordered = sorted([r for r in rows if r] + [t for t in texts if t], key=lambda r: (r[0], r[2]))
    return [
        _Item(page.page_number, page.page_number * PAGE_STRIDE + min(i, PAGE_STRIDE - 1), *row)
        for i, row in enumerate(ordered, start=1)
    ]


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _cell_text(text: str | None) -> str | None:
    if text is None:
        return None  # covered by a merged cell
    return normalise(text).replace("\n", "").strip()


def _is_data_table(table, texts: list[list[str | None]]) -> bool:
    """Not a page frame: more than one cell, and no cell of running prose."""
    if len(table.cells) < 2:
        return False
    for row in texts:
        for text in row:
            if text and text.count("\n") + 1 >= _PROSE_LINES and len(text) >= _PROSE_CHARS:
                return False
    return True


def _table_rows(table, texts: list[list[str | None]]) -> list[tuple]:
    columns = [round(column.bbox[0], 1) for column in table.columns]
    out = []
    for row, row_texts in zip(table.rows, texts):
        cells, xs, covered = [], [], []
        for x, raw in zip(columns, row_texts):
            text = _cell_text(raw)
            if text is None:
                covered.append(x)
            else:
                cells.append(text)
                xs.append(x)
        if cells:
            x0, top, x1, bottom = row.bbox
            out.append((top, bottom, x0, x1, 0.0, tuple(cells), True, tuple(xs), tuple(covered)))
    return out


def _text_line(line: dict) -> tuple | None:
    chars = line["chars"]
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return None
    size = statistics.median(c["size"] for c in visible)
    cells = _split_gaps(chars, size)
    if not any(cells):
        return None
    top = min(c["top"] for c in visible)
    bottom = max(c["bottom"] for c in visible)
    return (top, bottom, visible[0]["x0"], visible[-1]["x1"], size, cells, False)


def _split_gaps(chars: list[dict], size: float) -> tuple[str, ...]:
    """Characters -> cells. A wide gap separates cells; a space character is a space; a narrow gap without
    one is a space only between Latin letters or digits: between Chinese characters it is justification,
    and between Chinese and Latin the extra room Word and WPS put there (autospace)."""
    cells: list[str] = []
    current: list[str] = []
    previous = None
    blank = False
    for char in chars:
        if not char["text"].strip():
            blank = previous is not None
            continue
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            if gap >= CELL_GAP_EM * size:
                cells.append("".join(current))
                current = []
            elif blank or (gap > 0.15 * size and not (_wide(previous["text"][-1]) or _wide(char["text"][0]))):
                current.append(" ")
        current.append(char["text"])
        previous = char
        blank = False
    cells.append("".join(current))
    return tuple(normalise(c).strip() for c in cells)


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80  # CJK scripts and full-width forms


# --- page furniture -------------------------------------------------------------------------------------------


def _drop_furniture(pages: list[_Page]) -> list[_Item]:
    edges = [(page, item, side) for page in pages for item, side in _edge_items(page)]
    repeated = _repeated(edges, sum(1 for p in pages if p.chars))
    offsets = _page_number_offsets(edges, single=len(pages) == 1)
    dropped = {item.no for _, item, side in edges if _furniture(item, side, repeated, offsets)}
    return [item for page in pages for item in page.items if item.no not in dropped]


def _edge_items(page: _Page) -> list[tuple[_Item, str]]:
    """Text items above or below all other content, within the page's top or bottom band."""
    out: list[tuple[_Item, str]] = []
    for item in page.items:
        if item.table or item.bottom > page.height * BAND:
            break
        out.append((item, "top"))
    for item in reversed(page.items):
        if item.table or item.top < page.height * (1 - BAND) or any(item is i for i, _ in out):
            break
        out.append((item, "bottom"))
    return out


def _compact(item: _Item) -> str:
    return "".join("".join(item.cells).split())


def _place(item: _Item, side: str) -> tuple[str, str, int]:
    """Where and what: side, text with digits masked (page numbers change), top to 4 pt."""
    return side, _DIGITS.sub("#", _compact(item)), round(item.top / 4)


def _repeated(edges: list[tuple[_Page, _Item, str]], text_pages: int) -> set[tuple[str, str, int]]:
    """Places whose text recurs on at least two pages and on half the pages with text."""
    seen: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for page, item, side in edges:
        seen[_place(item, side)].add(page.number)
    need = max(2, (text_pages + 1) // 2)
    return {place for place, where in seen.items() if len(where) >= need}


def _page_number_offsets(edges: list[tuple[_Page, _Item, str]], single: bool) -> set[int]:
    """Offsets (printed number - page number) shared by bare numbers on at least two pages: the
    numbering; a value that happens to end a page does not follow it. A one-page file is numbered 1."""
    votes: Counter[int] = Counter()
    for page, item, _ in edges:
        text = _compact(item)
        if _BARE_NUMBER.match(text):
            votes[int(text) - page.number] += 1
    return {offset for offset, n in votes.items() if n >= 2 or (single and offset == 0)}


def _furniture(item: _Item, side: str, repeated: set[tuple[str, str, int]], offsets: set[int]) -> bool:
    text = _compact(item)
    if _PAGE_LABEL.match(text):
        return True
    if _BARE_NUMBER.match(text) and int(text) - item.page in offsets:
        return True
    return _place(item, side) in repeated


# --- tables broken by a page ----------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^[-+]?[\d.,]+$")


def _mend_page_breaks(items: list[_Item]) -> list[_Item]:
    """Word and WPS continue a table on the next page by restarting its merged cells there (as empty cells) and,
    by default, by breaking a tall row in two. The first row on a page is mended against the rows before."""
    out: list[_Item] = []
    for item in items:
        prev = out[-1] if out else None
        if item.table and prev is not None and prev.table and item.page > prev.page:
            item = _drop_restarted_merges(item, prev)
            targets = _fragment_targets(item, out)
            if targets is not None:
                _append_fragment(out, item, targets)
                continue
        out.append(item)
    return out


def _near(x: float, xs: tuple[float, ...]) -> int | None:
    return next((i for i, other in enumerate(xs) if abs(other - x) <= 1.0), None)


def _drop_restarted_merges(item: _Item, prev: _Item) -> _Item:
    """Leading empty cells in columns that a merged cell covered in the row before: that cell's continuation,
    which an HTML or DOCX row would not have."""
    keep = 0
    while keep < len(item.cells) and not item.cells[keep] and _near(item.xs[keep], prev.covered) is not None:
        keep += 1
    return item._replace(cells=item.cells[keep:], xs=item.xs[keep:]) if keep else item


def _owner(rows: list[_Item], x: float) -> tuple[int, int] | None:
    """(row, cell) of the cell above the page break that holds column x: the last row's own cell there, or
    the merged cell from an earlier row that covers it."""
    page = rows[-1].page
    for i in range(len(rows) - 1, max(-1, len(rows) - 60), -1):
        row = rows[i]
        if not row.table or row.page != page:
            return None
        j = _near(x, row.xs)
        if j is not None:
            return i, j
        if _near(x, row.covered) is None:
            return None
    return None


def _fragment_targets(item: _Item, rows: list[_Item]) -> list[tuple[int, int] | None] | None:
    """Where each cell of a row cut by the page belongs, or None when the row is a row of its own. A fragment
    has every cell in a column of the rows above, some text continuing a label there (not a new numbered
    label) and numbers only where the cell above has none."""
    targets: list[tuple[int, int] | None] = []
    continues_label = False
    for text, x in zip(item.cells, item.xs):
        owner = _owner(rows, x)
        if owner is None:
            return None
        above = rows[owner[0]].cells[owner[1]]
        if not text:
            targets.append(None)
            continue
        if _NUMERIC.match(text):
            if above:
                return None
        elif not above or _NUMERIC.match(above) or _STARTS_ITEM.match(text):
            return None
        else:
            continues_label = True
        targets.append(owner)
    return targets if continues_label else None


def _append_fragment(rows: list[_Item], item: _Item, targets: list[tuple[int, int] | None]) -> None:
    for text, target in zip(item.cells, targets):
        if target is not None:
            i, j = target
            cells = list(rows[i].cells)
            cells[j] += text
            rows[i] = rows[i]._replace(cells=tuple(cells))


# --- wrapped lines --------------------------------------------------------------------------------------------


def _join_wrapped(items: list[_Item]) -> list[_Item]:
    text = [it for it in items if not it.table]
    if not text:
        return items
    left = min(it.x0 for it in text)
    right = max(it.x1 for it in text)
    size = statistics.median(it.size for it in text)
    full = sum(1 for it in text if it.x1 >= right - 2 * it.size)
    if right - left < MIN_COLUMN_EM * size or full < 3:
        return items  # no column of running text that wraps at a right margin
    out: list[_Item] = []
    for item in items:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, item, left, right):
            out[-1] = prev._replace(cells=(_glue(prev.cells[0], item.cells[0]),), bottom=item.bottom,
                                    x1=item.x1, page=item.page)
        else:
            out.append(item)
    return out


def _continues(prev: _Item, item: _Item, left: float, right: float) -> bool:
    if prev.table or item.table or len(prev.cells) != 1 or len(item.cells) != 1:
        return False
    size = prev.size
    if abs(item.size - size) > 0.5 or prev.x1 < right - 2 * size or item.x0 > left + 0.5 * size:
        return False
    if item.page == prev.page and item.top - prev.bottom > 1.2 * size:
        return False  # a blank line between them
    return not _STARTS_ITEM.match(item.cells[0])


def _glue(a: str, b: str) -> str:
    # Chinese has no spaces; numbers broken at the line end belong together. Only Latin words keep a space.
    return f"{a} {b}" if a[-1:].isascii() and a[-1:].isalpha() and b[:1].isascii() and b[:1].isalpha() else a + b
