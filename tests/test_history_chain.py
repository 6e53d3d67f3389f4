"""`gxbg validate --db`: one run stores its reports, a later run checks the next year against them.

Year Y is validated into a history database; a later run validates Y+1 with the same database. When
Y+1's 上年结转 is not Y's 结转下年度继续办理, a cross_year finding appears that cites both files; when the
chain holds, none does. Validating a batch again stores nothing twice and finds the same.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from gxbg.cli import main
from gxbg.codes import APPLICANT_COLUMNS
from gxbg.history import open_history
from gxbg.synth import random_report, render
from gxbg.synth.writer import ReportData, overview_text

AGENCY = "新乡市应急管理局"
QUIET = ["--no-data-docs", "--no-site"]  # the chain is about findings and the history only


def year_report(year: int, seed: int) -> ReportData:
    return random_report(random.Random(seed), year=year, format="2021", agency=AGENCY)


def continue_from(previous: ReportData, data: ReportData, shift: int = 0) -> ReportData:
    """data's 上年结转 := previous's 结转下年度 (+ shift natural persons), the table kept balanced."""
    rows = data.requests
    for column in APPLICANT_COLUMNS:
        carried = previous.requests["carried_forward"][column] + (shift if column == "natural_person" else 0)
        rows["carried_over"][column] = carried
        new = rows["results_total"][column] + rows["carried_forward"][column] - carried
        if new < 0:  # more carried over than handled: the extra ones were granted
            for row in ("granted", "results_total"):
                rows[row][column] -= new
            new = 0
        rows["new_received"][column] = new
    for row in ("new_received", "carried_over", "granted", "results_total"):
        rows[row]["total"] = sum(rows[row][c] for c in APPLICANT_COLUMNS)
    for item in ("regulations", "normative_documents"):  # 现行有效 continues too
        now, then = data.active[item], previous.active[item]
        now["in_force"] = then["in_force"] + now["issued"] - now["repealed"]
    data.overview = overview_text(random.Random(data.year), data)  # the narrative restates the new figures
    return data


def write(folder: Path, data: ReportData) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{AGENCY}-{data.year}.txt"
    path.write_text(render(data, "tabs"), encoding="utf-8")
    return path


def validate(batch: Path, out: Path, db: str) -> pd.DataFrame:
    main(["validate", str(batch), "--out", str(out), "--db", db, *QUIET])
    return pd.read_csv(out / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture
def year_before(tmp_path) -> tuple[ReportData, Path, str]:
    """Year 2022 validated into a fresh history database (last year's run)."""
    data = year_report(2022, seed=11)
    data.requests["carried_forward"]["natural_person"] += 2  # something to carry
    data.requests["carried_forward"]["total"] += 2
    data.requests["new_received"]["natural_person"] += 2
    data.requests["new_received"]["total"] += 2
    data.overview = overview_text(random.Random(1), data)
    db = f"sqlite:///{tmp_path / 'history.sqlite'}"
    path = write(tmp_path / "batch-2022", data)
    findings = validate(path.parent, tmp_path / "out-2022", db)
    assert findings[findings["category"] == "cross_year"].empty  # nothing to compare with yet
    return data, path, db


def test_broken_chain_found_against_last_years_run(year_before, tmp_path):
    before, before_path, db = year_before
    data = continue_from(before, year_report(2023, seed=12), shift=1)
    path = write(tmp_path / "batch-2023", data)
    findings = validate(path.parent, tmp_path / "out-2023", db)
    chain = findings[findings["category"] == "cross_year"]
    assert sorted(zip(chain["rule_id"], chain["column"])) == [
        ("cross_year.carried_over", "natural_person"), ("cross_year.carried_over", "total"),
    ]
    carried = before.requests["carried_forward"]
    assert list(chain.sort_values("column")["expected"]) == [str(carried["natural_person"]), str(carried["total"])]
    assert list(chain.sort_values("column")["observed"]) == [str(carried["natural_person"] + 1), str(carried["total"] + 1)]
    # both sources: this year's file is the finding's, last year's is named in the message
    assert (chain["source"] == str(path)).all()
    assert chain["message"].str.contains(str(before_path), regex=False).all()
    assert chain["message"].str.contains("2022 年度报告").all()
    assert (chain["severity"] == "error").all() and (chain["engine"] == "pandera+gx").all()
    assert chain["line"].astype(int).gt(0).all()
    # the 2023 table itself is consistent: only the chain is broken
    assert findings[findings["category"].isin({"row_sum", "column_sum", "balance", "text_table"})].empty


def test_intact_chain_and_rerun_store_nothing_twice(year_before, tmp_path):
    before, _, db = year_before
    data = continue_from(before, year_report(2023, seed=12))
    path = write(tmp_path / "batch-2023", data)
    first = validate(path.parent, tmp_path / "out-a", db)
    assert first[first["category"] == "cross_year"].empty
    with open_history(db) as history:
        counts = (len(history.list_reports()), len(history.list_findings()))
    assert counts[0] == 2
    again = validate(path.parent, tmp_path / "out-b", db)  # the same batch once more
    with open_history(db) as history:
        assert (len(history.list_reports()), len(history.list_findings())) == counts
    assert sorted(again["rule_id"]) == sorted(first["rule_id"])  # it never meets its own stored copy
    assert again[again["rule_id"] == "coverage.duplicate"].empty


def test_default_database_is_in_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GXBG_DATABASE_URL", raising=False)
    path = write(tmp_path / "batch", year_report(2022, seed=3))
    main(["validate", str(path.parent), "--out", str(tmp_path / "out"), *QUIET])
    with open_history(tmp_path / "out" / "gxbg-history.sqlite") as history:
        assert list(history.list_reports()["year"]) == [2022]


def test_database_url_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GXBG_DATABASE_URL", f"sqlite:///{tmp_path / 'team.sqlite'}")
    path = write(tmp_path / "batch", year_report(2022, seed=3))
    main(["validate", str(path.parent), "--out", str(tmp_path / "out"), *QUIET])
    assert not (tmp_path / "out" / "gxbg-history.sqlite").exists()
    with open_history(tmp_path / "team.sqlite") as history:
        assert len(history.list_reports()) == 1


def test_manifest_lists_missing_reports(tmp_path):
    path = write(tmp_path / "batch", year_report(2022, seed=3))
    manifest = tmp_path / "agencies.csv"
    manifest.write_text(f"agency,year\n{AGENCY},2022\n卫辉市应急管理局,2022\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    status = main(["validate", str(path.parent), "--out", str(tmp_path / "out"), "--db", db, "--expect", str(manifest), *QUIET])
    findings = pd.read_csv(tmp_path / "out" / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    missing = findings[findings["rule_id"] == "coverage.missing"]
    assert list(zip(missing["report_id"], missing["source"], missing["agency"], missing["year"], missing["line"])) == [
        ("", str(manifest), "卫辉市应急管理局", "2022", "3"),
    ]
    assert status == 1  # a missing report is an error


def test_unusable_database_or_manifest_is_a_usage_error(tmp_path, capsys):
    path = write(tmp_path / "batch", year_report(2022, seed=3))
    assert main(["validate", str(path), "--out", str(tmp_path / "o"), "--db", "mysql://nobody@nowhere/x", *QUIET]) == 2
    assert "history database" in capsys.readouterr().err
    bad = tmp_path / "m.csv"
    bad.write_text("name,year\n甲,2022\n", encoding="utf-8")
    assert main(["validate", str(path), "--out", str(tmp_path / "o"), "--expect", str(bad), *QUIET]) == 2
    assert "m.csv:1:" in capsys.readouterr().err
