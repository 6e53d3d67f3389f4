"""Batch frames: many reports concatenated, keyed by report_id, for one validation pass."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gxbg.codes import APPEAL_CODES, REQUEST_COLUMNS
from gxbg.report.model import Report


@dataclass
class BatchFrames:
    reports: pd.DataFrame  # report_id, source, agency, year, format, published, encoding
    requests: pd.DataFrame  # report_id, row, line, <7 column codes> (Int64)
    appeals: pd.DataFrame  # report_id, line, <15 codes> (Int64)
    active: pd.DataFrame  # report_id, item, measure, value (Float64), line


def batch_frames(reports: list[Report]) -> BatchFrames:
    meta = pd.DataFrame(
        [
            {
                "report_id": r.report_id,
                "source": r.source,
                "agency": r.agency,
                "year": r.year,
                "format": r.format,
                "published": r.published,
                "encoding": r.encoding,
            }
            for r in reports
        ],
        columns=["report_id", "source", "agency", "year", "format", "published", "encoding"],
    )
    meta["year"] = meta["year"].astype("Int64")
    return BatchFrames(meta, _requests(reports), _appeals(reports), _active(reports))


def _requests(reports: list[Report]) -> pd.DataFrame:
    parts = []
    for r in reports:
        part = r.requests.reset_index()
        part.insert(0, "report_id", r.report_id)
        part.insert(2, "line", r.request_lines.to_numpy())
        parts.append(part)
    if not parts:
        cols = {"report_id": "string", "row": "string", "line": "Int64"} | {c: "Int64" for c in REQUEST_COLUMNS}
        return pd.DataFrame({k: pd.Series(dtype=v) for k, v in cols.items()})
    out = pd.concat(parts, ignore_index=True)
    out["line"] = out["line"].astype("Int64")
    return out


def _appeals(reports: list[Report]) -> pd.DataFrame:
    rows = []
    for r in reports:
        row = {"report_id": r.report_id}
        lines = r.appeals["line"].dropna()
        row["line"] = int(lines.iloc[0]) if len(lines) else pd.NA
        row.update({code: r.appeals.at[code, "value"] for code in APPEAL_CODES})
        rows.append(row)
    out = pd.DataFrame(rows, columns=["report_id", "line", *APPEAL_CODES])
    return out.astype({"line": "Int64", **{c: "Int64" for c in APPEAL_CODES}})


def _active(reports: list[Report]) -> pd.DataFrame:
    parts = []
    for r in reports:
        part = r.active.copy()
        part.insert(0, "report_id", r.report_id)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["report_id", "item", "measure", "value", "line"])
    return pd.concat(parts, ignore_index=True)
