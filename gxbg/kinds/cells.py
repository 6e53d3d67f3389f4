"""Cell arithmetic shared by the sum kinds, with one meaning of blank (NA) cells.

A sum with no value at all is never assessable. With blank_as_zero "none", any blank makes a sum not
assessable; with "parts", blanks inside a sum that has at least one value count as 0 (real reports
print blank for zero, and the 2019 format has no 其他处理 1-2 rows). A total is a single cell, so a
blank total is never assessable under either setting.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

BlankAsZero = Literal["none", "parts"]
TOLERANCE = 1e-6  # money is given to 4-6 places; counts are exact


def sum_cells(cells: pd.DataFrame, blank_as_zero: str) -> pd.Series:
    """Row-wise sum of cells (Float64), NA where the sum cannot be assessed."""
    present = cells.notna().sum(axis=1)
    need = 1 if blank_as_zero == "parts" else max(cells.shape[1], 1)
    sums = cells.astype("Float64").sum(axis=1, skipna=True)
    return sums.where(present >= need, pd.NA)


def by_report(frame: pd.DataFrame, column: str, rows: list[str]) -> pd.DataFrame:
    """One column of a table frame as report_id x row code (NA for rows the frame lacks)."""
    sub = frame.loc[frame["row"].isin(rows), ["report_id", "row", column]]
    wide = sub.pivot(index="report_id", columns="row", values=column)
    wide = wide.reindex(index=pd.unique(frame["report_id"]), columns=rows)
    return wide.astype("Float64")


def differs(observed: pd.Series, expected: pd.Series) -> pd.Series:
    """True where both sides are present and unequal."""
    gap = (observed.astype("Float64") - expected.astype("Float64")).abs()
    return (gap > TOLERANCE).fillna(False).astype(bool)


def nonzero(values: pd.Series) -> pd.Series:
    return (values.astype("Float64").abs() > TOLERANCE).fillna(False).astype(bool)


def is_zero(values: pd.Series) -> pd.Series:
    return (values.astype("Float64").abs() <= TOLERANCE).fillna(False).astype(bool)


def locate(frame: pd.DataFrame, by_report_values: pd.DataFrame, row: str) -> pd.DataFrame:
    """Re-index values keyed by report_id onto the frame rows of that report's `row`."""
    if by_report_values.empty:
        return by_report_values
    anchor = frame.loc[frame["row"] == row]
    index_of = pd.Series(anchor.index.to_numpy(), index=anchor["report_id"].to_numpy())
    position = index_of.reindex(by_report_values.index)
    found = position.notna().to_numpy()
    return by_report_values[found].set_axis(position[found].astype("int64").to_numpy(), axis=0)


def only_rows(frame: pd.DataFrame, rows: list[str] | None) -> pd.DataFrame:
    return frame if rows is None else frame.loc[frame["row"].isin(rows)]


def cells_sum(frame: pd.DataFrame, rows: list[str], columns: list[str], fill_from: list[str] | None = None) -> pd.Series:
    """Per report_id: the sum of the cells rows x columns, blanks as 0 (NA when no cell has a value).

    A blank cell is first computed from its row's `fill_from` cells (blanks as 0): real reports leave
    总计 blank on result rows (shanghai-bangongting-2019), yet the row's applicant cells are there.
    """
    chosen = frame.loc[frame["row"].isin(rows)]
    wide = []
    for column in columns:
        values = chosen[column].astype("Float64")
        if fill_from:
            values = values.fillna(sum_cells(chosen[fill_from], "parts"))
        cells = pd.DataFrame({"report_id": chosen["report_id"], "row": chosen["row"], "v": values})
        pivot = cells.pivot(index="report_id", columns="row", values="v")
        wide.append(pivot.reindex(index=pd.unique(frame["report_id"]), columns=rows).astype("Float64"))
    if not wide:
        return pd.Series(dtype="Float64")
    return sum_cells(pd.concat(wide, axis=1), "parts")
