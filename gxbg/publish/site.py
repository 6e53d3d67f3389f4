"""Our own auditor site for one run: DIR/site/index.html and one page per report, readable offline.

API (used by `gxbg validate` and the Prefect flow, through gxbg.pipeline.publish):

    build_site(result, out_dir, reports=None, *, data_docs=None) -> Path
        result: anything with .findings (gxbg.findings.FINDINGS_COLUMNS) and .reports (one row per input
            file, gxbg.pipeline.REPORT_COLUMNS) DataFrames, e.g. gxbg.pipeline.Result.
        reports: the run's parsed Report objects; default result.parsed.
        data_docs: link the GX Data Docs (out_dir/data_docs/index.html)? Default: when that file exists,
            so build the Data Docs first.
        Writes out_dir/site/ (index.html, data.js, static/, reports/<id>.html), replacing the site of a
        previous run as a whole, and returns the path of index.html.

    report_page(report_id) -> str: a report's page, relative to site/ ("reports/<id>.html").

index.html: counts by severity and category, three plots (gxbg.publish.plots), and the files and
findings tables, filtered and sorted by a little inline JavaScript from data.js (no CDN, works from
file://). A report page shows its tables 二, 三 and 四 with failing cells marked, the messages beside
them, the quoted source lines and the narrative. Every piece of report content is HTML-escaped
(Jinja2 autoescape; the table data is JSON with "<" escaped); page names come from report ids only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any, Sequence

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from gxbg import collector
from gxbg.codes import (
    ACTIVE_ITEMS,
    APPEAL_CODES,
    APPEAL_GROUPS,
    APPEAL_SUFFIXES,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    ROWS_ABSENT_2019,
)
from gxbg.findings import SEVERITY_ORDER
from gxbg.publish import plots
from gxbg.publish.files import replace_dir
from gxbg.report.model import Report
from gxbg.report.parser import SECTION_NAMES
from gxbg.rules.labels import label

FOLDER = "site"
ASSETS = Path(__file__).parent / "assets" / "site"
TEMPLATES = Path(__file__).parent / "templates" / "site"
SEVERITY_NAMES = plots.SEVERITY_NAMES
STATUS_NAMES = {"ok": "已解析", "parse_error": "解析失败", "unsupported": "不支持的文件", "too_large": "文件过大",
                "needs_ocr": "需要 OCR", "duplicate": "重复文件", "unreadable": "无法读取"}  # fmt: skip
SECTION_SHORT = {"overview": "一 总体情况", "active": "二 主动公开", "requests": "三 依申请公开", "appeals": "四 复议诉讼",
                 "problems": "五 问题与改进", "other": "六 其他事项"}  # fmt: skip
NARRATIVE_NAMES = {"preamble": "前言", "overview": SECTION_NAMES["overview"], "problems": SECTION_NAMES["problems"],
                   "other": SECTION_NAMES["other"]}  # fmt: skip
FINDING_CODED = ("severity", "category", "rule_id", "agency", "year", "section", "where", "engine")
QUOTE_CONTEXT = 2  # source lines shown either side of a finding's line
MAX_QUOTED = 400  # source lines quoted on one report page
_SAFE_ID = re.compile(r"[0-9a-z_-]{1,64}")


def report_page(report_id: str) -> str:
    """The page of a report, relative to site/: from the id alone, never from an input file name."""
    name = report_id if _SAFE_ID.fullmatch(report_id) else "r-" + hashlib.sha256(report_id.encode()).hexdigest()[:24]
    return f"reports/{name}.html"


def build_site(result: Any, out_dir: str | Path, reports: Sequence[Report] | None = None, *,
               data_docs: bool | None = None) -> Path:  # fmt: skip
    """Write out_dir/site/ for a run; returns its index.html."""
    out = Path(out_dir)
    parsed = list(result.parsed if reports is None else reports)
    if data_docs is None:
        data_docs = (out / "data_docs" / "index.html").is_file()
    siblings = [name for name in ("findings.csv", "findings.json", "findings.parquet", "reports.csv") if (out / name).is_file()]
    site = Site(result.findings, result.reports, parsed, data_docs, siblings)
    return replace_dir(out / FOLDER, site.write) / "index.html"


class Site:
    def __init__(self, findings: pd.DataFrame, files: pd.DataFrame, reports: list[Report], data_docs: bool,
                 siblings: list[str]) -> None:  # fmt: skip
        self.findings = findings
        self.files = files
        self.reports = reports
        self.data_docs = data_docs
        self.siblings = siblings
        self.pages = {r.report_id: report_page(r.report_id) for r in reports}
        self.generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z")

    def write(self, folder: Path) -> None:
        shutil.copytree(ASSETS, folder / "static")
        (folder / "reports").mkdir()
        _write(folder, "data.js", self.data_js())
        _write(folder, "index.html", _env().get_template("index.html.j2").render(self.index_context()))
        template = _env().get_template("report.html.j2")
        by_report = _findings_by_report(self.findings)
        # Pages allocate millions of short-lived objects and no cycles, while the batch's reports make the
        # heap large: collections would cost more than a tenth of the publishing time.
        with collector.paused():
            for report in self.reports:
                context = report_context(report, by_report.get(report.report_id, []))
                _write(folder, self.pages[report.report_id], template.render(context, generated=self.generated))

    # -- index -------------------------------------------------------------------------------------

    def index_context(self) -> dict[str, Any]:
        f, files = self.findings, self.files
        severity = {s: int((f["severity"] == s).sum()) for s in SEVERITY_ORDER}
        return {
            "root": "",
            "generated": self.generated,
            "files": len(files),
            "statuses": [(STATUS_NAMES.get(k, k), k, int(v)) for k, v in files["status"].value_counts().items()],
            "distinct_reports": len(self.reports),
            "severity": [(SEVERITY_NAMES[s], s, n) for s, n in severity.items()],
            "categories": _category_rows(f),
            "plots": {name: Markup(svg) if svg else None for name, svg in self.plots().items()},  # matplotlib escapes text
            "data_docs": self.data_docs,
            "siblings": self.siblings,
        }

    def plots(self) -> dict[str, str | None]:
        return {
            "categories": plots.category_plot(self.findings),
            "coverage": plots.coverage_plot(self.files),
            "error_rate": plots.error_rate_plot(self.files),
        }

    def data_js(self) -> str:
        files = self.file_rows()
        data = {
            # repeated values (rule, category, agency...) stored once per table, rows hold their index
            "files": _table(files, coded=("status", "agency", "year", "format")),
            "findings": _table(self.findings_rows(files), coded=FINDING_CODED),
            "labels": {
                "severity": SEVERITY_NAMES, "status": STATUS_NAMES, "section": SECTION_SHORT,
                "category": {c: plots.category_label(c) for c in self.findings["category"].dropna().unique()},
            },
        }  # fmt: skip
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain)
        # inert in any context: no "</script>", no line separators that older JS engines reject
        text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return f"window.GXBG_DATA = {text};\n"

    def findings_rows(self, files: pd.DataFrame) -> pd.DataFrame:
        """One row per finding; file: the row of its file in the files table (file name, path, page)."""
        f = self.findings
        where = [_where(r, c) for r, c in zip(f["row"].tolist(), f["column"].tolist())]
        file_row = pd.Series(range(len(files)), index=files["source"]).groupby(level=0).first()
        return pd.DataFrame({
            "severity": f["severity"], "category": f["category"], "rule_id": f["rule_id"], "agency": f["agency"],
            "year": f["year"], "section": f["section"], "where": where, "message": f["message"], "line": f["line"],
            "engine": f["engine"], "file": f["source"].map(file_row).astype("Int64"),
        })  # fmt: skip

    def file_rows(self) -> pd.DataFrame:
        r = self.files
        return pd.DataFrame({
            "file": _basename(r["source"]), "source": r["source"], "status": r["status"], "agency": r["agency"],
            "year": r["year"], "format": r["format"], "errors": r["errors"], "warnings": r["warnings"],
            "reason": r["reason"], "page": r["report_id"].map(self.pages),
        })  # fmt: skip


# -- report pages ----------------------------------------------------------------------------------


def report_context(report: Report, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """What report.html.j2 shows of one report; findings: its rows of the findings table."""
    notes = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["line"] or 0, f["rule_id"]))
    for number, note in enumerate(notes, 1):
        note["number"] = number
        note["where"] = _where(note["row"], note["column"])
    marks = _marks(notes)
    counts = {s: sum(1 for n in notes if n["severity"] == s) for s in SEVERITY_ORDER}
    return {
        "root": "../",
        "report": report,
        "agency": report.agency or plots.UNKNOWN_AGENCY,
        "notes": notes,
        "counts": [(SEVERITY_NAMES[s], s, n) for s, n in counts.items()],
        "sections": [
            _section("active", _active_table(report, marks), notes),
            _section("requests", _requests_table(report, marks), notes),
            _section("appeals", _appeals_table(report, marks), notes),
        ],
        "other_notes": [n for n in notes if n["section"] not in ("active", "requests", "appeals")],
        "quoted": _quoted(report, notes),
        "narrative": [
            (NARRATIVE_NAMES[name], part) for name, part in report.narrative.items() if name in NARRATIVE_NAMES and part.text
        ],
        "severity_names": SEVERITY_NAMES,
        "section_names": SECTION_NAMES,
    }


def _section(code: str, table: dict[str, Any], notes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": code, "title": SECTION_NAMES[code], "table": table, "notes": [n for n in notes if n["section"] == code]}


def _marks(notes: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """(section, row, column) -> worst severity and finding numbers; column None marks the row label."""
    marks: dict[tuple, dict[str, Any]] = {}
    for note in notes:
        if note["row"] is None and note["column"] is None:
            continue
        mark = marks.setdefault((note["section"], note["row"], note["column"]), {"severity": note["severity"], "numbers": []})
        mark["numbers"].append(note["number"])
        if SEVERITY_ORDER.get(note["severity"], 9) < SEVERITY_ORDER.get(mark["severity"], 9):
            mark["severity"] = note["severity"]
    return marks


def _cell(value: Any, mark: dict[str, Any] | None, absent: bool = False) -> str:
    """One table cell as HTML (value escaped). Built here rather than in the template: a run renders
    millions of cells, and a Jinja loop per cell would take most of the publishing time."""
    text = "—" if absent else _number(value)
    if isinstance(value, str):  # numbers need no escaping; text (a parser's odd cell) does
        text = escape(text)
    if mark is None:
        return f'<td class="n">{text}</td>'
    return f'<td class="n mark sev-{escape(mark["severity"])}">{text}{_refs(mark["numbers"])}</td>'


def _refs(numbers: Sequence[int]) -> str:
    return "".join(f'<a class="ref" href="#f{int(n)}">{int(n)}</a>' for n in numbers)


def _requests_table(report: Report, marks: dict) -> dict[str, Any]:
    rows = []
    for code in REQUEST_ROWS:
        values = report.request_values.get(code) or [None] * len(REQUEST_COLUMNS)
        absent = report.format == "2019" and code in ROWS_ABSENT_2019  # the 2019 form has no such row
        cells = [_cell(v, marks.get(("requests", code, column)), absent) for v, column in zip(values, REQUEST_COLUMNS)]
        rows.append(_row(code, report.request_line.get(code), cells, marks.get(("requests", code, None))))
    return {"columns": [label(c) for c in REQUEST_COLUMNS], "rows": rows}


def _appeals_table(report: Report, marks: dict) -> dict[str, Any]:
    values = dict(zip(APPEAL_CODES, report.appeal_values))
    rows = []
    for group in APPEAL_GROUPS:
        cells = [_cell(values.get(f"{group}_{s}"), marks.get(("appeals", s, group))) for s in APPEAL_SUFFIXES]
        rows.append(_row(group, report.appeal_line, cells, marks.get(("appeals", None, group))))
    return {"columns": [label(s) for s in APPEAL_SUFFIXES], "rows": rows}


def _active_table(report: Report, marks: dict) -> dict[str, Any]:
    """二 as (item, measure) rows: the measures differ from item to item."""
    found = {(item, measure): (value, line) for item, measure, value, line in report.active_records}
    items = ACTIVE_ITEMS.get(report.format or "") or {}
    expected = [(item, m) for item, measures in items.items() for m in measures]
    extra = [key for key in found if key not in set(expected)]
    keys = [*expected, *extra]
    rows = []
    for i, (item, measure) in enumerate(keys):
        value, line = found.get((item, measure), (None, None))
        row = _row(item, line, [_cell(value, marks.get(("active", item, measure)))], marks.get(("active", item, None)),
                   measure=label(measure))  # fmt: skip
        first = i == 0 or keys[i - 1][0] != item
        row["span"] = sum(1 for key in keys[i:] if key[0] == item) if first else 0  # item cell spans its measures
        rows.append(row)
    return {"columns": ["数值"], "rows": rows}


def _row(code: str, line: int | None, cells: list[str], mark: dict | None, measure: str | None = None) -> dict[str, Any]:
    return {"code": code, "label": label(code), "measure": measure, "line": line, "cells": Markup("".join(cells)),
            "severity": mark["severity"] if mark else None, "refs": Markup(_refs(mark["numbers"]) if mark else "")}  # fmt: skip


def _quoted(report: Report, notes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Blocks of consecutive source lines around the findings' lines (those the report kept)."""
    flagged: dict[int, str] = {}
    for note in notes:
        if note["line"] is not None:
            line = int(note["line"])
            if SEVERITY_ORDER.get(note["severity"], 9) < SEVERITY_ORDER.get(flagged.get(line, "none"), 9):
                flagged[line] = note["severity"]
    wanted = sorted({n for line in flagged for n in range(line - QUOTE_CONTEXT, line + QUOTE_CONTEXT + 1)
                     if n in report.source_lines})[:MAX_QUOTED]  # fmt: skip
    blocks: list[list[dict[str, Any]]] = []
    for n in wanted:
        if not blocks or blocks[-1][-1]["no"] != n - 1:
            blocks.append([])
        blocks[-1].append({"no": n, "text": report.source_lines[n].replace("\t", "    "), "severity": flagged.get(n)})
    return blocks


