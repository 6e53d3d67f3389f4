"""The parsed report: metadata, tidy frames with stable codes, narrative and layout notes."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gxbg.codes import APPEAL_CODES, MONEY_MEASURES, NARRATIVE_SECTIONS, REQUEST_COLUMNS, REQUEST_ROWS


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


def empty_requests() -> pd.DataFrame:
    frame = pd.DataFrame(index=pd.Index(REQUEST_ROWS, name="row"), columns=list(REQUEST_COLUMNS))
    return frame.astype("Int64")


def empty_active() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item": pd.Series(dtype="string"),
            "measure": pd.Series(dtype="string"),
            "value": pd.Series(dtype="Float64"),
            "line": pd.Series(dtype="Int64"),
        }
    )


def empty_appeals() -> pd.DataFrame:
    return pd.DataFrame(
        {"value": pd.Series([pd.NA] * len(APPEAL_CODES), dtype="Int64"),
         "line": pd.Series([pd.NA] * len(APPEAL_CODES), dtype="Int64")},
        index=pd.Index(APPEAL_CODES, name="code"),
    )


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
    # 二: long frame (item, measure, value, line)
    active: pd.DataFrame = field(default_factory=empty_active)
    # 三: index = 25 row codes, columns = 7 column codes, nullable Int64
    requests: pd.DataFrame = field(default_factory=empty_requests)
    # source line of each 三 row (NA when the row is missing)
    request_lines: pd.Series = field(
        default_factory=lambda: pd.Series(pd.NA, index=pd.Index(REQUEST_ROWS, name="row"), dtype="Int64")
    )
    # 四: index = 15 codes, columns value, line
    appeals: pd.DataFrame = field(default_factory=empty_appeals)
    narrative: dict[str, Narrative] = field(default_factory=dict)
    layout: list[LayoutNote] = field(default_factory=list)
    # sections found (code -> heading line)
    sections: dict[str, int] = field(default_factory=dict)
    content_hash: str | None = None

    @property
    def report_id(self) -> str:
        """Stable id: content hash prefix (same bytes -> same id)."""
        return (self.content_hash or hashlib.sha1(self.source.encode()).hexdigest())[:16]

    def note(self, code: str, message: str, **where: Any) -> None:
        self.layout.append(LayoutNote(code, message, **where))

    def active_value(self, item: str, measure: str) -> float | None:
        hit = self.active[(self.active["item"] == item) & (self.active["measure"] == measure)]
        if hit.empty or pd.isna(hit["value"].iloc[0]):
            return None
        return float(hit["value"].iloc[0])

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
            "active": _active_dict(self.active),
            "requests": {
                row: {col: _plain(self.requests.at[row, col]) for col in REQUEST_COLUMNS}
                for row in REQUEST_ROWS
            },
            "request_lines": {row: _plain(self.request_lines[row]) for row in REQUEST_ROWS},
            "appeals": {code: _plain(self.appeals.at[code, "value"]) for code in APPEAL_CODES},
            "narrative": {
                name: {"text": part.text, "start": part.start, "end": part.end}
                for name, part in self.narrative.items()
                if name in NARRATIVE_SECTIONS
            },
            "layout": [n.to_dict() for n in self.layout],
        }


def _active_dict(active: pd.DataFrame) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rec in active.itertuples(index=False):
        value = _plain(rec.value)
        if isinstance(value, float) and value.is_integer() and rec.measure not in MONEY_MEASURES:
            value = int(value)
        out.setdefault(rec.item, {})[rec.measure] = value
    return out


def _plain(value: Any) -> Any:
    """pandas scalar -> JSON scalar (NA -> None, integral floats stay floats only for money)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value
