"""The batch checks of year_coverage: one body's reports across the batch (and the history).

Each takes the reports frame and a mask of the batch's own report rows, and returns failures located
at report rows (or at manifest rows, for missing).
"""

from __future__ import annotations

import pandas as pd

from gxbg.kinds.base import failure_frame, no_failures


def duplicate(frame: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    reports = _keyed(frame[own])
    counts = reports["key"].map(reports["key"].value_counts())
    bad = counts > 1
    copies = reports[bad].groupby("key")["source"].agg(list)
    others = [_join(s for s in copies[key] if s != own_source)
              for key, own_source in zip(reports.loc[bad, "key"], reports.loc[bad, "source"])]  # fmt: skip
    return failure_frame(counts[bad], 1).assign(others=others)


def gap(frame: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    known = _keyed(frame[frame["row"].isin(["report", "history"]).fillna(False)])
    years: dict = {}  # a plain loop: groupby with a Python function per body cost 40x more at 10,000 reports
    for key, year in zip(known["agency_key"], known["year"].astype(int)):
        years.setdefault(key, set()).add(year)
    reports = _keyed(frame[own])
    earlier = [
        max((y for y in years[key] if y < year - 1), default=None) if year - 1 not in years[key] else None
        for key, year in zip(reports["agency_key"], reports["year"].astype(int))
    ]
    last = pd.Series(earlier, index=reports.index, dtype="Float64")
    bad = last.notna()
    return failure_frame(last[bad], reports["year"][bad] - 1)


def missing(frame: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    expected = _keyed(frame[(frame["row"] == "expected").fillna(False)])
    present = set(_keyed(frame[own])["key"])
    bad = ~expected["key"].isin(present) & ~expected.duplicated("key")
    return failure_frame(pd.Series(0, index=expected.index)[bad], 1)


def unexpected(frame: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    expected = _keyed(frame[(frame["row"] == "expected").fillna(False)])
    if expected.empty:  # no manifest: nothing is unexpected
        return no_failures()
    reports = _keyed(frame[own])
    bad = ~reports["key"].isin(set(expected["key"]))
    return failure_frame(reports["year"][bad], "不在应报清单中")


def copied(frame: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    known = _keyed(frame[frame["row"].isin(["report", "history"]).fillna(False)]).dropna(subset=["tables_hash"])
    reports = known[own.reindex(known.index).fillna(False) & known["tables_nonzero"].fillna(False)]
    same = reports.reset_index().merge(known[["agency_key", "tables_hash", "year", "source"]],
                                       on=["agency_key", "tables_hash"], suffixes=("", "_other"))  # fmt: skip
    same = same[same["year"] > same["year_other"]]  # the later report copied; the earlier one is innocent
    if same.empty:
        return no_failures()
    by_row = same.groupby("index").agg(other=("year_other", "min"), others=("source_other", _join))
    return failure_frame(by_row["other"], reports.loc[by_row.index, "year"]).assign(others=by_row["others"])


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.dropna(subset=["agency_key", "year"])
    return rows.assign(key=rows["agency_key"].astype(str) + "|" + rows["year"].astype(int).astype(str))


def _join(sources) -> str:
    return "、".join(dict.fromkeys(str(s) for s in sources))
