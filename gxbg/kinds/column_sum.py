"""column_sum: a total row equals the sum of named rows, in every column, per report."""

from __future__ import annotations

from dataclasses import dataclass

from gxbg.kinds.base import Kind, Ref, failure_frame
from gxbg.kinds.cells import BlankAsZero, by_report, differs, locate, sum_cells


@dataclass(frozen=True)
class Params:
    total: str  # row code
    parts: list[str]  # row codes
    columns: list[str] | None = None  # column codes; all columns when omitted
    blank_as_zero: BlankAsZero = "none"


class ColumnSum(Kind):
    name = "column_sum"
    Params = Params

    def references(self, p, table):
        return [Ref("total", table, "row"), Ref("parts", table, "row"), Ref("columns", table, "column")]

    def problems(self, p):
        return [("parts", "parts must not include the total")] if p.total in p.parts else []

    def targets(self, p, table):
        return list(p.columns or table.columns)

    def reads(self, p, target):
        return [target]

    def failures(self, frame, p, target):
        wide = by_report(frame, target, [p.total, *p.parts])
        observed, expected = wide[p.total], sum_cells(wide[p.parts], p.blank_as_zero)
        bad = differs(observed, expected)
        return locate(frame, failure_frame(observed[bad], expected[bad]), p.total)


KIND = ColumnSum()
