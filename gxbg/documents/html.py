"""HTML pages -> numbered lines: each paragraph one cell, each table row one line of cells.

The shape mirrors what a browser's select-all copy gives (see the corpus's shanghai-bangongting-2019 .html and
.txt pair): one line per paragraph, one line per <tr> with every <td>/<th> once, a rowspan cell only in its first
row. Parsing is lxml's HTML parser (libxml2): it repairs unclosed <p>/<td>/<tr> the way real government pages need and gives
every element its source line. BeautifulSoup was measured and not used: its html.parser builder nests unclosed
<td>/<p> inside each other, and its lxml builder drops the source lines.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from lxml import etree

from gxbg.documents.model import Document, DocumentError, Line
from gxbg.documents.text import BOMS, binary_reason, decode, looks_binary, normalise, split_cells, split_lines

# Never shown as text: code, page chrome, form widgets, embedded objects.
_DROP = frozenset({
    "script", "style", "noscript", "template", "nav", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "canvas", "audio", "video", "select", "button", "textarea", "map",
})
# Elements that end the current line (block boxes, plus the ones handled specially).
_LINE_BREAKING = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "ol", "p", "section",
    "summary", "td", "th", "title", "tr", "ul", "br", "table", "pre", "nav", "iframe", "frameset",
})
_CELLS = ("td", "th")
_ROW_GROUPS = ("thead", "tbody", "tfoot")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # not nbsp: HTML never collapses it
# A layout cell holds prose (several paragraphs of running text), a data cell a label or a number.
_PROSE_SEGMENTS, _PROSE_CHARS = 2, 80

_META_CHARSET = re.compile(r"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I)
# GB2312 and GBK pages routinely hold characters outside those sets; GB18030 is the superset that reads them.
_GB = frozenset({"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "csgb2312", "chinese",
                 "gb18030", "x-euc-cn"})
# Declared Western single-byte charsets decode any bytes: on a Chinese page they only produce mojibake.
_SINGLE_BYTE = frozenset({"ascii", "iso8859-1", "cp1252", "iso8859-15"})

_NO_TEXT = "HTML 页面正文没有文字（可能由脚本动态加载）(no text in the HTML body; it may be loaded by JavaScript)"


def read_html(data: bytes, source: str, content_hash: str = "") -> Document:
    if looks_binary(data):
        raise DocumentError(binary_reason(data, " HTML 文件", "an HTML file"), "unsupported")
    text, encoding, note = decode_html(data)
    walker = _Walker()
    walker.run(_parse(text))
    walker.flush()
    if len(walker.lines) == walker.head_lines:
        raise DocumentError(_NO_TEXT, "parse_error")
    doc = Document(source=source, kind="html", encoding=encoding, lines=walker.lines, content_hash=content_hash)
    if note:
        doc.notes.append(("charset_mismatch", note, None))
    if encoding.endswith("?replaced"):
        doc.notes.append(("decode_replaced", "文件编码无法确定，部分字符已替换", None))
    return doc


# --- encoding -------------------------------------------------------------------------------------------------


def decode_html(data: bytes) -> tuple[str, str, str | None]:
    """Bytes -> (text, encoding, note on a wrong declaration).

    Order: BOM; bytes that are valid UTF-8 (GBK text practically never is, while pages moved to a UTF-8 CMS often
    keep a stale gb2312 declaration); the declared charset; then text.decode's GB18030 / detector chain.
    """
    if data.startswith(tuple(bom for bom, _ in BOMS)):
        text, encoding = decode(data)
        return text, encoding, None
    declared = declared_charset(data)
    if data.isascii():
        return data.decode("ascii"), declared or "utf-8", None
    try:
        return data.decode("utf-8"), "utf-8", _mismatch(declared, "utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared not in _SINGLE_BYTE:
        try:
            return data.decode(declared), declared, None
        except UnicodeDecodeError:
            pass
    text, encoding = decode(data)
    return text, encoding, _mismatch(declared, encoding)


def declared_charset(data: bytes) -> str | None:
    """The charset named by an XML declaration or a <meta> (charset= or http-equiv content), as a codec name."""
    head = data[:8192].decode("ascii", errors="replace")  # the HTML spec prescans 1024; real heads run longer
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).lower()
    if name in _GB:
        return "gb18030"
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # A declaration readable as ASCII cannot sit in UTF-16/32 bytes (HTML spec: treat it as UTF-8).
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _mismatch(declared: str | None, used: str) -> str | None:
    if not declared or declared == used:
        return None
    return f"页面声明编码 {declared}，实际按 {used} 读取 (declared charset {declared} does not match the bytes; read as {used})"


# --- parsing --------------------------------------------------------------------------------------------------


def _parse(text: str) -> etree._Element:
    # libxml2 counts only \n; make lines agree with split_lines (what an editor shows).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # huge_tree lifts libxml2's 256-level nesting limit, past which it silently stops parsing (unclosed <font>s).
    # etree's HTML parser, not lxml.html's: the same libxml2 parse, without lxml.html's Python-level element
    # class lookup on every element touched (a fifth of the reading time; nothing here uses HtmlElement).
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(_NO_TEXT, "parse_error") from exc
    if root is None:  # what lxml.html.document_fromstring reports as "Document is empty"
        raise DocumentError(_NO_TEXT, "parse_error")
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        raise DocumentError(
            f"HTML 解析在第 {fatal[0].line} 行中断 (HTML parsing stopped at line {fatal[0].line}: {fatal[0].message})",
            "parse_error",
        )
    return root


def _tag(el: etree._Element) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None  # comments/PIs/entities have callable tags


def _hidden(el: etree._Element) -> bool:
    style = el.get("style")
    return el.get("hidden") is not None or (style is not None and _DISPLAY_NONE.search(style) is not None)


def _skipped(el: etree._Element) -> bool:
    tag = _tag(el)
    return tag is None or tag in _DROP or _hidden(el)


# --- text -----------------------------------------------------------------------------------------------------


def _collapse(raw: str) -> str:
    """HTML whitespace -> one space; a line break between two CJK characters disappears.

    The second is CSS Text 3's segment-break rule: Chinese source HTML wraps mid-sentence, and "收到\\n申请" is one word.
    """

    def space(m: re.Match[str]) -> str:
        if "\n" in m.group() and _wide(raw, m.start() - 1) and _wide(raw, m.end()):
            return ""
        return " "

    return _HTML_SPACE.sub(space, raw)


def _wide(text: str, i: int) -> bool:
    return 0 <= i < len(text) and unicodedata.east_asian_width(text[i]) in ("W", "F")


def _clean(raw: str) -> str:
    # nbsp survives _collapse (as in a browser) and becomes a plain space in normalise.
    return normalise(_collapse(raw)).strip()


def _raw_text(root: etree._Element) -> str:
    """Text as written (for <pre>): <br> is a newline, dropped elements are skipped."""
    parts: list[str] = []
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        if event == "end":
            parts.append("" if el is root else el.tail or "")
        elif _skipped(el):
            walk.skip_subtree()
        else:
            parts.append("\n" if _tag(el) == "br" else el.text or "")
    return "".join(parts)


def _segments(cell: etree._Element) -> tuple[str, ...]:
    """A cell's text as its lines (paragraphs, <br> pieces), each with all whitespace collapsed."""
    if not len(cell):  # no child elements: most cells; what the walker would give, without walking
        return _leaf_segments(cell.text)
    sub = _Walker()
    sub.run(cell)
    sub.flush()
    return tuple(" ".join(line.text.split()) for line in sub.lines)


