"""The tables rules are written against: one frame per table for the whole batch.

Every table frame has the same shape, so a kind works on any of them:
report_id, row (the table's row code), line (source line), then one column per column code.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gxbg.codes import ACTIVE_ITEMS, APPEAL_GROUPS, APPEAL_SUFFIXES, REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.report.frames import BatchFrames

KEYS = ("report_id", "row", "line")


def _union(groups) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for group in groups for code in group))


ACTIVE_ROWS = _union(items for items in ACTIVE_ITEMS.values())
ACTIVE_MEASURES = _union(measures for items in ACTIVE_ITEMS.values() for measures in items.values())


@dataclass(frozen=True)
class Table:
    name: str
    section: str  # section code of findings (codes.SECTIONS)
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    dtype: str  # dtype of the value columns


TABLES = {
    # 三: one frame row per (report, row code), the seven applicant columns.
    "requests": Table("requests", "requests", REQUEST_ROWS, REQUEST_COLUMNS, "Int64"),
    # 四 is printed as one row of 15 numbers; here its three groups are columns and the five
    # results are rows, so "each total = its four results" is a column sum like (七)总计.
    "appeals": Table("appeals", "appeals", APPEAL_SUFFIXES, APPEAL_GROUPS, "Int64"),
    # 二: one frame row per (report, item), one column per measure of either format.
    "active": Table("active", "active", ACTIVE_ROWS, ACTIVE_MEASURES, "Float64"),
}


def table_frames(batch: BatchFrames) -> dict[str, pd.DataFrame]:
    return dict(lazy_table_frames(batch))


class LazyTables(Mapping[str, pd.DataFrame]):
    """Frames by table name, each made by build(name) when first asked for, and once, even by several
    threads: a process that validates some of the tables builds only those (and what they are made from)."""

    def __init__(self, names: Iterable[str], build: Callable[[str], pd.DataFrame]) -> None:
        self._names = tuple(names)
        self._build = build
        self._built: dict[str, pd.DataFrame] = {}
        self._lock = threading.RLock()  # reentrant: a table may be made from another of the same mapping

    def __getitem__(self, name: str) -> pd.DataFrame:
        with self._lock:
            if name not in self._built:
                if name not in self._names:
                    raise KeyError(name)
                self._built[name] = self._build(name)
            return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def lazy_table_frames(batch: BatchFrames) -> LazyTables:
    """table_frames(batch), each frame built when first asked for."""
    pairs = functools.cache(lambda: report_pairs(batch))  # read by both pairs tables

    def build(name: str) -> pd.DataFrame:
        if name == "requests":
            return requests_frame(batch.requests)
        if name == "appeals":
            return appeals_frame(batch.appeals)
        if name == "active":
            return active_frame(batch.active)
        return batch_table_frame(batch, tables, name, pairs)

    tables = LazyTables(TABLES, build)
    return tables


def expected_rows(batch: BatchFrames, name: str) -> int:
    """About how many rows table `name` of the batch has, without building it (to order work by)."""
    if name == "appeals":
        return len(batch.appeals) * len(APPEAL_SUFFIXES)
    return len(getattr(batch, name.removeprefix("pairs_")))


def empty_frame(table: Table) -> pd.DataFrame:
    cols = {"report_id": "string", "row": "string", "line": "Int64"} | {c: table.dtype for c in table.columns}
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in cols.items()})


def requests_frame(requests: pd.DataFrame) -> pd.DataFrame:
    if requests.empty:
        return empty_frame(TABLES["requests"])
    out = requests[[*KEYS, *REQUEST_COLUMNS]].reset_index(drop=True)
    return out.astype({"line": "Int64", **{c: "Int64" for c in REQUEST_COLUMNS}})


def appeals_frame(appeals: pd.DataFrame) -> pd.DataFrame:
    if appeals.empty:
        return empty_frame(TABLES["appeals"])
    n, k = len(appeals), len(APPEAL_SUFFIXES)
    out = pd.DataFrame(
        {
            "report_id": np.repeat(appeals["report_id"].to_numpy(), k),
            "row": np.tile(np.array(APPEAL_SUFFIXES, dtype=object), n),
            "line": np.repeat(appeals["line"].astype("Int64").to_numpy(), k),
        }
    )
    for group in APPEAL_GROUPS:
        cells = appeals[[f"{group}_{s}" for s in APPEAL_SUFFIXES]].astype("Int64")
        out[group] = pd.array(cells.to_numpy(dtype=object).ravel(), dtype="Int64")
    return out.astype({"line": "Int64"})


def active_frame(active: pd.DataFrame) -> pd.DataFrame:
    if active.empty:
        return empty_frame(TABLES["active"])
    keyed = active.drop_duplicates(["report_id", "item", "measure"])
    keys = ["report_id", "item"]
    wide = keyed.pivot(index=keys, columns="measure", values="value").reindex(columns=list(ACTIVE_MEASURES))
    wide.columns.name = None
    lines = keyed.groupby(keys)["line"].min()
    out = wide.assign(line=lines).reset_index().rename(columns={"item": "row"})
    return out[[*KEYS, *ACTIVE_MEASURES]].astype({"line": "Int64", **{c: "Float64" for c in ACTIVE_MEASURES}})


# Narrative facts, reports and year pairs (gxbg.rules.batch_tables builds on the tables above).
from gxbg.rules.batch_tables import BATCH_TABLES, batch_table_frame, report_pairs  # noqa: E402

TABLES.update(BATCH_TABLES)
