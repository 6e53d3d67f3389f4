"""zero_consistency: when the cells named by `when` sum to zero, every cell named by `then` is zero.

per: column -> when/then are row codes, checked in every column (a zero (七)总计 has zero result rows;
no requests (一 + 二 = 0) means no results and nothing carried forward).
per: row -> when/then are column codes, checked on every row (a zero 总计 has zero applicant cells).
when_table/when_column read the condition from another table of the same report (四's cases when
三 shows no requests at all); rules of that shape are usually warnings.
Each non-zero `then` cell is one failure (observed = the cell, expected = 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from gxbg.kinds.base import Kind, Ref, failure_frame, no_failures
from gxbg.kinds.cells import BlankAsZero, by_report, is_zero, locate, nonzero, only_rows, sum_cells
from gxbg.rules.tables import TABLES


@dataclass(frozen=True)
class Params:
    when: list[str]
    then: list[str]
    per: Literal["column", "row"] = "column"
    rows: list[str] | None = None  # per: row only
    columns: list[str] | None = None  # per: column only
    blank_as_zero: BlankAsZero = "none"
    when_table: str | None = None  # condition read from this table (per: column only) ...
    when_column: str | None = None  # ... summing `when` rows in this column


class ZeroConsistency(Kind):
    name = "zero_consistency"
    Params = Params

    def references(self, p, table):
        axis = "row" if p.per == "column" else "column"
        refs = [Ref("then", table, axis), Ref("rows", table, "row"), Ref("columns", table, "column")]
        if p.when_table is None:
            return [Ref("when", table, axis), *refs]
        if p.when_table not in TABLES:
            return refs
        return [Ref("when", p.when_table, "row"), Ref("when_column", p.when_table, "column"), *refs]

    def problems(self, p):
        out = []
        if p.when_table is None and set(p.when) & set(p.then):
            out.append(("then", "when and then share a code"))
        if p.per == "column" and p.rows is not None:
            out.append(("rows", "rows applies to per: row; use columns with per: column"))
        if p.per == "row" and p.columns is not None:
            out.append(("columns", "columns applies to per: column; use rows with per: row"))
        if p.when_table is not None and p.when_table not in TABLES:
            out.append(("when_table", f"unknown table; tables are {', '.join(TABLES)}"))
        if (p.when_table is None) != (p.when_column is None):
            out.append(("when_table", "when_table and when_column go together"))
        if p.when_table is not None and p.per != "column":
            out.append(("per", "when_table needs per: column"))
        return out

    def targets(self, p, table):
        return list(p.columns or table.columns) if p.per == "column" else list(p.then)

    def reads(self, p, target):
        if p.per == "row":
            return [*p.when, target]
        return [target, *self.helpers(p)]

    def helpers(self, p):
        if p.when_table is None:
            return {}
        name = f"_when_{p.when_table}_{'+'.join(p.when)}_{p.when_column}_{p.blank_as_zero}"

        def condition_sum(frames: Mapping[str, pd.DataFrame]) -> pd.Series:
            wide = by_report(frames[p.when_table], p.when_column, p.when)
            return sum_cells(wide, p.blank_as_zero)

        return {name: condition_sum}

    def failures(self, frame, p, target):
        if p.per == "row":
            rows = only_rows(frame, p.rows)
            values = rows[target].astype("Float64")
            bad = is_zero(sum_cells(rows[p.when], p.blank_as_zero)) & nonzero(values)
            return failure_frame(values[bad], 0)
        zero = self._zero_condition(frame, p, target)
        cells = by_report(frame, target, p.then).loc[zero]
        bad = {row: nonzero(cells[row]) for row in p.then}
        found = [locate(frame, failure_frame(cells[row][hit], 0), row) for row, hit in bad.items() if hit.any()]
        return pd.concat(found) if found else no_failures()

    def _zero_condition(self, frame, p, target) -> pd.Series:
        """Per report_id: True where the `when` cells sum to zero."""
        if p.when_table is None:
            sums = sum_cells(by_report(frame, target, p.when), p.blank_as_zero)
        else:
            (name,) = self.helpers(p)
            sums = frame.groupby("report_id", sort=False)[name].first().reindex(pd.unique(frame["report_id"]))
        return is_zero(sums)


KIND = ZeroConsistency()
