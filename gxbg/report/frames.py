"""Batch frames: many reports concatenated, keyed by report_id, for one validation pass.

Built from the reports' plain values in one constructor call per table: per-report DataFrames
and a concat would cost more than the validation itself at 10,000 reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gxbg.codes import APPEAL_CODES, REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.report.model import Report


@dataclass
class BatchFrames:
    reports: pd.DataFrame  # report_id, source, agency, year, format, published, encoding
    requests: pd.DataFrame  # report_id, row, line, <7 column codes> (Int64)
    appeals: pd.DataFrame  # report_id, line, <15 codes> (Int64)
    active: pd.DataFrame  # report_id, item, measure, value (Float64), line


META = ["report_id", "source", "agency", "year", "format", "published", "encoding"]


def batch_frames(reports: list[Report]) -> BatchFrames:
    meta = pd.DataFrame([[getattr(r, c) for c in META] for r in reports], columns=META)
    meta = meta.astype({"year": "Int64"})
    return BatchFrames(meta, _requests(reports), _appeals(reports), _active(reports))


def _requests(reports: list[Report]) -> pd.DataFrame:
    ids, rows, lines, cells = [], [], [], []
    for r in reports:
        for code in REQUEST_ROWS:
            ids.append(r.report_id)
            rows.append(code)
            lines.append(r.request_line.get(code))
            cells.append(r.request_values[code])
    data = {"report_id": ids, "row": rows, "line": pd.array(lines, dtype="Int64")}
    columns = list(zip(*cells)) if cells else [[] for _ in REQUEST_COLUMNS]
    data |= {c: pd.array(list(col), dtype="Int64") for c, col in zip(REQUEST_COLUMNS, columns)}
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
