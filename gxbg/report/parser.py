"""Document -> Report: sections, metadata, the three tables, narrative and layout notes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gxbg.codes import SECTION_NUMERALS, format_for_year
from gxbg.documents import DocumentError, read_document
from gxbg.documents.model import Document, Line
from gxbg.documents.text import text_lines
from gxbg.report.active_table import detect_format, parse_active
from gxbg.report.appeals_table import parse_appeals
from gxbg.report.labels import REQUEST_LABEL_RE
from gxbg.report.meta import find_published, find_title, reads_as_title
from gxbg.report.model import QuotedLines, Report
from gxbg.report.narrative import chrome_lines, narrative
from gxbg.report.requests_table import parse_requests
from gxbg.report.sections import explode, find_headings, split_sections

SECTION_NAMES = {
    "overview": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


class ParseError(Exception):
    """A file that is not (or no longer) a parseable annual report; .reason is one line."""

    def __init__(self, reason: str, status: str = "parse_error"):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def parse_file(path: str | Path) -> Report:
    try:
        doc = read_document(path)
    except DocumentError as exc:
        raise ParseError(exc.reason, exc.status) from exc
    return parse_document(doc)


def parse_text(text: str, source: str = "<text>", encoding: str | None = None) -> Report:
    lines = text_lines(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_document(Document(source, "text", encoding, lines, digest))


def parse_document(doc: Document) -> Report:
    lines = explode(doc.lines)
    headings = find_headings(lines)
    parts = split_sections(lines, headings)
    report = Report(source=doc.source, encoding=doc.encoding, content_hash=doc.content_hash)
    for code, message, line in doc.notes:
        report.note(code, message, line=line)
    _meta(report, lines, parts)
    tables = {h.code for h in headings} & {"active", "requests", "appeals"}
    if not (tables and (report.title or len(tables) >= 2)) and not (report.title and _has_request_rows(lines)):
        raise ParseError(
            "不是政府信息公开工作年度报告：未找到报告标题和表二、表三、表四 (not an annual report: no title and no report tables)"
        )
    _headings(report, headings)
    requests_lines = parts.get("requests") or _fallback_requests(lines, parts)
    report.format = detect_format(parts.get("active", []), requests_lines) or format_for_year(report.year)
    if "active" in parts:
        parse_active(parts["active"], report)
    parse_requests(requests_lines, report)
    if "appeals" in parts:
        parse_appeals(parts["appeals"], report)
    _narrative(report, parts)
    table_lines = [*parts.get("active", []), *requests_lines, *parts.get("appeals", [])]
    report.source_lines = QuotedLines(_quoted_lines(report, lines, table_lines))
    return report


QUOTE_CONTEXT = 2  # lines kept either side of a layout note


def _quoted_lines(report: Report, lines: list[Line], tables: list[Line]) -> dict[int, str]:
    """Source text of the table lines and of the lines around each layout note (line number -> text)."""
    wanted = {ln.no for ln in tables}
    wanted |= {n.line + d for n in report.layout if n.line for d in range(-QUOTE_CONTEXT, QUOTE_CONTEXT + 1)}
    quoted: dict[int, str] = {}
    for ln in lines:
        if ln.no in wanted:  # exploded pieces share their line's number: join them back
            quoted[ln.no] = f"{quoted[ln.no]} {ln.text}" if ln.no in quoted else ln.text
    return quoted


def _has_request_rows(lines: list[Line]) -> bool:
    hits = {m.lastgroup for ln in lines for m in REQUEST_LABEL_RE.finditer("".join(ln.text.split()))}
    return len(hits) >= 5


def _fallback_requests(lines: list[Line], parts: dict[str, list[Line]]) -> list[Line]:
    """No 三 heading: its rows are still recognisable by their labels wherever they are."""
    return [ln for ln in lines if ln not in parts.get("overview", []) and ln not in parts.get("other", [])]


def _meta(report: Report, lines: list[Line], parts: dict[str, list[Line]]) -> None:
    meta = find_title(parts.get("head") or lines) if parts.get("head") else find_title(lines)
    if meta.year is None:
        meta = find_title(lines)
    report.title, report.title_line = meta.title, meta.title_line
    report.agency, report.year = meta.agency, meta.year
    if meta.title is None:
        report.note("missing_title", "未找到报告标题（机关名称+年份+政府信息公开工作年度报告）", line=None)
    elif meta.title_joined:
        report.note("title_split", "标题分两行书写，已合并", line=meta.title_line, severity="info")
    report.published, report.published_line = find_published(lines)
    chrome = chrome_lines(parts.get("head", [])) + chrome_lines(parts.get("other", []))
    if chrome:
        report.note("web_chrome", f"报告前后含网页内容（{len(chrome)} 行，如“{chrome[0].text.strip()[:20]}”），已忽略",
                    line=chrome[0].no, severity="info")


def _headings(report: Report, headings) -> None:
    found = {h.code: h for h in headings}
    for code, name in SECTION_NAMES.items():
        heading = found.get(code)
        if heading is None:
            report.note("missing_section", f"未找到第{SECTION_NUMERALS[code]}部分“{name}”", section=code)
            continue
        report.sections[code] = heading.line
        if not heading.numbered:
            report.note("heading_unnumbered", f"标题“{name}”缺少序号“{SECTION_NUMERALS[code]}、”", line=heading.line,
                        section=code, severity="info")


def _narrative(report: Report, parts: dict[str, list[Line]]) -> None:
    # After the title; a repeat of the title is no preamble prose (its year would hide a wrong narrative year).
    head = [ln for ln in parts.get("head", [])
            if (report.title_line is None or ln.no > report.title_line + 1) and not reads_as_title(ln)]  # fmt: skip
    report.narrative["preamble"] = narrative(head, trim_chrome=True)
    for code in ("overview", "problems", "other"):
        if code in parts:
            report.narrative[code] = narrative(parts[code], trim_chrome=code == "other")
