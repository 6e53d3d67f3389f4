"""value_domain: cells hold numbers of the right kind: at least `minimum`, whole numbers if `integer`.

Blank cells and units inside cells are the parser's to report (layout notes); this kind reports the
values it can read: negative counts, fractional counts, negative money.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gxbg.kinds.base import Kind, Ref, failure_frame
from gxbg.kinds.cells import TOLERANCE, only_rows


@dataclass(frozen=True)
class Params:
    columns: list[str]
    minimum: float | None = 0  # null: any sign (the 2019 本年增/减)
    integer: bool = True  # false for money measures
    rows: list[str] | None = None


class ValueDomain(Kind):
    name = "value_domain"
    Params = Params

    def references(self, p, table):
        return [Ref("columns", table, "column"), Ref("rows", table, "row")]

    def problems(self, p):
        return [("integer", "with minimum null and integer false nothing is checked")] if p.minimum is None and not p.integer else []

    def targets(self, p, table):
        return list(p.columns)

    def reads(self, p, target):
        return [target]

    def failures(self, frame, p, target):
        values = only_rows(frame, p.rows)[target].astype("Float64")
        bad = pd.Series(False, index=values.index)
        if p.minimum is not None:
            bad |= (values < p.minimum - TOLERANCE).fillna(False)
        if p.integer:
            bad |= ((values - values.round()).abs() > TOLERANCE).fillna(False)
        return failure_frame(values[bad], expected_text(p))


def expected_text(p: Params) -> str:
    if p.integer and p.minimum == 0:
        return "非负整数"
    bound = f"≥{p.minimum:g}" if p.minimum is not None else ""
    return f"{bound}的整数" if p.integer and bound else ("整数" if p.integer else bound)


KIND = ValueDomain()
