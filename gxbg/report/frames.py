"""Batch frames: many reports concatenated, keyed by report_id, for one validation pass.

Built from the reports' plain values in one constructor call per table: per-report DataFrames
and a concat would cost more than the validation itself at 10,000 reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gxbg.agency import agency_key
from gxbg.codes import APPEAL_CODES, REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.report.model import Report

FACT_COLUMNS = ["report_id", "section", "kind", "value", "unit", "line", "scope", "text"]


def empty_facts() -> pd.DataFrame:
    return _typed_facts(pd.DataFrame(columns=FACT_COLUMNS))


@dataclass
class BatchFrames:
    reports: pd.DataFrame  # report_id, source, agency, year, format, published, encoding, + DERIVED
    requests: pd.DataFrame  # report_id, row, line, <7 column codes> (Int64)
    appeals: pd.DataFrame  # report_id, line, <15 codes> (Int64)
    active: pd.DataFrame  # report_id, item, measure, value (Float64), line
    facts: pd.DataFrame = field(default_factory=empty_facts)  # FACT_COLUMNS: narrative statements
    # Reports of earlier runs (the history database): year-coverage and cross-year rules read them,
    # nothing validates them.
    context: BatchFrames | None = None
    # Reports the batch must hold (a manifest): agency, year, line, source.
    expected: pd.DataFrame | None = None


META = ["report_id", "source", "agency", "year", "format", "published", "encoding"]
# Per-report values the batch-level rules read besides META.
DERIVED = ["title_line", "published_line", "agency_key", "tables_hash", "tables_nonzero"]


def batch_frames(
    reports: list[Report], context: list[Report] | None = None, expected: pd.DataFrame | None = None
) -> BatchFrames:
    """Frames of a batch; `context` (earlier reports) and `expected` (a manifest) feed the batch-level rules."""
    meta = pd.DataFrame([[getattr(r, c) for c in META] + _derived(r) for r in reports], columns=META + DERIVED)
    meta = meta.astype({"year": "Int64", "title_line": "Int64", "published_line": "Int64", "tables_nonzero": "boolean"})
    earlier = batch_frames(context) if context else None
    return BatchFrames(meta, _requests(reports), _appeals(reports), _active(reports), _facts(reports), earlier, expected)


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
