"""One findings table for everything found in a batch: rule failures, parser layout notes, parse errors.

When pandera and GX both report a failure it is one row with engine "pandera+gx"; a failure only one
engine reports keeps that engine's name alone, so any disagreement stands out in the CSV.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

import pandas as pd

from gxbg.engines import ENGINES
from gxbg.kinds.ruleset import RuleSet
from gxbg.report.model import Report
from gxbg.rules.labels import label
from gxbg.rules.tables import TABLES

FINDINGS_COLUMNS = [
    "report_id", "source", "agency", "year", "rule_id", "category", "severity", "section",
    "row", "column", "observed", "expected", "message", "line", "engine",
]  # fmt: skip
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
PARSER = "parser"
# File statuses (reports.csv) that are an error finding each: a file that should have been validated and was not.
# unsupported (a file type gxbg does not read) and duplicate (validated under its first copy) are only listed.
PARSE_FAILURES = {"parse_error": "parse.error", "too_large": "parse.too_large", "needs_ocr": "parse.needs_ocr",
                  "unreadable": "parse.unreadable"}  # fmt: skip


def empty_findings() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=FINDINGS_COLUMNS))


def rule_findings(explained: pd.DataFrame, ruleset: RuleSet, reports: pd.DataFrame) -> pd.DataFrame:
    """Engine failures (gxbg.engines.run_engines) -> findings, one row per failure."""
    if explained.empty:
        return empty_findings()
    # Plain dicts: a DataFrame lookup and the rule's parameters per finding cost most of the time here.
    meta = _report_meta(reports, set(explained["report_id"].dropna()))
    params: dict[str, dict[str, str]] = {}
    rows = [_rule_row(hit, ruleset, meta, params) for hit in _merge_engines(explained).to_dict("records")]
    return _typed(pd.DataFrame(rows, columns=FINDINGS_COLUMNS))


def _report_meta(reports: pd.DataFrame, wanted: set) -> dict[str, dict[str, Any]]:
    """source, agency and year of the wanted reports (the first row of each), by report_id."""
    reports = reports[reports["report_id"].isin(wanted)].drop_duplicates("report_id")
    columns = ("source", "agency", "year")
    values = zip(*(reports[c].tolist() for c in columns))  # tolist: to_dict("index") was a third of the time here
    return {rid: dict(zip(columns, row)) for rid, row in zip(reports["report_id"].tolist(), values)}


# Which engines reported a failure, as a bit each (ENGINES' order), and the name each combination shows.
_ENGINE_BITS = {name: 1 << i for i, name in enumerate(ENGINES)}
_ENGINE_NAMES = {
    mask: "+".join(name for name, bit in _ENGINE_BITS.items() if mask & bit) for mask in range(1, 1 << len(ENGINES))
}


def _merge_engines(explained: pd.DataFrame) -> pd.DataFrame:
    # A failure is one check on one frame row: "index" tells two statements of one report apart.
    keys = ["rule_id", "target", "index"]
    if "details" not in explained:
        explained = explained.assign(details=[{}] * len(explained))
    # Each engine once per failure, then the engines' bits add up to the combination (a Python function
    # per failure, as agg's argument, took half the merge's time).
    repeated = explained.duplicated([*keys, "engine"])
    explained = explained.assign(engine_bits=explained["engine"].map(_ENGINE_BITS).where(~repeated, 0))
    merged = explained.groupby(keys, sort=False, dropna=False).agg(
        # not engine=: that keyword is groupby.agg's own (numba) parameter
        engines=("engine_bits", "sum"),
        report_id=("report_id", "first"),
        row=("row", "first"),
        line=("line", "first"),
        observed=("observed", "first"),
        expected=("expected", "first"),
        details=("details", "first"),
    )
    merged["engines"] = merged["engines"].map(_ENGINE_NAMES)
    return merged.reset_index().rename(columns={"engines": "engine"})


def _rule_row(hit: dict[str, Any], ruleset: RuleSet, meta: dict[str, dict], params: dict[str, dict]) -> dict[str, Any]:
    bound = ruleset.rule(hit["rule_id"])
    rule, details = bound.rule, hit.get("details") or {}
    report_id = None if pd.isna(hit["report_id"]) else hit["report_id"]
    # A row of no report in the batch (a manifest entry) brings its own source, agency and year.
    report = meta.get(report_id, details)
    where = {
        "report_id": report_id, "source": report.get("source"), "agency": report.get("agency"),
        "year": report.get("year"), "rule_id": rule.id, "table": rule.table, "row": hit["row"], "column": hit["target"],
    }  # fmt: skip
    if rule.id not in params:
        params[rule.id] = {name: _shown(v) for name, v in bound.kind.param_dict(bound.params).items()}
    values = dict(params[rule.id])
    values |= {k: _shown(v) for k, v in where.items()} | {"row": label(hit["row"]), "column": label(hit["target"])}
    values |= {"observed": format_value(hit["observed"]), "expected": format_value(hit["expected"])}
    values |= {k: format_value(v) for k, v in bound.kind.message_values(bound.params, hit["observed"], hit["expected"]).items()}
    values |= {k: format_value(details.get(k)) or "" for k in bound.kind.extra_fields if k in details or k not in values}
    return {
        **where,
        "category": rule.category,
        "severity": rule.severity,
        "section": details.get("section") or TABLES[rule.table].section,
        "observed": format_value(hit["observed"]),
        "expected": format_value(hit["expected"]),
        "message": rule.message.format_map(values),
        "line": hit["line"],
        "engine": hit["engine"],
    }


def layout_findings(reports: Iterable[Report]) -> pd.DataFrame:
    """The parser's layout notes (blank cells, units, repaired rows...) as findings."""
    rows = [
        {
            "report_id": r.report_id, "source": r.source, "agency": r.agency, "year": r.year,
            "rule_id": f"layout.{n.code}", "category": "layout", "severity": n.severity, "section": n.section,
            "row": n.row, "column": n.column, "observed": None, "expected": None, "message": n.message,
            "line": n.line, "engine": PARSER,
        }  # fmt: skip
        for r in reports
        for n in r.layout
    ]
    return _typed(pd.DataFrame(rows, columns=FINDINGS_COLUMNS))


