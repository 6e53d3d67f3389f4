"""Batch frames: many reports concatenated, keyed by report_id, for one validation pass.

Built from the reports' plain values in one constructor call per table: per-report DataFrames
and a concat would cost more than the validation itself at 10,000 reports.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from gxbg.agency import agency_key
from gxbg.codes import APPEAL_CODES, REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.report.model import Report

FACT_COLUMNS = ["report_id", "section", "kind", "value", "unit", "line", "scope", "text"]


class BatchFrames:
    """Frames of a batch: `reports` (one row per report: META + DERIVED) at once; requests (report_id, row,
    line, <7 column codes>, Int64), appeals (report_id, line, <15 codes>), active (report_id, item, measure,
    value, line) and facts (FACT_COLUMNS: narrative statements) each when first read, so that a process
    validating some tables builds only theirs.

    context: frames of earlier runs' reports (the history database), which year-coverage and cross-year
    rules read and nothing validates; expected: reports the batch must hold (a manifest: agency, year,
    line, source)."""

    def __init__(self, reports: list[Report], context: BatchFrames | None = None,
                 expected: pd.DataFrame | None = None) -> None:  # fmt: skip
        self._parsed = reports
        meta = pd.DataFrame([[getattr(r, c) for c in META] + _derived(r) for r in reports], columns=META + DERIVED)
        self.reports = meta.astype({"year": "Int64", "title_line": "Int64", "published_line": "Int64",
                                    "tables_nonzero": "boolean"})  # fmt: skip
        self.context = context
        self.expected = expected

    @cached_property
    def requests(self) -> pd.DataFrame:
        return _requests(self._parsed)

    @cached_property
    def appeals(self) -> pd.DataFrame:
        return _appeals(self._parsed)

    @cached_property
    def active(self) -> pd.DataFrame:
        return _active(self._parsed)

    @cached_property
    def facts(self) -> pd.DataFrame:
        return _facts(self._parsed)

    def rows(self, table: str) -> int:
        """How many rows frame `table` (requests, appeals, active or facts) has, without building it."""
        counts = {"requests": lambda: len(REQUEST_ROWS) * len(self._parsed), "appeals": lambda: len(self._parsed),
                  "active": lambda: sum(len(r.active_records) for r in self._parsed),
                  "facts": lambda: sum(len(r.facts) for r in self._parsed)}  # fmt: skip
        return counts[table]()


META = ["report_id", "source", "agency", "year", "format", "published", "encoding"]
# Per-report values the batch-level rules read besides META.
DERIVED = ["title_line", "published_line", "agency_key", "tables_hash", "tables_nonzero"]


def batch_frames(
    reports: list[Report], context: list[Report] | None = None, expected: pd.DataFrame | None = None
) -> BatchFrames:
    """Frames of a batch; `context` (earlier reports) and `expected` (a manifest) feed the batch-level rules."""
    return BatchFrames(reports, batch_frames(context) if context else None, expected)


def _derived(r: Report) -> list:
    fingerprint, nonzero = r.fingerprint
    return [r.title_line, r.published_line, agency_key(r.agency) if r.agency else None, fingerprint, nonzero]


def _facts(reports: list[Report]) -> pd.DataFrame:
    rows = [
        (r.report_id, section, f.kind, f.value, f.unit, f.line, f.scope, f.text)
        for r in reports
        for section, f in r.facts
    ]
    return _typed_facts(pd.DataFrame(rows, columns=FACT_COLUMNS))


def _typed_facts(frame: pd.DataFrame) -> pd.DataFrame:
    # value stays object: counts, amounts, years, ISO dates and None (a fee_none statement) side by side
    text = {c: "string" for c in ("report_id", "section", "kind", "unit", "scope", "text")}
    return frame.astype({**text, "value": object, "line": "Int64"})


def _requests(reports: list[Report]) -> pd.DataFrame:
    # One flat list per column kind, then numpy: building Int64 arrays value by value cost ~1 s at 10,000 reports.
    count = len(reports)
    lines = [r.request_line.get(code) for r in reports for code in REQUEST_ROWS]
    flat = np.array([v for r in reports for code in REQUEST_ROWS for v in r.request_values[code]], dtype=object)
    flat = flat.reshape(count * len(REQUEST_ROWS), len(REQUEST_COLUMNS))
    missing = flat == None  # noqa: E711 - elementwise on an object array
    values = np.where(missing, 0, flat).astype("int64")
    data = {
        "report_id": np.repeat(np.array([r.report_id for r in reports], dtype=object), len(REQUEST_ROWS)),
        "row": np.tile(np.array(REQUEST_ROWS, dtype=object), count),
        "line": pd.array(lines, dtype="Int64"),
    }
    data |= {c: pd.arrays.IntegerArray(values[:, j].copy(), missing[:, j].copy()) for j, c in enumerate(REQUEST_COLUMNS)}
    return pd.DataFrame(data).astype({"report_id": "string", "row": "string"})


def _appeals(reports: list[Report]) -> pd.DataFrame:
    data = {
        "report_id": [r.report_id for r in reports],
        "line": pd.array([r.appeal_line for r in reports], dtype="Int64"),
    }
    columns = list(zip(*(r.appeal_values for r in reports))) if reports else [[] for _ in APPEAL_CODES]
    data |= {c: pd.array(list(col), dtype="Int64") for c, col in zip(APPEAL_CODES, columns)}
    return pd.DataFrame(data).astype({"report_id": "string"})


def _active(reports: list[Report]) -> pd.DataFrame:
    records = [(r.report_id, *rec) for r in reports for rec in r.active_records]
    frame = pd.DataFrame(records, columns=["report_id", "item", "measure", "value", "line"])
    return frame.astype({"report_id": "string", "item": "string", "measure": "string", "value": "Float64", "line": "Int64"})
