"""Synthetic reports as the files agencies publish: DOCX, PDF and HTML with the official merged tables.

The text renderer (writer.render) pads merged cells with empty cells; here the tables are real tables whose
merges follow the official form: 三's 申请人情况 spans the applicant columns, 法人或其他组织 spans five,
三、本年度办理结果 runs down the result rows, (三)不予公开 etc. run down their sub-rows. Each writer walks the same
blocks as writer.document_blocks, so the four formats carry the same report.

DOCX needs python-docx (a runtime dependency: the reader uses it) and PDF reportlab (the extra "synth"), with
its built-in CID font STSong-Light: no font file to ship.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from io import BytesIO
from typing import Callable, Iterable, Iterator, Mapping

from gxbg.codes import ACTIVE_ITEMS, APPEAL_CODES, REQUEST_COLUMNS
from gxbg.synth.writer import (
    ACTIVE_TABLES,
    REQUEST_LABELS,
    REQUEST_NOTE,
    SECTION_HEADINGS,
    ReportData,
    document_blocks,
    format_number,
)

PAGE_NUMBER_STYLES = ("dash", "bare", "chinese")  # "- 3 -", "3", "第 3 页"

# ---------------------------------------------------------------------------------------------
# Tables as grids of merged cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One cell of the printed form: its text and the grid rectangle it covers."""

    text: str
    row: int
    col: int
    rows: int = 1
    cols: int = 1

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_col(self) -> int:
        return self.col + self.cols - 1


@dataclass
class Grid:
    name: str  # active | requests | appeals
    height: int
    width: int
    spans: list[Span]

    def rows(self) -> list[list[Span]]:
        """The spans that start in each grid row, left to right (what HTML writes per <tr>)."""
        out: list[list[Span]] = [[] for _ in range(self.height)]
        for span in sorted(self.spans, key=lambda s: (s.row, s.col)):
            out[span.row].append(span)
        return out


ACTIVE_WIDTH = 4  # 信息内容 + at most three measures
REQUEST_LABEL_COLS = 3


def active_grid(data: ReportData) -> Grid:
    """二: per article-20 item a title row, a header row and its item rows; a last short cell spans the rest."""
    spans: list[Span] = []
    row = 0
    for numeral, headers, items in ACTIVE_TABLES[data.format]:
        spans.append(Span(f"第二十条第（{numeral}）项", row, 0, cols=ACTIVE_WIDTH))
        spans += _stretched(("信息内容", *headers), row + 1)
        row += 2
        for item, label in items:
            values = [format_number(data.active[item][m]) for m in ACTIVE_ITEMS[data.format][item]]
            spans += _stretched((label, *values), row)
            row += 1
    return Grid("active", row, ACTIVE_WIDTH, spans)


def _stretched(texts: tuple[str, ...], row: int) -> list[Span]:
    last = len(texts) - 1
    return [Span(t, row, i, cols=ACTIVE_WIDTH - last if i == last else 1) for i, t in enumerate(texts)]


def _request_header() -> list[Span]:
    top = [Span(REQUEST_NOTE, 0, 0, rows=3, cols=REQUEST_LABEL_COLS), Span("申请人情况", 0, 3, cols=7),
           Span("自然人", 1, 3, rows=2), Span("法人或其他组织", 1, 4, cols=5), Span("总计", 1, 9, rows=2)]
    orgs = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    return top + [Span(t, 2, 4 + i) for i, t in enumerate(orgs)]


def request_grid(data: ReportData) -> Grid:
    """三: writer.REQUEST_LABELS already encode the merges: "" under a label continues it downwards,
    and a row's last label spans the remaining label columns."""
    labels = REQUEST_LABELS[data.format]
    spans = _request_header()
    top = 3
    for i, (code, cells) in enumerate(labels):
        row = top + i
        for col, text in enumerate(cells):
            if not text:
                continue
            last = col == len(cells) - 1
            down = _continued(labels, i, col)
            spans.append(Span(text, row, col, rows=1 + down, cols=REQUEST_LABEL_COLS - col if last else 1))
        values = [str(data.requests[code][c]) for c in REQUEST_COLUMNS]
        spans += [Span(v, row, REQUEST_LABEL_COLS + j) for j, v in enumerate(values)]
    return Grid("requests", top + len(labels), REQUEST_LABEL_COLS + len(REQUEST_COLUMNS), spans)


def _continued(labels: tuple, index: int, col: int) -> int:
    """How many rows below labels[index] leave column col empty (a vertical merge)."""
    n = 0
    for _, cells in labels[index + 1 :]:
        if len(cells) > col and not cells[col]:
            n += 1
        else:
            break
    return n


