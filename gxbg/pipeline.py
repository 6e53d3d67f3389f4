"""Library steps of a validation run; the CLI and the Prefect flow call these same functions.

files -> parse (one status row per file) -> batch frames -> both engines -> one findings table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from gxbg.documents import SUPPORTED_SUFFIXES
from gxbg.engines import ENGINES, run_engines
from gxbg.findings import combine, layout_findings, parse_findings, rule_findings
from gxbg.kinds.ruleset import RuleSet, load_ruleset
from gxbg.report import ParseError, Report, parse_file
from gxbg.report.frames import batch_frames

REPORT_COLUMNS = ["source", "report_id", "agency", "year", "format", "status", "reason", "errors", "warnings"]
Progress = Callable[[int, int], None]


@dataclass
class Result:
    findings: pd.DataFrame  # gxbg.findings.FINDINGS_COLUMNS
    reports: pd.DataFrame  # REPORT_COLUMNS, one row per input file
    # For the publishers (gxbg.publish.site, gxbg.publish.datadocs):
    parsed: list[Report] = field(default_factory=list)  # each distinct parsed report
    gx_results: list = field(default_factory=list)  # GX ExpectationSuiteValidationResult per table


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and every file under folders named (sorted); raises FileNotFoundError."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return list(dict.fromkeys(files))


def parse_files(files: list[Path], progress: Progress | None = None) -> tuple[list[Report], pd.DataFrame]:
    """Parsed reports (each distinct report once) and a status row for every file."""
    reports: dict[str, Report] = {}
    rows = []
    for i, path in enumerate(files, 1):
        report, row = _parse_one(path)
        if report is not None:
            reports.setdefault(report.report_id, report)  # identical bytes: validate once
        rows.append(row)
        if progress and (i % 500 == 0 or i == len(files)):
            progress(i, len(files))
    return list(reports.values()), pd.DataFrame(rows, columns=REPORT_COLUMNS[:-2])


def _parse_one(path: Path) -> tuple[Report | None, dict]:
    row = {"source": str(path), "report_id": None, "agency": None, "year": None, "format": None, "reason": None}
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return None, row | {"status": "unsupported", "reason": f"unsupported file type {path.suffix or '(none)'}"}
    try:
        report = parse_file(path)
    except ParseError as exc:
        status = "unsupported" if exc.status == "unsupported" else "parse_error"
        reason = exc.reason if exc.status in ("parse_error", "unsupported") else f"{exc.status}: {exc.reason}"
        return None, row | {"status": status, "reason": reason}
    meta = {"report_id": report.report_id, "agency": report.agency, "year": report.year, "format": report.format}
    return report, row | meta | {"status": "ok"}


def check_reports(
    reports: list[Report], ruleset: RuleSet, engines: tuple[str, ...] = ENGINES, gx_results: list | None = None
) -> pd.DataFrame:
    """Rule and layout findings for parsed reports, the whole batch validated as one frame per table.

    gx_results: a list that receives GX's validation result of each table (for Data Docs)."""
    batch = batch_frames(reports)
    explained = run_engines(batch, ruleset, engines, gx_results)
    return combine([rule_findings(explained, ruleset, batch.reports), layout_findings(reports)])


def report_table(statuses: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """statuses + error and warning counts per report."""
    counts = findings.dropna(subset=["report_id"]).groupby(["report_id", "severity"]).size().unstack(fill_value=0)
    out = statuses.copy()
    for column, severity in (("errors", "error"), ("warnings", "warning")):
        per_report = counts[severity] if severity in counts else pd.Series(dtype="int64")
        out[column] = out["report_id"].map(per_report).fillna(0).astype("int64")
    failed = out["status"] == "parse_error"
    out.loc[failed, "errors"] = 1  # the parse error itself
    return out[REPORT_COLUMNS].astype({"year": "Int64"})


def validate_paths(
    paths: Iterable[str | Path],
    ruleset: RuleSet | str | Path,
    engines: tuple[str, ...] = ENGINES,
    progress: Progress | None = None,
) -> Result:
    if not isinstance(ruleset, RuleSet):
        ruleset = load_ruleset(ruleset)
    reports, statuses = parse_files(collect_files(paths), progress)
    gx_results: list = []
    findings = combine([check_reports(reports, ruleset, engines, gx_results), parse_findings(statuses)])
    return Result(findings, report_table(statuses, findings), reports, gx_results)
