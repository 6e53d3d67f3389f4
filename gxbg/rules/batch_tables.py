"""Tables beyond the report's own three, for narrative, year-coverage and cross-year rules.

They keep the shape every kind expects (report_id, row, line, value columns), so each still runs
as one pandera check and one GX expectation over one batch frame:

- `facts`: one frame row per statement of the narrative (row = fact kind, value = the number).
- `reports`: one frame row per report of the batch (row `report`), per earlier report of the same
  agencies from the history database (row `history`, context only) and per manifest entry (row
  `expected`, report_id blank).
- `pairs_requests`, `pairs_active`: each report of year Y beside the same agency's report of Y−1 (from
  the batch, else from the history): one frame row per (pair, table row); each value column `c` has
  its previous-year twin `prev_c`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from gxbg.agency import agency_key
from gxbg.codes import REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.report.facts import PATTERNS
from gxbg.report.frames import BatchFrames
from gxbg.rules.tables import ACTIVE_MEASURES, ACTIVE_ROWS, KEYS, Table, active_frame, requests_frame

FACT_KINDS = tuple(dict.fromkeys(spec.kind for spec in PATTERNS))
REPORT_ROWS = ("report", "history", "expected")
REPORT_FIELDS = (
    "source", "agency", "agency_key", "year", "format", "published_date", "published_line", "tables_hash", "tables_nonzero",
)  # fmt: skip
PAIR_KEYS = ("pair", "prev_report_id", "prev_source", "prev_year")
PREFIX = "prev_"

BATCH_TABLES = {
    "facts": Table("facts", "overview", FACT_KINDS, ("value",), "Float64"),
    "reports": Table("reports", "report", REPORT_ROWS, REPORT_FIELDS, "string"),
    "pairs_requests": Table("pairs_requests", "requests", REQUEST_ROWS, REQUEST_COLUMNS, "Int64"),
    "pairs_active": Table("pairs_active", "active", ACTIVE_ROWS, ACTIVE_MEASURES, "Float64"),
}


def batch_table_frame(
    batch: BatchFrames, tables: Mapping[str, pd.DataFrame], name: str, pairs: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """One of the four frames above; `tables` holds (or builds) the batch's requests and active frames, and
    pairs() gives report_pairs(batch) (the caller computes it once for both pairs tables)."""
    context = batch.context
    if name == "facts":
        return facts_frame(batch.facts)
    if name == "reports":
        return reports_frame(batch)
    if name == "pairs_requests":
        earlier = requests_frame(context.requests) if context else tables["requests"].iloc[:0]
        return pairs_frame(pairs(), tables["requests"], earlier, REQUEST_COLUMNS)
    if name == "pairs_active":
        earlier = active_frame(context.active) if context else tables["active"].iloc[:0]
        return pairs_frame(pairs(), tables["active"], earlier, ACTIVE_MEASURES)
    raise KeyError(name)


# --- facts -----------------------------------------------------------------------------------------


def facts_frame(facts: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "report_id": facts["report_id"],
            "row": facts["kind"],
            "line": facts["line"],
            # dates and fee_none statements have no number: NA here
            "value": pd.to_numeric(facts["value"].map(_numeric), errors="coerce").astype("Float64"),
            "section": facts["section"],
            "scope": facts["scope"],
            "unit": facts["unit"],
            "text": facts["text"],
        }
    )
    return out.astype({"report_id": "string", "row": "string", "line": "Int64", "section": "string",
                       "scope": "string", "unit": "string", "text": "string"}).reset_index(drop=True)  # fmt: skip


def _numeric(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# --- reports -------------------------------------------------------------------------------------


def reports_frame(batch: BatchFrames) -> pd.DataFrame:
    parts = [_report_rows(batch.reports, "report")]
    if batch.context is not None:
        earlier = batch.context.reports
        parts.append(_report_rows(earlier[~earlier["report_id"].isin(batch.reports["report_id"])], "history"))
    if batch.expected is not None and not batch.expected.empty:
        parts.append(_expected_rows(batch.expected))
    out = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
    return _typed_reports(out)


def _report_rows(meta: pd.DataFrame, row: str) -> pd.DataFrame:
    named = meta.rename(columns={"title_line": "line", "published": "published_date"})
    out = named.reindex(columns=["report_id", "line", *REPORT_FIELDS])
    return out.assign(row=row)


def _expected_rows(expected: pd.DataFrame) -> pd.DataFrame:
    agencies = expected["agency"].astype(str)
    return pd.DataFrame(
        {
            "report_id": None,
            "row": "expected",
            "line": expected["line"].to_numpy() if "line" in expected else None,
            "source": expected["source"].to_numpy() if "source" in expected else None,
            "agency": agencies.to_numpy(),
            "agency_key": [agency_key(a) for a in agencies],
            "year": expected["year"].to_numpy(),
        }
    )


def _typed_reports(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=[*KEYS, *REPORT_FIELDS])
    text = ["report_id", "row", "source", "agency", "agency_key", "format", "published_date", "tables_hash"]
    types = {c: "string" for c in text} | {"line": "Int64", "year": "Int64", "published_line": "Int64"}
    return frame.astype(types | {"tables_nonzero": "boolean"})


# --- pairs of consecutive years ----------------------------------------------------------------------


def report_pairs(batch: BatchFrames) -> pd.DataFrame:
    """report_id (year Y, in the batch) beside prev_report_id (same agency, Y−1): the batch's own
    report of Y−1 when it has one (each copy), else the one stored last in the history."""
    current = batch.reports.dropna(subset=["agency_key", "year"])
    candidates = current.assign(_batch=True)
    if batch.context is not None:
        earlier = batch.context.reports.dropna(subset=["agency_key", "year"])
        earlier = earlier[~earlier["report_id"].isin(batch.reports["report_id"])]
        covered = pd.MultiIndex.from_frame(current[["agency_key", "year"]])
        earlier = earlier[~pd.MultiIndex.from_frame(earlier[["agency_key", "year"]]).isin(covered)]
        # the history lists each body's reports oldest first: keep the latest stored
        earlier = earlier.drop_duplicates(["agency_key", "year"], keep="last")
        candidates = pd.concat([candidates, earlier.assign(_batch=False)], ignore_index=True)
    previous = candidates[["report_id", "source", "agency_key", "year"]].rename(
        columns={"report_id": "prev_report_id", "source": "prev_source", "year": "prev_year"}
    )
    pairs = current[["report_id", "agency_key", "year"]].assign(prev_year=current["year"] - 1)
    pairs = pairs.merge(previous, on=["agency_key", "prev_year"], how="inner")
    pairs = pairs[pairs["report_id"] != pairs["prev_report_id"]]
    pairs = pairs.assign(pair=pairs["report_id"].astype(str) + ">" + pairs["prev_report_id"].astype(str))
    return pairs[["report_id", *PAIR_KEYS]].reset_index(drop=True)


def pairs_frame(pairs: pd.DataFrame, batch_table: pd.DataFrame, earlier_table: pd.DataFrame,
                columns: tuple[str, ...]) -> pd.DataFrame:  # fmt: skip
    """Table rows of each pair's report Y with the same rows of its report Y−1 as prev_ columns."""
    values = list(columns)
    if pairs.empty or batch_table.empty:
        return _empty_pairs(values)
    current = pairs.merge(batch_table[[*KEYS, *values]], on="report_id", how="inner")
    both = pd.concat([batch_table, earlier_table], ignore_index=True)[[*KEYS, *values]]
    previous = both.drop_duplicates(["report_id", "row"]).rename(
        columns={"report_id": "prev_report_id", "line": "prev_line", **{c: PREFIX + c for c in values}}
    )
    out = current.merge(previous, on=["prev_report_id", "row"], how="left")
    ordered = [*KEYS, *values, *PAIR_KEYS, "prev_line", *(PREFIX + c for c in values)]
    return _typed_pairs(out[ordered].reset_index(drop=True), values)


def _empty_pairs(values: list[str]) -> pd.DataFrame:
    columns = [*KEYS, *values, *PAIR_KEYS, "prev_line", *(PREFIX + c for c in values)]
    return _typed_pairs(pd.DataFrame(columns=columns), values)


def _typed_pairs(frame: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    numbers = {c: "Float64" for c in values} | {PREFIX + c: "Float64" for c in values}
    text = {c: "string" for c in ("report_id", "row", "pair", "prev_report_id", "prev_source")}
    return frame.astype(numbers | text | {"line": "Int64", "prev_line": "Int64", "prev_year": "Int64"})
