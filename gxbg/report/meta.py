"""Title, agency, year and publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gxbg.documents.model import Line
from gxbg.report.sections import compact

_TITLE = re.compile(
    r"^(?:标题:)?#*(?P<pre>.*?)(?P<year>(?:19|20)\d{2})年度?(?P<post>.*?)(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)$"
)
_PUBLISHED = re.compile(r"(?:发布|公开|成文)(?:时间|日期)[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SIGNATURE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CHROME = re.compile(r"^(?:当前位置|首页|>|您现在的位置)")
_AGENCY_PREFIX = re.compile(r"^(?:标题:|当前位置:.*>)")


@dataclass
class Meta:
    title: str | None = None
    title_line: int | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    published_line: int | None = None
    title_joined: bool = False


def find_title(lines: list[Line], limit: int = 60) -> Meta:
    """The first line, or two adjacent non-empty lines, that read as the report title."""
    texts = [(ln.no, compact(ln.text)) for ln in lines[:limit] if compact(ln.text) and not ln.table]
    texts = [(no, t) for no, t in texts if not _CHROME.match(t)]
    for no, text in texts:
        if m := _title_match(text):
            return _meta_from(m, text, no, False)
    for (no, first), (_, second) in zip(texts, texts[1:]):
        if m := _title_match(first + second):
            return _meta_from(m, first + second, no, True)
    return Meta()


def reads_as_title(line: Line) -> bool:
    """A line that is a report title: web pages repeat it (page title, then heading) above the text."""
    return _title_match(compact(line.text)) is not None


def _title_match(text: str) -> re.Match[str] | None:
    return _TITLE.match(text) if len(text) <= 80 else None


def _meta_from(m: re.Match[str], title: str, line: int, joined: bool) -> Meta:
    agency = (m["pre"] or m["post"] or "").strip()
    agency = _AGENCY_PREFIX.sub("", agency)
    return Meta(
        title=title.removeprefix("标题:").lstrip("#"),
        title_line=line,
        agency=agency or None,
        year=int(m["year"]),
        title_joined=joined,
    )


def find_published(lines: list[Line]) -> tuple[str | None, int | None]:
    """发布时间/发布日期 anywhere; else a signature date alone on a line near the end."""
    for ln in lines:
        if ("时间" in ln.text or "日期" in ln.text) and (m := _PUBLISHED.search(ln.text)):
            return _iso(*m.groups()), ln.no
    seen = 0
    for ln in reversed(lines):  # the last 15 non-empty lines
        text = compact(ln.text)
        if not text:
            continue
        if m := _SIGNATURE.match(text):
            return _iso(*m.groups()), ln.no
        seen += 1
        if seen == 15:
            break
    return None, None


def _iso(y: str, mo: str, d: str) -> str | None:
    month, day = int(mo), int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{int(y):04d}-{month:02d}-{day:02d}"
