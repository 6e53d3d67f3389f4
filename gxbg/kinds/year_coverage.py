"""year_coverage: the report is the one for its year, published in time, once per body and year.

Rules name table `reports`: one frame row per report of the batch (row `report`), per earlier report
of the same bodies from the history database (row `history`: read, never reported) and per
manifest entry (row `expected`). `check` picks what is checked:

per report
- title_year_absent: the preamble/一 mention years, never the title's (a copied, un-updated report).
- title_year_outnumbered: another year is mentioned more often than the title's.
- published_early: published before the report year ended (the title year must be wrong).
- deadline: published after the legal deadline of the next year: departments `department_deadline`,
  people's governments (names ending in one of `government_suffixes`) `government_deadline`.
- format: a report in one of `formats` whose year asks for the other format.
in the batch (agency_key x year; with the history for gap and copied)
- duplicate: a body's report for a year more than once in the batch.
- gap: the year before is missing, though an earlier year is there.
- missing / unexpected: a manifest entry without a report / a report not in the manifest.
- copied: the same tables (二, 三, 四, not all zero) as the body's report of an earlier year.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from gxbg.codes import FORMATS, NARRATIVE_SECTIONS, format_for_year
from gxbg.kinds import coverage_checks as batch
from gxbg.kinds.base import Kind, failure_frame

Check = Literal[
    "title_year_absent", "title_year_outnumbered", "published_early", "deadline", "format",
    "duplicate", "gap", "missing", "unexpected", "copied",
]  # fmt: skip
TARGET = {"published_early": "published_date", "deadline": "published_date", "format": "format", "copied": "tables_hash"}
READS = {
    "published_early": ["year", "published_date", "published_line"],
    "deadline": ["agency", "year", "published_date", "published_line"],
    "format": ["year", "format"],
    "duplicate": ["agency_key", "year", "source"],
    "gap": ["agency_key", "year"],
    "missing": ["agency_key", "year"],
    "unexpected": ["agency_key", "year"],
    "copied": ["agency_key", "year", "source", "tables_hash", "tables_nonzero"],
}
OPTIONS = {  # parameters beyond `check`, by the checks they apply to
    "sections": ("title_year_absent", "title_year_outnumbered"),
    "formats": ("format",),
    "department_deadline": ("deadline",),
    "government_deadline": ("deadline",),
    "government_suffixes": ("deadline",),
}
REQUIRED = {"format": ("formats",), "deadline": ("department_deadline", "government_deadline", "government_suffixes")}
DEFAULT_SECTIONS = ["preamble", "overview"]
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


@dataclass(frozen=True)
class Params:
    check: Check
    sections: list[str] | None = None  # where years are counted (default preamble and 一)
    formats: list[str] | None = None
    department_deadline: str | None = None  # MM-DD of the next year
    government_deadline: str | None = None
    government_suffixes: list[str] | None = None


class YearCoverage(Kind):
    name = "year_coverage"
    Params = Params
    tables = ("reports",)
    extra_fields = ("others", "body")

    def problems(self, p):
        out = [(name, f"{name} applies to check {' or '.join(checks)}")
               for name, checks in OPTIONS.items() if getattr(p, name) is not None and p.check not in checks]  # fmt: skip
        out += [(name, f"check {p.check} needs {name}") for name in REQUIRED.get(p.check, ()) if getattr(p, name) is None]
        out += [(n, f"{n} must be MM-DD (got {getattr(p, n)!r})") for n in ("department_deadline", "government_deadline")
                if getattr(p, n) is not None and not MONTH_DAY.match(getattr(p, n))]  # fmt: skip
        out += [("formats", f"unknown format '{f}' (formats: {', '.join(FORMATS)})") for f in p.formats or [] if f not in FORMATS]
        out += [("sections", f"unknown section '{s}'") for s in p.sections or [] if s not in NARRATIVE_SECTIONS]
        return out

    def targets(self, p, table):
        return [TARGET.get(p.check, "year")]

    def reads(self, p, target):
        return READS.get(p.check, ["year", *self.helpers(p)])

    def helpers(self, p):
        if not p.check.startswith("title_year"):
            return {}
        sections = p.sections or DEFAULT_SECTIONS
        tag = "+".join(sections)
        return {f"_years_{tag}_{stat}": _year_stat(sections, stat) for stat in ("main", "main_count", "title_count")}

    def failures(self, frame, p, target):
        own = (frame["row"] == "report").fillna(False).astype(bool)
        if p.check.startswith("title_year"):
            return _title_year(frame, p, own, list(self.helpers(p)))
        if p.check in ("published_early", "deadline", "format"):
            return {"published_early": _published_early, "deadline": _deadline, "format": _format}[p.check](frame[own], p)
        return getattr(batch, p.check)(frame, own)


def _title_year(frame, p, own, names) -> pd.DataFrame:
    main, main_count, title_count = (frame[n].astype("Float64") for n in names)
    if p.check == "title_year_absent":
        bad = own & main.notna() & (title_count.fillna(0) == 0)
    else:
        bad = own & (title_count > 0).fillna(False) & (main_count > title_count).fillna(False)
    return failure_frame(main[bad], frame["year"][bad])


def _published_early(reports, p) -> pd.DataFrame:
    year_end = reports["year"].map(lambda y: f"{y + 1:04d}-01-01", na_action="ignore")
    bad = (reports["published_date"] < year_end).fillna(False).astype(bool)
    return failure_frame(reports["published_date"][bad], year_end[bad]).assign(line=reports["published_line"][bad])


def _deadline(reports, p) -> pd.DataFrame:
    government = reports["agency"].fillna("").map(lambda name: name.endswith(tuple(p.government_suffixes)))
    month_day = government.map({True: p.government_deadline, False: p.department_deadline})
    due = (reports["year"] + 1).astype("string") + "-" + month_day.astype("string")
    bad = (reports["published_date"] > due).fillna(False).astype(bool)
    body = government.map({True: "人民政府", False: "部门"})
    return failure_frame(reports["published_date"][bad], due[bad]).assign(line=reports["published_line"][bad], body=body[bad])


def _format(reports, p) -> pd.DataFrame:
    wanted = reports["year"].map(format_for_year, na_action="ignore")
    bad = (reports["format"].isin(p.formats) & wanted.notna() & (reports["format"] != wanted)).fillna(False).astype(bool)
    return failure_frame(reports["format"][bad], wanted[bad])


def _year_stat(sections: list[str], stat: str):
    def compute(frames: Mapping[str, pd.DataFrame]) -> pd.Series:
        return year_mentions(frames["facts"], frames["reports"], sections)[stat]

    return compute


def year_mentions(facts: pd.DataFrame, reports: pd.DataFrame, sections: list[str]) -> pd.DataFrame:
    """Per report_id: the year mentioned most (ties: the first mentioned), how often, and how often
    the report's own year is mentioned, counting `sections` and leaving out years inside 《》."""
    years = facts[((facts["row"] == "year_mentioned") & facts["section"].isin(sections)
                   & (facts["scope"].fillna("") != "citation")).fillna(False)]  # fmt: skip
    columns = ["main", "main_count", "title_count"]
    if years.empty:
        return pd.DataFrame(columns=columns, dtype="Float64")
    counts = years.groupby(["report_id", "value"]).agg(n=("line", "size"), first=("line", "min")).reset_index()
    top = counts.sort_values(["report_id", "n", "first"], ascending=[True, False, True]).drop_duplicates("report_id")
    own_year = reports.dropna(subset=["report_id"]).drop_duplicates("report_id").set_index("report_id")["year"]
    own = counts[counts["value"] == counts["report_id"].map(own_year).astype("Float64")].set_index("report_id")["n"]
    out = top.set_index("report_id")[["value", "n"]].set_axis(columns[:2], axis=1)
    return out.assign(title_count=own.reindex(out.index).fillna(0)).astype("Float64")


KIND = YearCoverage()
