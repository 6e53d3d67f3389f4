"""The parsed report: metadata, tidy frames with stable codes, narrative and layout notes."""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from gxbg.codes import APPEAL_CODES, MONEY_MEASURES, NARRATIVE_SECTIONS, REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.report.facts import Fact, extract_facts


@dataclass(frozen=True)
class LayoutNote:
    """A repair or oddity the parser met, located in the source."""

    code: str  # e.g. extra_cell, missing_cell, missing_row, label_typo, blank_cell
    message: str  # Chinese, for auditors
    line: int | None = None
    section: str | None = None
    row: str | None = None
    column: str | None = None
    severity: str = "warning"  # warning | info

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "section": self.section,
            "row": self.row,
            "column": self.column,
            "severity": self.severity,
        }


@dataclass
class Narrative:
    text: str
    start: int | None  # first source line (1-based)
    end: int | None  # last source line
    lines: tuple[int, ...] = ()  # source line of each line of text (empty lines are dropped)

    def numbered(self) -> list[tuple[int, str]]:
        """(source line, text) of each line; lines without a known number get the section's start."""
        texts = self.text.split("\n") if self.text else []
        numbers = list(self.lines) if len(self.lines) == len(texts) else [self.start or 0] * len(texts)
        return list(zip(numbers, texts))


class QuotedLines(Mapping[int, str]):
    """Source line number -> text, for the lines a report keeps to quote (its tables, the lines around
    its layout notes). Held as one string and an array of numbers: a dict of short strings cost 12 KB a report."""

    __slots__ = ("_numbers", "_text", "_lines")

    def __init__(self, lines: Mapping[int, str] | None = None) -> None:
        items = sorted((lines or {}).items())
        self._numbers = array("q", [n for n, _ in items])
        self._text = "\n".join([t.replace("\n", " ") for _, t in items])
        self._lines: list[str] | None = None  # split on first use: most reports are never quoted

    def __getitem__(self, number: int) -> str:
        i = bisect_left(self._numbers, number)
        if i == len(self._numbers) or self._numbers[i] != number:
            raise KeyError(number)
        if self._lines is None:
            self._lines = self._text.split("\n")
        return self._lines[i]

    def __iter__(self) -> Iterator[int]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


