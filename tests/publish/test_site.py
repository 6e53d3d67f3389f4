"""The auditors' site: summary, plots, tables data, one page per report with its failing cells marked,
every piece of report content escaped, files only inside site/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from gxbg.cli import main
from gxbg.pipeline import check_reports, report_table
from gxbg.publish import plots
from gxbg.publish.site import build_site, report_page
from gxbg.report.model import Narrative
from tests.helpers import make_report, shipped_rules
from tests.publish.conftest import write_batch

EVIL = "<script>alert('x')</script>"


def load_data(site: Path) -> dict:
    text = (site / "data.js").read_text(encoding="utf-8")
    assert text.startswith("window.GXBG_DATA = ") and text.endswith(";\n")
    return json.loads(text[len("window.GXBG_DATA = "):-2])


def decoded(table: dict) -> list[dict]:
    rows = []
    for row in table["rows"]:
        record = dict(zip(table["columns"], row))
        for name, values in table["values"].items():
            if record[name] is not None:
                record[name] = values[record[name]]
        rows.append(record)
    return rows


def test_index_counts_plots_and_links(batch, published):
    index = (published / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and '<meta charset="utf-8">' in index
    errors = int((batch.findings["severity"] == "error").sum())
    assert re.search(rf'<div class="num">{errors}</div><div>错误', index)
    assert index.count("<svg") == 3  # category, coverage, error rate
    assert 'href="../data_docs/index.html"' in index and 'href="../findings.csv"' in index
    assert "https://" not in index and "http://" not in index.replace("http://www.w3.org", "")


def test_data_has_every_file_and_finding(batch, published):
    data = load_data(published / "site")
    files = decoded(data["files"])
    findings = decoded(data["findings"])
    assert len(files) == len(batch.reports) and len(findings) == len(batch.findings)
    assert sorted(r["status"] for r in files) == sorted(batch.reports["status"])
    broken = next(r for r in files if r["file"] == "broken.txt")
    assert broken["status"] == "parse_error" and broken["page"] is None
    for finding in findings:  # each finding points at its file's row
        if finding["file"] is not None:
            assert files[finding["file"]]["source"] in set(batch.findings["source"])
    assert {r["page"] for r in files if r["page"]} == {report_page(r.report_id) for r in batch.parsed}


def test_one_page_per_report_with_the_failing_cell_marked(batch, published):
    site = published / "site"
    assert len(list((site / "reports").glob("*.html"))) == len(batch.parsed)
    balance = batch.findings[(batch.findings["rule_id"] == "requests.balance") & (batch.findings["column"] == "natural_person")]
    assert not balance.empty
    hit = balance.iloc[0]
    page = (site / report_page(hit["report_id"])).read_text(encoding="utf-8")
    assert hit["message"] in page
    # 三, row 一、本年新收: the 自然人 cell (first value column) carries the error mark and its finding number
    row = re.search(r"<tr><td class=\"line\">\d*</td><th scope=\"row\"[^>]*>一、本年新收.*?</tr>", page).group(0)
    cells = re.findall(r"<td class=\"n[^\"]*\">", row)
    assert "mark sev-error" in cells[0]
    assert f'id="L{hit["line"]}"' in page  # the source line is quoted


def test_report_content_is_escaped_everywhere(tmp_path):
    report = make_report("evil1", agency=EVIL, requests={"new_received": [1, 0, 0, 0, 0, 0, 0]})
    report.title = f"{EVIL}2021年政府信息公开工作年度报告"
    report.source = f"/inbox/{EVIL}.txt"
    report.narrative["overview"] = Narrative(f"总体情况。{EVIL}", 5, 6)
    report.source_lines = {10: f"一、本年新收\t{EVIL}\t0"}
    findings = check_reports([report], shipped_rules())
    assert (findings["line"] == 10).any()
    findings.loc[0, "message"] = f"说明 {EVIL}"
    statuses = pd.DataFrame([{"source": report.source, "report_id": report.report_id, "agency": EVIL, "year": 2021,
                              "format": "2021", "status": "ok", "reason": None}])  # fmt: skip
    result = SimpleNamespace(findings=findings, reports=report_table(statuses, findings), parsed=[report])
    site = build_site(result, tmp_path).parent
    written = {p: p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".js")}
    assert not [p for p, text in written.items() if "<script>alert" in text]
    page = written[site / report_page("evil1")]
    assert page.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") >= 5  # agency, title, source, narrative, line, message
    assert "\\u003cscript>alert" in written[site / "data.js"]


def test_page_names_come_from_report_ids_only():
    assert report_page("0123456789abcdef") == "reports/0123456789abcdef.html"
    for odd in ("../../etc/passwd", "/abs", "A B", "报告", ".."):
        name = report_page(odd)
        assert re.fullmatch(r"reports/r-[0-9a-f]{24}\.html", name), name


def test_files_stay_inside_site_and_a_rebuild_replaces_it(batch, tmp_path):
    build_site(batch, tmp_path)
    (tmp_path / "site" / "reports" / "stale.html").write_text("old", encoding="utf-8")
    build_site(batch, tmp_path, reports=batch.parsed[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    pages = list((tmp_path / "site" / "reports").iterdir())
    assert sorted(p.name for p in pages) == sorted(Path(report_page(r.report_id)).name for r in batch.parsed[:2])


def test_plots_keep_chinese_as_text(batch):
    svg = plots.coverage_plot(batch.reports)
    agency = batch.parsed[0].agency
    assert svg.startswith("<svg") and f">{agency}</text>" in svg  # a browser sets it in a CJK font
    assert 'aria-label="机关 × 年度 报告覆盖情况"' in svg
    assert plots.category_plot(batch.findings.iloc[0:0]) is None
    clean = batch.reports.assign(errors=0)
    assert plots.error_rate_plot(clean) is None  # no agency with an error: nothing to draw


def test_validate_publishes_site_and_data_docs_unless_told_not_to(tmp_path):
    inbox = write_batch(tmp_path / "inbox", 3)
    assert main(["validate", str(inbox), "--out", str(tmp_path / "a"), "--fail-on", "never"]) == 0
    assert (tmp_path / "a" / "site" / "index.html").is_file() and (tmp_path / "a" / "data_docs" / "index.html").is_file()
    assert main(["validate", str(inbox), "--out", str(tmp_path / "b"), "--fail-on", "never", "--no-site", "--no-data-docs"]) == 0
    written = {p.name for p in (tmp_path / "b").iterdir()}
    assert "findings.csv" in written and not written & {"site", "data_docs"}


@pytest.mark.parametrize("engine", ["pandera"])
def test_no_data_docs_without_gx(tmp_path, engine, capsys):
    inbox = write_batch(tmp_path / "inbox", 2)
    main(["validate", str(inbox), "--out", str(tmp_path / "o"), "--engine", engine, "--fail-on", "never"])
    assert not (tmp_path / "o" / "data_docs").exists() and (tmp_path / "o" / "site" / "index.html").is_file()
    assert "no Data Docs" in capsys.readouterr().err


def test_a_run_without_data_docs_does_not_link_an_earlier_runs(tmp_path):
    inbox, out = write_batch(tmp_path / "inbox", 2), tmp_path / "o"
    main(["validate", str(inbox), "--out", str(out), "--fail-on", "never"])
    assert "../data_docs/index.html" in (out / "site" / "index.html").read_text(encoding="utf-8")
    main(["validate", str(inbox), "--out", str(out), "--fail-on", "never", "--engine", "pandera"])
    assert "../data_docs/index.html" not in (out / "site" / "index.html").read_text(encoding="utf-8")
