"""Finding the six section headings, with or without their numbers, even inside run-together text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gxbg.codes import SECTIONS
from gxbg.documents.model import Line
from gxbg.documents.text import split_cells
from gxbg.report.labels import SECTION_HEADINGS, SECTION_NUMBER, last_char_hint

_WS = re.compile(r"\s+")
_HEADING_FULL = {
    code: re.compile(rf"^#*(?P<num>{SECTION_NUMBER})?{pattern}[。:]?$") for code, pattern in SECTION_HEADINGS
}
# A numbered heading inside a longer line (crawled text where everything runs together).
_HEADING_INLINE = re.compile(
    "|".join(rf"(?P<{code}>{SECTION_NUMBER}{pattern})" for code, pattern in SECTION_HEADINGS)
)


_HEADING_ENDS = ("情况", "事项", "措施")  # every heading ends so: a cheap filter before the patterns
_HEADING_HINT = last_char_hint(_HEADING_ENDS)  # found even in a spaced-out heading


def compact(text: str) -> str:
    return _WS.sub("", text)


@dataclass
class Heading:
    code: str
    index: int  # index into the exploded line list
    line: int  # source line
    numbered: bool


_NUMBER_MARK = re.compile(r"[一二三四五六][、.)]")  # cheap pre-check


def explode(lines: list[Line]) -> list[Line]:
    """Split single-cell lines at numbered section headings found mid-line; line numbers are kept."""
    out: list[Line] = []
    for line in lines:
        if line.table or len(line.text) < 40 or not _NUMBER_MARK.search(line.text):
            out.append(line)
            continue
        cuts = [i for m in _HEADING_INLINE.finditer(line.text) for i in (m.start(), m.end()) if 0 < i < len(line.text)]
        if not cuts:
            out.append(line)
            continue
        bounds = [0, *cuts, len(line.text)]
        for a, b in zip(bounds, bounds[1:]):
            piece = line.text[a:b]
            if not piece.strip():
                continue
            out.append(Line(no=line.no, text=piece, cells=split_cells(piece)))
    return out


def heading_of(line: Line) -> tuple[str, bool] | None:
    raw = line.text
    if line.table or not raw or len(raw) > 80 or not _HEADING_HINT.search(raw):
        return None
    text = compact(raw).rstrip("。:")
    if not text or len(text) > 40 or not text.endswith(_HEADING_ENDS):
        return None
    for code, pattern in _HEADING_FULL.items():
        m = pattern.match(text)
        if m:
            return code, bool(m["num"])
    return None


def find_headings(lines: list[Line]) -> list[Heading]:
    """Headings in order 一..六; a heading must come after the previous one found."""
    candidates = []
    for i, line in enumerate(lines):
        hit = heading_of(line)
        if hit:
            candidates.append(Heading(hit[0], i, line.no, hit[1]))
    found: list[Heading] = []
    pos = 0
    for code in SECTIONS:
        for cand in candidates:
            if cand.code == code and cand.index >= pos:
                found.append(cand)
                pos = cand.index + 1
                break
    return found


def split_sections(lines: list[Line], headings: list[Heading]) -> dict[str, list[Line]]:
    """Lines of each section (heading line excluded); 'head' holds what precedes the first heading."""
    parts: dict[str, list[Line]] = {}
    starts = [(h.index, h.code) for h in headings]
    first = starts[0][0] if starts else len(lines)
    parts["head"] = lines[:first]
    for n, (index, code) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        parts[code] = lines[index + 1 : end]
    return parts
