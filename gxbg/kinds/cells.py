"""Cell arithmetic shared by the sum kinds, with one meaning of blank (NA) cells.

A sum with no value at all is never assessable. With blank_as_zero "none", any blank makes a sum not
assessable; with "parts", blanks inside a sum that has at least one value count as 0 (real reports
print blank for zero, and the 2019 format has no 其他处理 1-2 rows). A total is a single cell, so a
blank total is never assessable under either setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

import numpy as np
import pandas as pd

BlankAsZero = Literal["none", "parts"]
TOLERANCE = 1e-6  # money is given to 4-6 places; counts are exact


def sum_cells(cells: pd.DataFrame, blank_as_zero: str) -> pd.Series:
    """Row-wise sum of cells (Float64), NA where the sum cannot be assessed."""
    present = cells.notna().sum(axis=1)
    need = 1 if blank_as_zero == "parts" else max(cells.shape[1], 1)
    sums = cells.astype("Float64").sum(axis=1, skipna=True)
    return sums.where(present >= need, pd.NA)


# While an engine validates (shared_tables): each column of a table as report_id x every row code, made
# once. The sum and zero kinds ask for tens of such views of the same few columns, and a pivot each time
# was a third of each engine's time. Keyed by the memory the columns hold, not by frame: GX hands each
# expectation a new frame of the columns it reads, over the same arrays.
_wide: ContextVar[dict | None] = ContextVar("gxbg_wide_tables", default=None)


@contextmanager
def shared_tables() -> Iterator[None]:
    """by_report reuses its tables in this block (an enclosing block's, when nested). The frames must not
    change inside it; the engines never change them."""
    if _wide.get() is not None:
        yield
        return
    token = _wide.set({})
    try:
        yield
    finally:
        _wide.reset(token)


def by_report(frame: pd.DataFrame, column: str, rows: list[str]) -> pd.DataFrame:
    """One column of a table frame as report_id x row code (NA for rows the frame lacks)."""
    tables, key = _wide.get(), None
    if tables is not None:
        key, holds = _memory_key(frame, column)
    if key is None:
        return _pivot(frame, column, rows)
    if key not in tables:
        try:
            tables[key] = (holds, _pivot(frame, column, list(pd.unique(frame["row"]))))
        except ValueError:  # a report with a row twice: only the rows asked for may pivot
            return _pivot(frame, column, rows)
    wide = tables[key][1]
    return wide.reindex(columns=rows).astype("Float64") if wide.columns.isin(rows).sum() < len(set(rows)) else wide[rows]


def _memory_key(frame: pd.DataFrame, column: str) -> tuple[tuple | None, list]:
    """(where the three columns' values lie, the arrays to keep alive so that memory is not reused), or
    (None, []) for columns whose memory is not plain numpy (text keys not yet categorical)."""
    key, holds = [], []
    for name in ("report_id", "row", column):
        array = frame[name].array
        parts = [array.codes, array.categories] if isinstance(array, pd.Categorical) else None
        if isinstance(array, pd.arrays.IntegerArray | pd.arrays.FloatingArray | pd.arrays.BooleanArray):
            # values and mask: private attributes of pandas' masked arrays (a pandas without them: no sharing)
            parts = [getattr(array, "_data", None), getattr(array, "_mask", None)]
        if parts is None:
            return None, []
        for part in parts:
            if isinstance(part, np.ndarray):
                key.append((part.__array_interface__["data"][0], part.shape, part.strides, part.dtype.str))
            elif isinstance(part, pd.Index):  # categories
                key.append(id(part))
            else:
                return None, []
        holds += parts
    return tuple(key), holds


def _pivot(frame: pd.DataFrame, column: str, rows: list[str]) -> pd.DataFrame:
    """What frame.pivot(index="report_id", columns="row") reindexed to every report and `rows` gives, as
    Float64, with the same ValueError for a report with a row twice; placed by integer codes (a sixth of
    the pivot's time for a table's 25 rows)."""
    values = frame[column]
    if not pd.api.types.is_numeric_dtype(values.dtype):
        sub = frame.loc[frame["row"].isin(rows), ["report_id", "row", column]]
        wide = sub.pivot(index="report_id", columns="row", values=column)
        return wide.reindex(index=pd.unique(frame["report_id"]), columns=rows).astype("Float64")
    report_codes, _ = pd.factorize(frame["report_id"])  # codes in order of appearance, as pd.unique lists them
    codes = list(dict.fromkeys(rows))
    row_codes = pd.Index(codes).get_indexer(frame["row"])
    wanted = (row_codes >= 0) & (report_codes >= 0)
    reports = pd.Index(pd.unique(frame["report_id"].dropna()), name="report_id")
    cell = report_codes[wanted] * len(codes) + row_codes[wanted]
    if len(cell) and np.bincount(cell).max() > 1:
        raise ValueError(f"Index contains duplicate entries, cannot reshape (a report has a row twice in {column!r})")
    shape = (len(reports), len(codes))
    number = np.zeros(shape[0] * shape[1])
    missing = np.ones(len(number), dtype=bool)
    number[cell] = values.to_numpy(dtype="float64", na_value=0.0)[wanted]
    missing[cell] = values.isna().to_numpy()[wanted]
    number, missing = number.reshape(shape), missing.reshape(shape)
    wide = pd.DataFrame(
        {code: pd.arrays.FloatingArray(number[:, j].copy(), missing[:, j].copy()) for j, code in enumerate(codes)},
        index=reports,
    )
    wide.columns.name = "row"
    return wide if codes == list(rows) else wide[list(rows)]


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
    # Not frame.loc (it copies every column), nor report_id.to_numpy (a categorical's every label as a str):
    # keys kept as they are find each other by their codes.
    anchor = (frame["row"] == row).to_numpy(dtype=bool, na_value=False)
    index_of = pd.Series(frame.index.to_numpy()[anchor], index=pd.Index(frame["report_id"].array[anchor]))
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