@lru_cache(maxsize=8192)  # cell texts repeat across pages ("0", the row and column labels)
def _leaf_segments(raw: str | None) -> tuple[str, ...]:
    text = _clean(raw) if raw else ""
    return (" ".join(text.split()),) if text else ()


def _is_prose(segments: tuple[str, ...]) -> bool:
    return len(segments) >= _PROSE_SEGMENTS and sum(map(len, segments)) >= _PROSE_CHARS


# --- walking --------------------------------------------------------------------------------------------------


class _Walker:
    """Collects Lines in document order. Iterative (lxml.etree.iterwalk): libxml2 allows nesting deeper than
    Python's recursion limit; only table-in-table layouts recurse."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.head_lines = 0  # lines from <head> (the <title>): a page with nothing else has no text
        self._buf: list[str] = []
        self._buf_line: int | None = None
        self._line = 1  # source line of the last start tag seen: lxml gives text nodes no line of their own

    def run(self, root: etree._Element) -> None:
        walk = etree.iterwalk(root, events=("start", "end"))
        for event, el in walk:
            if event == "start":
                if self._start(el):
                    walk.skip_subtree()
            else:
                self._end(el, el is root)

    def flush(self) -> None:
        raw = "".join(self._buf)
        # Most flushes hold only the whitespace between tags, which _clean reduces to nothing anyway.
        text = _clean(raw) if raw and not raw.isspace() else ""
        if text:
            self.lines.append(Line(no=self._buf_line or self._line, text=text, cells=(text,)))
        self._buf.clear()
        self._buf_line = None

    def _add(self, text: str | None) -> None:
        if not text:
            return
        if self._buf_line is None and text.strip():
            lead = len(text) - len(text.lstrip())
            self._buf_line = self._line + text.count("\n", 0, lead)
        self._buf.append(text)

    def _start(self, el: etree._Element) -> bool:
        """Handle a start tag; True when the element's content must not be walked."""
        tag = _tag(el)
        if tag in _LINE_BREAKING:
            self.flush()
        if _skipped(el):
            return True
        self._line = el.sourceline or self._line
        if tag == "head":
            self._head(el)
        elif tag == "table":
            self._table(el)
        elif tag == "pre":
            self._pre(el)
        else:
            self._add(el.text)
            return False
        return True

    def _end(self, el: etree._Element, is_root: bool) -> None:
        if _tag(el) in _LINE_BREAKING:
            self.flush()
        if not is_root:
            self._add(el.tail)

    def _head(self, head: etree._Element) -> None:
        # Only the <title> of the head is report text.
        before = len(self.lines)
        for title in head.iter("title"):
            self._line = title.sourceline or self._line
            self._add(title.text)
            self.flush()
        self.head_lines += len(self.lines) - before

    def _pre(self, pre: etree._Element) -> None:
        # Preformatted text is laid out like a .txt file: split its cells as the text reader does.
        base = pre.sourceline or self._line
        for offset, raw in enumerate(split_lines(_raw_text(pre))):
            text = normalise(raw).strip()
            if text:
                self.lines.append(Line(no=base + offset, text=text, cells=split_cells(text)))

    def _table(self, table: etree._Element) -> None:
        for child in table:
            tag = _tag(child)
            if tag is None or _hidden(child):
                pass
            elif tag in _ROW_GROUPS:
                self._table(child)
            elif tag == "tr":
                self._row(child)
            else:
                self.run(child)  # <caption>, or stray content the parser left inside the table
            self._add(child.tail)
        self.flush()

    def _row(self, tr: etree._Element) -> None:
        if _hidden(tr):
            return
        self.flush()
        self._line = tr.sourceline or self._line
        cells = [c for c in tr.iterchildren(*_CELLS) if not _hidden(c)]  # libxml2 lower-cases HTML tag names
        # Page-layout rows (a cell wrapping a nested table or running prose) are flattened into their content.
        if any(len(c) and c.find(".//table") is not None for c in cells):
            return self._layout_row(cells)
        segments = [_segments(c) for c in cells]
        if any(_is_prose(s) for s in segments):
            return self._layout_row(cells)
        texts = tuple("".join(s) for s in segments)  # a label split over <p>/<br> reads as one word
        if texts:
            self.lines.append(Line(no=self._line, text="\t".join(texts), cells=texts, table=True))

    def _layout_row(self, cells: list[etree._Element]) -> None:
        for cell in cells:
            self.run(cell)
