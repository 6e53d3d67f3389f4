from __future__ import annotations

import pandas as pd

from gxbg.findings import FINDINGS_COLUMNS
from gxbg.publish.summary import findings_rows, summarize, summary_markdown


def _findings(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([dict.fromkeys(FINDINGS_COLUMNS) | r for r in rows], columns=FINDINGS_COLUMNS)


FILES = pd.DataFrame(
    [
        {"source": "a.txt", "report_id": "a", "agency": "甲局", "status": "ok", "errors": 2, "warnings": 0},
        {"source": "a-copy.txt", "report_id": "a", "agency": "甲局", "status": "duplicate", "errors": 2, "warnings": 0},
        {"source": "b.txt", "report_id": "b", "agency": "乙局", "status": "ok", "errors": 0, "warnings": 3},
        {"source": "c.txt", "report_id": "c", "agency": "丙局", "status": "ok", "errors": 0, "warnings": 0},
        {"source": "x.txt", "report_id": None, "agency": None, "status": "parse_error", "errors": 1, "warnings": 0},
    ]
)
FINDINGS = _findings(
    [
        {"severity": "warning", "category": "zero_consistency", "rule_id": "w", "report_id": "b"},
        {"severity": "error", "category": "balance", "rule_id": "e1", "report_id": "a", "message": "a|b"},
        {"severity": "error", "category": "parse", "rule_id": "parse.error", "source": "x.txt"},
        {"severity": "info", "category": "layout", "rule_id": "layout.web_chrome", "report_id": "c"},
    ]
)


def test_summary_counts_files_findings_and_ranks_agencies_by_errors():
    summary = summarize(FINDINGS, FILES)
    assert (summary.files, summary.parsed, summary.distinct_reports) == (5, 3, 3)
    assert summary.statuses == {"ok": 3, "duplicate": 1, "parse_error": 1}
    assert summary.severities == {"error": 2, "warning": 1, "info": 1}
    assert summary.worst_agencies.to_dict("records") == [
        {"agency": "甲局", "reports": 1, "error": 2, "warning": 0},  # its copy is not counted twice
        {"agency": "乙局", "reports": 1, "error": 0, "warning": 3},
    ]
    by_category = summary.by_category.set_index("category")
    assert by_category.loc["balance", "error"] == 1 and by_category.loc["layout", "info"] == 1

    text = summary_markdown(summary, {"site": "/tmp/run/site/index.html"})
    assert "| 文件 files in | 5 (duplicate 1, ok 3, parse_error 1) |" in text
    assert "| 甲局 | 1 | 2 | 0 |" in text
    assert "[site](file:///tmp/run/site/index.html)" in text


def test_findings_table_puts_errors_first_and_has_no_blanks():
    rows = findings_rows(FINDINGS, limit=3)
    assert [r["severity"] for r in rows] == ["error", "error", "warning"]
    assert all(value is not None for row in rows for value in row.values())