_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def appeal_grid(data: ReportData) -> Grid:
    """四: 行政复议 over five columns, 行政诉讼 over ten; the review results run down two header rows."""
    spans = [Span("行政复议", 0, 0, cols=5), Span("行政诉讼", 0, 5, cols=10)]
    spans += [Span(t, 1, i, rows=2) for i, t in enumerate(_RESULTS)]
    spans += [Span("未经复议直接起诉", 1, 5, cols=5), Span("复议后起诉", 1, 10, cols=5)]
    spans += [Span(t, 2, 5 + i) for i, t in enumerate(_RESULTS * 2)]
    spans += [Span(str(data.appeals[c]), 3, i) for i, c in enumerate(APPEAL_CODES)]
    return Grid("appeals", 4, len(APPEAL_CODES), spans)


GRIDS = {"active": active_grid, "requests": request_grid, "appeals": appeal_grid}
# A heading's section by its name, so a heading written without its number or indented still counts.
_HEADING_NAMES = {text[2:]: code for code, text in SECTION_HEADINGS}

BlockEdit = Callable[[list], list]  # on writer.document_blocks (headings, paragraphs)
GridEdit = Callable[[Grid], Grid]  # on one table's grid


def blocks(
    data: ReportData, edits: Iterable[BlockEdit] = (), grid_edits: Mapping[str, Iterable[GridEdit]] | None = None
) -> Iterator[tuple[str, object]]:
    """writer.document_blocks with each table replaced by its Grid (kind "grid"). edits change the blocks first
    (layout damage on headings and paragraphs); grid_edits, by table name, change that table's grid."""
    document = document_blocks(data)
    for edit in edits:
        document = edit(document)
    section = None
    for kind, payload in document:
        if kind == "heading":
            section = next((code for name, code in _HEADING_NAMES.items() if str(payload).endswith(name)), None)
        if kind == "table" and section in GRIDS:
            grid = GRIDS[section](data)
            for grid_edit in (grid_edits or {}).get(section, ()):
                grid = grid_edit(grid)
            yield "grid", grid
        else:
            yield kind, payload


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_CSS = "table{border-collapse:collapse}td{border:1px solid #000;padding:2px 4px;text-align:center}"


def to_html(
    data: ReportData, edits: Iterable[BlockEdit] = (), grid_edits: Mapping[str, Iterable[GridEdit]] | None = None
) -> str:
    """A government web page: breadcrumbs, title, publication line, the report, share links and a footer.
    edits, grid_edits: layout damage (see blocks)."""
    esc = html.escape
    stamp = f"发布时间：{data.published}&nbsp;&nbsp;" if data.published else ""
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{esc(data.title)}</title><style>{_CSS}</style>",
        "<script>var _hmt = _hmt || [];</script></head><body>",
        '<div class="nav">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>',
        f'<div class="info">{stamp}来源：{esc(data.agency)}&nbsp;&nbsp;字号：[ <a>大</a> <a>中</a> <a>小</a> ]</div>',
        '<div class="article">',
    ]
    body = [_html_block(kind, payload) for kind, payload in blocks(data, edits, grid_edits)]
    tail = ["</div>", '<div class="share">分享到：<a>微信</a> <a>微博</a></div>',
            '<div class="tools">[ <a href="javascript:window.print()">打印本页</a> | '
            '<a href="javascript:window.close()">关闭窗口</a> ]</div>',
            '<div class="footer"><p>主办单位：' + esc(data.agency) + "</p></div>", "</body></html>", ""]
    return "\n".join(head + body + tail)


def _html_block(kind: str, payload: object) -> str:
    esc = html.escape
    if kind == "grid":
        return _html_table(payload)  # type: ignore[arg-type]
    if kind == "title":
        return f'<h1 style="text-align:center">{esc(str(payload))}</h1>'
    if kind == "heading":
        return f"<p><strong>{esc(str(payload))}</strong></p>"
    if kind == "sign":
        return "\n".join(f'<p style="text-align:right">{esc(p)}</p>' for p in str(payload).split("\n"))
    return f'<p style="text-indent:2em">{esc(str(payload))}</p>'


def _html_table(grid: Grid) -> str:
    lines = ['<table border="1" cellspacing="0" cellpadding="0"><tbody>']
    for spans in grid.rows():
        cells = "".join(_html_cell(s) for s in spans)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _html_cell(span: Span) -> str:
    attrs = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (f' colspan="{span.cols}"' if span.cols > 1 else "")
    return f"<td{attrs}>{html.escape(span.text)}</td>"


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


