"""balance: the sum of one group of cells equals the sum of another.

per: column -> left and right are row codes, compared in every column (一 + 二 = (七) + 四);
per: row -> left and right are column codes, compared on every row.
A failure is located at the first left code (its row, or its column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gxbg.kinds.base import Kind, Ref, failure_frame, per_axis_problems
from gxbg.kinds.cells import BlankAsZero, by_report, differs, locate, only_rows, sum_cells


@dataclass(frozen=True)
class Params:
    left: list[str]
    right: list[str]
    per: Literal["column", "row"] = "column"
    rows: list[str] | None = None  # per: row only; all rows when omitted
    columns: list[str] | None = None  # per: column only; all columns when omitted
    blank_as_zero: BlankAsZero = "none"


class Balance(Kind):
    name = "balance"
    Params = Params
    extra_fields = ("left", "right")  # in messages: the two sums

    def references(self, p, table):
        axis = "row" if p.per == "column" else "column"
        return [Ref("left", table, axis), Ref("right", table, axis), Ref("rows", table, "row"), Ref("columns", table, "column")]

    def problems(self, p):
        shared = [("right", "left and right share a code")] if set(p.left) & set(p.right) else []
        return shared + per_axis_problems(p)

    def targets(self, p, table):
        return list(p.columns or table.columns) if p.per == "column" else [p.left[0]]

    def reads(self, p, target):
        return [target] if p.per == "column" else [*p.left, *p.right]

    def failures(self, frame, p, target):
        if p.per == "column":
            wide = by_report(frame, target, [*p.left, *p.right])
            left, right = sum_cells(wide[p.left], p.blank_as_zero), sum_cells(wide[p.right], p.blank_as_zero)
            bad = differs(left, right)
            return locate(frame, failure_frame(left[bad], right[bad]), p.left[0])
        rows = only_rows(frame, p.rows)
        left, right = sum_cells(rows[p.left], p.blank_as_zero), sum_cells(rows[p.right], p.blank_as_zero)
        bad = differs(left, right)
        return failure_frame(left[bad], right[bad])

    def message_values(self, p, observed, expected):
        return {"left": observed, "right": expected}


KIND = Balance()
