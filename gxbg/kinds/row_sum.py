"""row_sum: a total column equals the sum of named columns, on every row of a table."""

from __future__ import annotations

from dataclasses import dataclass

from gxbg.kinds.base import Kind, Ref, failure_frame
from gxbg.kinds.cells import BlankAsZero, differs, only_rows, sum_cells


@dataclass(frozen=True)
class Params:
    total: str  # column code
    parts: list[str]  # column codes
    rows: list[str] | None = None  # row codes; all rows when omitted
    blank_as_zero: BlankAsZero = "none"


class RowSum(Kind):
    name = "row_sum"
    Params = Params

    def references(self, p, table):
        return [Ref("total", table, "column"), Ref("parts", table, "column"), Ref("rows", table, "row")]

    def problems(self, p):
        return [("parts", "parts must not include the total")] if p.total in p.parts else []

    def targets(self, p, table):
        return [p.total]

    def reads(self, p, target):
        return [p.total, *p.parts]

    def failures(self, frame, p, target):
        rows = only_rows(frame, p.rows)
        observed = rows[p.total].astype("Float64")
        expected = sum_cells(rows[p.parts], p.blank_as_zero)
        bad = differs(observed, expected)
        return failure_frame(observed[bad], expected[bad])


KIND = RowSum()
