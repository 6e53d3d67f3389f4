"""fee_narrative: what a report says about the information-processing fee (信息处理费, 国办函〔2020〕109号)
agrees with its table and with itself. Rules name table `reports` (one frame row per report).

check: unpaid_fee -> 三（六）2 (逾期未按收费通知缴纳费用) > 0 means fee notices were issued, so a statement
       that no processing fee was charged is wrong; located at that statement.
check: contradiction -> a statement of no fee beside a stated fee amount > 0; located at the amount.
check: missing -> a report in one of `formats` says nothing about the fee (the 2021 format asks for it).

Fee facts never include 行政事业性收费 (二（八）, another fee: the extractor rejects it). `general`: whether
"未收取任何费用" (no fee of any kind) counts as a statement about the processing fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from gxbg.codes import APPLICANT_COLUMNS, FORMATS
from gxbg.kinds.base import Kind, failure_frame
from gxbg.kinds.cells import TOLERANCE, cells_sum

NEEDS = {  # helper columns each check reads
    "unpaid_fee": ("none_line", "unpaid"),
    "contradiction": ("none_line", "amount", "amount_line"),
    "missing": ("statements",),
}


@dataclass(frozen=True)
class Params:
    check: Literal["unpaid_fee", "contradiction", "missing"]
    general: bool = False
    formats: list[str] | None = None  # missing only: the formats that must state the fee


class FeeNarrative(Kind):
    name = "fee_narrative"
    Params = Params
    tables = ("reports",)
    extra_fields = ("statement_line",)

    def problems(self, p):
        if p.check == "missing" and not p.formats:
            return [("formats", "check missing needs formats (e.g. ['2021'])")]
        if p.check != "missing" and p.formats is not None:
            return [("formats", "formats applies to check missing only")]
        return [("formats", f"unknown format '{f}' (formats: {', '.join(FORMATS)})") for f in p.formats or [] if f not in FORMATS]

    def targets(self, p, table):
        return ["fee_statement"]

    def reads(self, p, target):
        return ["format", *self.helpers(p)]

    def helpers(self, p):
        kind = "general" if p.general else "processing"
        makers = {
            "none_line": (f"_fee_none_line_{kind}", lambda frames: _first_line(_no_fee(frames["facts"], p.general))),
            "statements": (f"_fee_statements_{kind}", lambda frames: _count(_statements(frames["facts"], p.general))),
            "amount": ("_fee_amount", lambda frames: _fee_amounts(frames["facts"]).groupby("report_id")["value"].max()),
            "amount_line": ("_fee_amount_line", lambda frames: _first_line(_fee_amounts(frames["facts"]))),
            "unpaid": ("_fee_unpaid", lambda frames: cells_sum(frames["requests"], ["other_unpaid_fee"], ["total"],
                                                               list(APPLICANT_COLUMNS))),
        }  # fmt: skip
        return dict(makers[need] for need in NEEDS[p.check])

    def failures(self, frame, p, target):
        columns = {need: name for need, name in zip(NEEDS[p.check], self.helpers(p))}
        value = {need: frame[name].astype("Float64") for need, name in columns.items()}
        report = (frame["row"] == "report").fillna(False)
        if p.check == "unpaid_fee":
            bad = report & (value["unpaid"] > TOLERANCE).fillna(False) & value["none_line"].notna()
            out = failure_frame(value["unpaid"][bad], 0)
            return out.assign(line=value["none_line"][bad])
        if p.check == "contradiction":
            bad = report & (value["amount"] > TOLERANCE).fillna(False) & value["none_line"].notna()
            out = failure_frame(value["amount"][bad], 0)
            return out.assign(line=value["amount_line"][bad], statement_line=value["none_line"][bad])
        silent = value["statements"].fillna(0) == 0
        bad = report & silent & frame["format"].isin(p.formats).fillna(False)
        return failure_frame(value["statements"].fillna(0)[bad], "说明信息处理费收取情况")


KIND = FeeNarrative()


def _no_fee(facts: pd.DataFrame, general: bool) -> pd.DataFrame:
    scopes = facts["scope"].fillna("")
    allowed = scopes.isin(["", "waived", *(["general"] if general else [])])
    none = (facts["row"] == "fee_none") & allowed
    zero = (facts["row"] == "fee_amount") & (facts["value"].abs() <= TOLERANCE)
    return facts[(none | zero).fillna(False)]


def _fee_amounts(facts: pd.DataFrame) -> pd.DataFrame:
    return facts[((facts["row"] == "fee_amount") & (facts["value"] > TOLERANCE)).fillna(False)]


def _statements(facts: pd.DataFrame, general: bool) -> pd.DataFrame:
    return pd.concat([_no_fee(facts, general), _fee_amounts(facts)])


def _first_line(facts: pd.DataFrame) -> pd.Series:
    return facts.groupby("report_id")["line"].min()


def _count(facts: pd.DataFrame) -> pd.Series:
    return facts.groupby("report_id").size()
