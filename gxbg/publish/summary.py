"""A run's summary for operators: counts by status, severity and category, the worst agencies.

Plain data and Markdown (Prefect renders it as the run's summary artifact; `gxbg demo` prints the same
numbers); no Prefect import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gxbg.findings import SEVERITY_ORDER

WORST_AGENCIES = 10
TABLE_COLUMNS = ["severity", "category", "rule_id", "agency", "year", "section", "row", "column", "observed",
                 "expected", "message", "source", "line"]  # fmt: skip


@dataclass
class Summary:
    files: int
    parsed: int  # files parsed as reports
    distinct_reports: int  # identical files count once
    statuses: dict[str, int]  # ok / parse_error / unsupported -> files
    severities: dict[str, int]  # error / warning / info -> findings
    by_category: pd.DataFrame  # category, error, warning, info
    worst_agencies: pd.DataFrame  # agency, reports, error, warning


def summarize(findings: pd.DataFrame, reports: pd.DataFrame) -> Summary:
    """findings: gxbg.findings.FINDINGS_COLUMNS; reports: the per-file table (gxbg.pipeline.REPORT_COLUMNS)."""
    ok = reports[reports["status"] == "ok"]
    return Summary(
        files=len(reports),
        parsed=len(ok),
        distinct_reports=int(ok["report_id"].nunique()),
        statuses={str(k): int(v) for k, v in reports["status"].value_counts().items()},
        severities={s: int((findings["severity"] == s).sum()) for s in SEVERITY_ORDER},
        by_category=_by_category(findings),
        worst_agencies=_worst_agencies(ok),
    )


def _by_category(findings: pd.DataFrame) -> pd.DataFrame:
    if findings.empty:
        return pd.DataFrame(columns=["category", *SEVERITY_ORDER])
    counts = pd.crosstab(findings["category"].fillna("-"), findings["severity"])
    counts = counts.reindex(columns=list(SEVERITY_ORDER), fill_value=0)
    counts = counts.sort_values(list(SEVERITY_ORDER), ascending=False)
    counts.columns.name = None
    return counts.reset_index().astype({s: "int64" for s in SEVERITY_ORDER})


def _worst_agencies(ok: pd.DataFrame) -> pd.DataFrame:
    """Agencies by errors, then warnings, over their distinct reports (a copied file counts once)."""
    per_report = ok.drop_duplicates("report_id")
    if per_report.empty:
        return pd.DataFrame(columns=["agency", "reports", "error", "warning"])
    grouped = per_report.groupby(per_report["agency"].fillna("(未识别 unknown)"))
    table = grouped.agg(reports=("report_id", "size"), error=("errors", "sum"), warning=("warnings", "sum"))
    table = table[(table["error"] > 0) | (table["warning"] > 0)]
    table = table.sort_values(["error", "warning"], ascending=False).head(WORST_AGENCIES)
    return table.reset_index().astype({"reports": "int64", "error": "int64", "warning": "int64"})


def summary_markdown(summary: Summary, links: dict[str, Path] | None = None, title: str = "validate-batch") -> str:
    """The run's summary as Markdown; links (site, Data Docs, findings) point at the published files."""
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.statuses.items())) or "-"
    lines = [
        f"# {title}: 校验结果 (validation summary)",
        "",
        "| | |",
        "|---|---|",
        f"| 文件 files in | {summary.files} ({statuses}) |",
        f"| 解析成功 reports parsed | {summary.parsed} ({summary.distinct_reports} distinct) |",
        f"| 错误 errors | {summary.severities['error']} |",
        f"| 警告 warnings | {summary.severities['warning']} |",
        f"| 提示 info | {summary.severities['info']} |",
        "",
        "## 按类别 by category",
        "",
        _markdown_table(summary.by_category) if not summary.by_category.empty else "_no findings_",
        "",
        "## 问题最多的机关 worst agencies",
        "",
        _markdown_table(summary.worst_agencies) if not summary.worst_agencies.empty else "_none_",
    ]
    if links:
        lines += ["", "## 发布 published", ""]
        lines += [f"- [{name}]({Path(path).resolve().as_uri()})" for name, path in links.items()]
    return "\n".join(lines) + "\n"


def _markdown_table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_cell(v) for v in record) + " |" for record in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _cell(value) -> str:
    return "" if value is None or value is pd.NA else str(value).replace("|", "\\|").replace("\n", " ")


def findings_rows(findings: pd.DataFrame, limit: int = 1000) -> list[dict]:
    """The most severe findings first, as plain records (a table artifact); at most limit rows."""
    order = findings["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER))
    top = findings.assign(_order=order).sort_values("_order", kind="stable").head(limit)
    top = top[TABLE_COLUMNS].astype(object)
    return top.where(top.notna(), "").to_dict("records")