# -- helpers ---------------------------------------------------------------------------------------


def _findings_by_report(findings: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    columns = ["report_id", "rule_id", "category", "severity", "section", "row", "column", "observed", "expected",
               "message", "line", "engine"]  # fmt: skip
    rows = findings[findings["report_id"].notna()][columns]
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in rows.astype(object).where(rows.notna(), None).to_dict("records"):
        grouped.setdefault(record["report_id"], []).append(record)
    return grouped


def _category_rows(findings: pd.DataFrame) -> list[dict[str, Any]]:
    if findings.empty:
        return []
    counts = pd.crosstab(findings["category"].fillna("-"), findings["severity"])
    counts = counts.reindex(columns=list(SEVERITY_ORDER), fill_value=0)
    counts = counts.assign(total=counts.sum(axis=1)).sort_values("total", ascending=False)
    return [{"code": code, "label": plots.category_label(code), **{k: int(v) for k, v in row.items()}}
            for code, row in counts.iterrows()]  # fmt: skip


def _where(row: str | None, column: str | None) -> str:
    return " / ".join(label(part) for part in (row, column) if part is not None and part is not pd.NA)


def _basename(sources: pd.Series) -> pd.Series:
    return sources.map(lambda s: s.replace("\\", "/").rsplit("/", 1)[-1] if isinstance(s, str) else s)


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else str(int(value)) if value.is_integer() else str(value)
    return "" if value is pd.NA else str(value)


def _table(frame: pd.DataFrame, coded: Sequence[str] = ()) -> dict[str, Any]:
    """{"columns", "rows", "values"}: a coded column's cells are indexes into values[column] (blank: null)."""
    frame = frame.copy()
    values = {}
    for column in coded:
        codes, uniques = pd.factorize(frame[column])
        values[column] = [_plain(v) for v in uniques]
        frame[column] = pd.array([None if c < 0 else int(c) for c in codes], dtype="Int64")
    rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return {"columns": list(frame.columns), "rows": rows, "values": values}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)


def _write(folder: Path, relative: str, text: str) -> None:
    """A file of the site being built (the folder is swapped in whole, so plain writes suffice)."""
    if os.path.isabs(relative) or os.path.normpath(relative).startswith(".."):
        raise ValueError(f"site file outside the site folder: {relative}")
    (folder / relative).write_text(text, encoding="utf-8")


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: report text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