def to_docx(
    data: ReportData, edits: Iterable[BlockEdit] = (), grid_edits: Mapping[str, Iterable[GridEdit]] | None = None
) -> bytes:
    """A Word file as agencies write them: Song font, indented paragraphs, bordered tables with merged
    cells, and a PAGE field in the footer (footers are not body text: a reader must not see the numbers).
    edits, grid_edits: layout damage (see blocks)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for kind, payload in blocks(data, edits, grid_edits):
        if kind == "grid":
            _docx_table(doc, payload)  # type: ignore[arg-type]
        elif kind == "sign":
            for text in str(payload).split("\n"):
                doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind in ("title", "heading"):
            para = doc.add_paragraph()
            para.add_run(str(payload)).bold = True
            if kind == "title":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            doc.add_paragraph(str(payload)).paragraph_format.first_line_indent = Pt(24)
    _docx_page_field(doc.sections[0].footer.paragraphs[0])
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_table(doc, grid: Grid) -> None:
    table = doc.add_table(rows=grid.height, cols=grid.width)
    table.style = "Table Grid"
    cells = [row.cells for row in table.rows]  # once: table.cell() rescans the whole table on every call
    for span in grid.spans:
        cell = cells[span.row][span.col]
        if span.rows > 1 or span.cols > 1:
            cell = cell.merge(cells[span.last_row][span.last_col])
        cell.text = span.text  # replaces whatever merging gathered (empty paragraphs)


def _docx_page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

FONT = "STSong-Light"
# Column widths as shares of the text width: 二 label + 3 measures; 三 three label columns + 7; 四 15 equal.
_SHARES = {
    "active": (0.31, 0.23, 0.23, 0.23),
    "requests": (0.13, 0.13, 0.29) + (0.45 / 7,) * 7,
    "appeals": (1 / 15,) * 15,
}


def to_pdf(
    data: ReportData, *, page_numbers: str = "dash", running_header: bool = True, edits: Iterable[BlockEdit] = (),
    grid_edits: Mapping[str, Iterable[GridEdit]] | None = None,
) -> bytes:
    """A text PDF: bordered tables with merged cells and wrapped labels, tables continued across pages, a page
    number at the foot of every page (page_numbers: one of PAGE_NUMBER_STYLES) and, from page 2, a running
    header. Unlike Word, reportlab never breaks a table row across two pages (tests/documents/data has
    office exports that do). edits, grid_edits: layout damage (see blocks)."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.platypus import SimpleDocTemplate
    except ImportError as exc:  # an optional dependency: say how to get it
        raise ImportError("to_pdf needs reportlab: pip install 'gxbg[synth]'") from exc

    if page_numbers not in PAGE_NUMBER_STYLES:
        raise ValueError(f"unknown page number style {page_numbers!r}; expected one of {PAGE_NUMBER_STYLES}")
    register_font()
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72,
                            title=data.title, author=data.agency)
    styles = _pdf_styles()
    story = [flow for kind, payload in blocks(data, edits, grid_edits)
             for flow in _pdf_block(kind, payload, styles, doc.width)]  # fmt: skip

    def decorate(canvas, page_doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 40, _page_label(page_doc.page, page_numbers))
        if running_header and page_doc.page > 1:
            canvas.drawRightString(A4[0] - 72, A4[1] - 45, "政府信息公开工作年度报告")
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def _page_label(page: int, style: str) -> str:
    return {"dash": f"- {page} -", "bare": str(page), "chinese": f"第 {page} 页"}[style]


def register_font() -> None:
    """Make FONT available to reportlab (idempotent)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _pdf_styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=18, wordWrap="CJK", firstLineIndent=21)
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=12),
        "heading": ParagraphStyle("heading", parent=body, fontSize=12, firstLineIndent=0, spaceBefore=6),
        "para": body,
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK", alignment=TA_CENTER),
    }


def _pdf_block(kind: str, payload: object, styles: dict, width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer

    if kind == "grid":
        return [_pdf_table(payload, styles["cell"], width), Spacer(1, 8)]  # type: ignore[arg-type]
    style = styles.get(kind, styles["para"])
    return [Paragraph(html.escape(line), style) for line in str(payload).split("\n")]


def _pdf_table(grid: Grid, cell_style, width: float):
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells: list[list[object]] = [[""] * grid.width for _ in range(grid.height)]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for span in grid.spans:
        cells[span.row][span.col] = Paragraph(html.escape(span.text), cell_style)  # wraps long labels
        if span.rows > 1 or span.cols > 1:
            commands.append(("SPAN", (span.col, span.row), (span.last_col, span.last_row)))
    widths = [share * width for share in _SHARES[grid.name]]
    return Table(cells, colWidths=widths, style=TableStyle(commands))