@dataclass
class Report:
    """One parsed annual report."""

    source: str
    encoding: str | None = None
    agency: str | None = None
    year: int | None = None
    format: str | None = None  # "2019" | "2021"
    title: str | None = None
    published: str | None = None  # ISO date
    published_line: int | None = None
    title_line: int | None = None
    # Plain values filled by the parser; the frames below are built from them on first use
    # (building pandas objects cell by cell would cost more than parsing).
    request_values: dict[str, list] = field(default_factory=lambda: {r: [None] * len(REQUEST_COLUMNS) for r in REQUEST_ROWS})
    request_line: dict[str, int] = field(default_factory=dict)
    appeal_values: list = field(default_factory=lambda: [None] * len(APPEAL_CODES))
    appeal_line: int | None = None
    active_records: list[tuple[str, str, float | int | None, int | None]] = field(default_factory=list)
    narrative: dict[str, Narrative] = field(default_factory=dict)
    layout: list[LayoutNote] = field(default_factory=list)
    # sections found (code -> heading line)
    sections: dict[str, int] = field(default_factory=dict)
    content_hash: str | None = None
    # Text of the source lines findings point at (the tables, and lines around layout notes), so
    # auditors' pages can quote them; not the whole document, to keep a batch in memory light.
    source_lines: Mapping[int, str] = field(default_factory=QuotedLines)

    @cached_property
    def requests(self) -> pd.DataFrame:
        """三: index = 25 row codes, columns = 7 column codes, nullable Int64."""
        data = [[_na(v) for v in self.request_values[r]] for r in REQUEST_ROWS]
        return pd.DataFrame(data, index=pd.Index(REQUEST_ROWS, name="row"), columns=list(REQUEST_COLUMNS), dtype="Int64")

    @cached_property
    def request_lines(self) -> pd.Series:
        """Source line of each 三 row (NA when the row is missing)."""
        lines = [self.request_line.get(r) for r in REQUEST_ROWS]
        return pd.Series([_na(v) for v in lines], index=pd.Index(REQUEST_ROWS, name="row"), dtype="Int64")

    @cached_property
    def appeals(self) -> pd.DataFrame:
        """四: index = 15 codes, columns value and line."""
        values = [_na(v) for v in self.appeal_values]
        line = _na(self.appeal_line if any(v is not None for v in self.appeal_values) else None)
        return pd.DataFrame({"value": pd.array(values, dtype="Int64"), "line": pd.array([line] * len(values), dtype="Int64")},
                            index=pd.Index(APPEAL_CODES, name="code"))

    @cached_property
    def active(self) -> pd.DataFrame:
        """二: long frame (item, measure, value, line)."""
        frame = pd.DataFrame(self.active_records, columns=["item", "measure", "value", "line"])
        return frame.astype({"item": "string", "measure": "string", "value": "Float64", "line": "Int64"})

    @cached_property
    def facts(self) -> list[tuple[str, Fact]]:
        """(section, fact) stated in the title line and each narrative section (counts, fee statements,
        years), in that order; extracted once, on first use."""
        found: list[tuple[str, Fact]] = []
        if self.title:
            found += [("title", f) for f in extract_facts([(self.title_line or 0, self.title)], "title")]
        for section in NARRATIVE_SECTIONS:
            part = self.narrative.get(section)
            if part is not None and part.text:
                found += [(section, f) for f in extract_facts(part.numbered(), section)]
        return found

    @cached_property
    def fingerprint(self) -> tuple[str, bool]:
        """A hash of every value of 二, 三 and 四 (not their lines), and whether any value is non-zero:
        two reports with the same hash print the same tables. Cached: parse workers compute it."""
        active = sorted([(item, measure, _float(v)) for item, measure, v, _ in self.active_records])
        # 三 and 四 have fixed shapes: their values in order, flat, say the same as nested lists
        values = [None if v is None else float(v) for row in REQUEST_ROWS for v in self.request_values[row]]
        values += [None if v is None else float(v) for v in self.appeal_values]
        text = repr((values, active))  # repr, not json: cheaper, and as exact for floats and text
        values += [v for *_, v in active]
        return hashlib.sha1(text.encode()).hexdigest()[:16], any(v not in (None, 0.0) for v in values)

    @property
    def report_id(self) -> str:
        """Stable id: content hash prefix (same bytes -> same id)."""
        return (self.content_hash or hashlib.sha1(self.source.encode()).hexdigest())[:16]

    def note(self, code: str, message: str, **where: Any) -> None:
        self.layout.append(LayoutNote(code, message, **where))

    def active_value(self, item: str, measure: str) -> float | None:
        for rec_item, rec_measure, value, _ in self.active_records:
            if (rec_item, rec_measure) == (item, measure):
                return None if value is None else float(value)
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "report_id": self.report_id,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "title": self.title,
            "published": self.published,
            "encoding": self.encoding,
            "active": _active_dict(self.active_records),
            "requests": {row: dict(zip(REQUEST_COLUMNS, self.request_values[row])) for row in REQUEST_ROWS},
            "request_lines": {row: self.request_line.get(row) for row in REQUEST_ROWS},
            "appeals": dict(zip(APPEAL_CODES, self.appeal_values)),
            "narrative": {
                name: {"text": part.text, "start": part.start, "end": part.end}
                for name, part in self.narrative.items()
                if name in NARRATIVE_SECTIONS
            },
            "layout": [n.to_dict() for n in self.layout],
        }


def _active_dict(records) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item, measure, value, _ in records:
        if isinstance(value, float) and value.is_integer() and measure not in MONEY_MEASURES:
            value = int(value)
        out.setdefault(item, {})[measure] = value
    return out


def _na(value: Any) -> Any:
    return pd.NA if value is None else value


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
