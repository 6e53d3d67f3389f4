"""cross_year: a report's figures continue the same body's report of the year before.

Rules name a pairs table (pairs_requests, pairs_active): one frame row per table row of each pair
(report Y of the batch, report Y−1 from the batch or the history), where the value column `c` is year
Y's cell and `prev_c` year Y−1's. The check: sum(current, Y) = sum(previous, Y−1) + sum(added, Y) −
sum(subtracted, Y).

per: column -> the codes are row codes, compared in every column (上年结转 of Y = 结转下年度 of Y−1);
per: row -> the codes are column codes, compared on every row (现行有效 of Y = 现行有效 of Y−1 + 制发 − 废止).
A failure is located at year Y's report and first `current` code; messages may name the other report
({previous_source}, {previous_year}).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from gxbg.kinds.base import Kind, Ref, failure_frame, per_axis_problems
from gxbg.kinds.cells import BlankAsZero, differs, only_rows, sum_cells

PREV = "prev_"
PAIR_TABLES = ("pairs_requests", "pairs_active")


@dataclass(frozen=True)
class Params:
    current: list[str]
    previous: list[str]
    per: Literal["column", "row"] = "column"
    added: list[str] | None = None  # year Y codes added to the previous side
    subtracted: list[str] | None = None  # year Y codes taken from it
    rows: list[str] | None = None  # per: row only
    columns: list[str] | None = None  # per: column only
    blank_as_zero: BlankAsZero = "none"


class CrossYear(Kind):
    name = "cross_year"
    Params = Params
    tables = PAIR_TABLES
    extra_fields = ("previous_source", "previous_year")

    def references(self, p, table):
        axis = "row" if p.per == "column" else "column"
        names = ("current", "previous", "added", "subtracted")
        return [Ref(n, table, axis) for n in names] + [Ref("rows", table, "row"), Ref("columns", table, "column")]

    def problems(self, p):
        return per_axis_problems(p)

    def targets(self, p, table):
        return list(p.columns or table.columns) if p.per == "column" else [p.current[0]]

    def reads(self, p, target):
        base = ["pair", "prev_source", "prev_year"]
        if p.per == "column":
            return [target, PREV + target, *base]
        return [*p.current, *(PREV + c for c in p.previous), *(p.added or []), *(p.subtracted or []), *base]

    def failures(self, frame, p, target):
        if p.per == "column":
            left, right = self._per_column(frame, p, target)
        else:
            rows = only_rows(frame, p.rows)
            left, right = self._sides(rows, p.current, p.previous, p.added, p.subtracted, p.blank_as_zero)
        bad = differs(left, right)
        out = failure_frame(left[bad], right[bad])
        located = frame.loc[out.index]
        return out.assign(previous_source=located["prev_source"], previous_year=located["prev_year"])

    def _per_column(self, frame, p, target):
        codes = list(dict.fromkeys([*p.current, *p.previous, *(p.added or []), *(p.subtracted or [])]))
        sub = frame.loc[frame["row"].isin(codes)]
        mine = sub.pivot(index="pair", columns="row", values=target).reindex(columns=codes)
        theirs = sub.pivot(index="pair", columns="row", values=PREV + target).reindex(columns=codes)
        wide = pd.concat([mine[[*p.current, *(p.added or []), *(p.subtracted or [])]],
                          theirs[p.previous].add_prefix(PREV)], axis=1).astype("Float64")  # fmt: skip
        left, right = self._sides(wide, p.current, p.previous, p.added, p.subtracted, p.blank_as_zero)
        anchor = frame.loc[frame["row"] == p.current[0]]
        position = pd.Series(anchor.index.to_numpy(), index=anchor["pair"].to_numpy()).reindex(left.index)
        found = position.notna().to_numpy()
        index = position[found].astype("int64").to_numpy()
        return left[found].set_axis(index), right[found].set_axis(index)

    @staticmethod
    def _sides(cells, current, previous, added, subtracted, blank_as_zero):
        left = sum_cells(cells[current].astype("Float64"), blank_as_zero)
        before = sum_cells(cells[[PREV + c for c in previous]].astype("Float64"), blank_as_zero)
        change = pd.concat([cells[added or []].astype("Float64"), -cells[subtracted or []].astype("Float64")], axis=1)
        moved = sum_cells(change, blank_as_zero) if change.shape[1] else 0
        right = before + (moved.fillna(0) if blank_as_zero == "parts" and change.shape[1] else moved)
        return left, right


KIND = CrossYear()
