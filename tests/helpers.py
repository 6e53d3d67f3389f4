"""Hand-made reports and rule sets for rule, engine and findings tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from gxbg.codes import APPEAL_CODES, APPEAL_SUFFIXES, REQUEST_COLUMNS, REQUEST_ROWS
from gxbg.engines import run_engines
from gxbg.findings import format_value, rule_findings
from gxbg.kinds.ruleset import RuleSet, load_ruleset
from gxbg.report.frames import batch_frames
from gxbg.report.model import LayoutNote, Narrative, Report
from gxbg.rules import default_rules_dir

REQUEST_LINE0 = 10  # source line of new_received; the rows follow one per line
APPEALS_LINE = 50
NARRATIVE_LINE0 = {"preamble": 3, "overview": 5, "problems": 80, "other": 90}


def make_report(
    report_id: str = "r1",
    *,
    requests: dict[str, Any] | None = None,
    appeals: dict[str, Any] | None = None,
    active: dict[str, dict[str, float]] | None = None,
    year: int = 2021,
    fmt: str = "2021",
    agency: str = "测试机关",
    layout: list[LayoutNote] | None = None,
    narrative: dict[str, str | list[str]] | None = None,
    title: str | None = None,
    published: str | None = None,
) -> Report:
    """A Report from dicts. requests: row -> [7 values in column order] or {column: value};
    appeals: code (review_total) -> value, or group (review) -> [upheld, corrected, other, pending, total];
    active: item -> {measure: value}. Cells not given are blank (NA).
    narrative: section (preamble, overview, problems, other) -> its lines (a text is one line), numbered
    from NARRATIVE_LINE0[section]; title defaults to "<agency><year>年政府信息公开工作年度报告" on line 1;
    published (ISO date) sits on line 2."""
    assert len(report_id) <= 16, "report_id is the first 16 characters of the content hash"
    report = Report(source=f"{report_id}.txt", agency=agency, year=year, format=fmt, content_hash=report_id)
    report.title, report.title_line = title or f"{agency}{year}年政府信息公开工作年度报告", 1
    report.published, report.published_line = published, 2 if published else None
    for section, text in (narrative or {}).items():
        lines = [text] if isinstance(text, str) else list(text)
        start = NARRATIVE_LINE0[section]
        numbers = tuple(range(start, start + len(lines)))
        report.narrative[section] = Narrative("\n".join(lines), numbers[0], numbers[-1], numbers)
    for row, cells in (requests or {}).items():
        values = dict(zip(REQUEST_COLUMNS, cells)) if isinstance(cells, list) else cells
        for column, value in values.items():
            report.request_values[row][REQUEST_COLUMNS.index(column)] = value
    report.request_line = {row: REQUEST_LINE0 + i for i, row in enumerate(REQUEST_ROWS)}
    for key, value in (appeals or {}).items():
        codes = {f"{key}_{s}": v for s, v in zip(APPEAL_SUFFIXES, value)} if isinstance(value, list) else {key: value}
        for code, v in codes.items():
            report.appeal_values[APPEAL_CODES.index(code)] = v
    report.appeal_line = APPEALS_LINE
    report.active_records = [
        (item, measure, value, 5 + i) for i, (item, measures) in enumerate((active or {}).items()) for measure, value in measures.items()
    ]
    report.layout = list(layout or [])
    return report


def shipped_rules() -> RuleSet:
    return load_ruleset(default_rules_dir())


def ruleset_from(rules: list[dict[str, Any]], folder: Path) -> RuleSet:
    """Write rules as YAML into folder (so they go through the real loader) and load them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_ruleset(folder)


def subset(ruleset: RuleSet, rule_ids: list[str]) -> RuleSet:
    return RuleSet(ruleset.name, [ruleset.rule(i) for i in rule_ids])


def findings_by_engine(reports: list[Report], ruleset: RuleSet, engine: str) -> pd.DataFrame:
    batch = batch_frames(reports)
    return rule_findings(run_engines(batch, ruleset, (engine,)), ruleset, batch.reports)


def failure_keys(findings: pd.DataFrame) -> set[tuple]:
    """(report_id, rule_id, row, column, observed, expected) of every finding."""
    cols = ["report_id", "rule_id", "row", "column", "observed", "expected"]
    return {tuple(None if pd.isna(v) else v for v in rec) for rec in findings[cols].itertuples(index=False)}


def expected_key(rule_id: str, item: dict[str, Any]) -> tuple:
    return (
        item["report_id"],
        rule_id,
        item["row"],
        item["column"],
        format_value(item["observed"]),
        format_value(item["expected"]),
    )


def run_in_daemon(fn, *args) -> tuple[str, Any]:
    """fn(*args) in a daemonic forked process, as Dask runs the flow's tasks (a daemonic process may not
    have children): ("ok", its value) or ("error", the exception's repr)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_report_to, args=(queue, fn, args), daemon=True)
    process.start()
    outcome = queue.get(timeout=300)
    process.join()
    return outcome


def _report_to(queue, fn, args) -> None:
    try:
        queue.put(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        queue.put(("error", repr(exc)))