def parse_findings(statuses: pd.DataFrame) -> pd.DataFrame:
    """Files that could not be parsed, one error finding each (see PARSE_FAILURES)."""
    failed = statuses[statuses["status"].isin(list(PARSE_FAILURES))]
    rows = [
        {
            "report_id": None, "source": s["source"], "agency": None, "year": None,
            "rule_id": PARSE_FAILURES[s["status"]],
            "category": "parse", "severity": "error", "section": None, "row": None, "column": None,
            "observed": None, "expected": None, "message": s["reason"], "line": None, "engine": PARSER,
        }  # fmt: skip
        for s in failed.to_dict("records")
    ]
    return _typed(pd.DataFrame(rows, columns=FINDINGS_COLUMNS))


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate findings, ordered for reading: by source, then line, then rule."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_findings()
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["source", "line", "rule_id", "row", "column"], na_position="last", kind="stable")
    return _typed(out.reset_index(drop=True))


def reaches(findings: pd.DataFrame, fail_on: str) -> bool:
    """Whether any finding is at least as severe as fail_on (error | warning | never)."""
    if fail_on == "never":
        return False
    limit = SEVERITY_ORDER[fail_on]
    return bool(findings["severity"].map(SEVERITY_ORDER).le(limit).any())


def format_value(value: Any) -> str | None:
    """Numbers as auditors write them: 821, 24252.311082; blanks stay empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "item"):
        return str(value)
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(label(v) for v in value)
    if isinstance(value, str):
        return label(value)
    return format_value(value) or ""


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    text = [c for c in FINDINGS_COLUMNS if c not in ("year", "line")]
    return frame.astype({**{c: "string" for c in text}, "year": "Int64", "line": "Int64"})
