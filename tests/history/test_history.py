"""The history database on SQLite and PostgreSQL: idempotent storage, cross-year look-ups, findings, CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.exc import IntegrityError

from gxbg.agency import agency_key
from gxbg.cli import main
from gxbg.history import ENV_URL, StoredReport, default_url, open_history, report_hashes, resolve_url
from tests.history.conftest import shared_dir


@pytest.fixture
def history(db_url):
    with open_history(db_url) as h:
        yield h


def by_agency(reports, agency):
    return next(r for r in reports if r.agency == agency)


# --- reports -------------------------------------------------------------------------------------


def test_store_seeds_once(history, seed_reports):
    assert len(seed_reports) == 5
    assert history.store_reports(seed_reports) == 5
    assert history.store_reports(seed_reports) == 0
    listed = history.list_reports()
    assert len(listed) == 5
    assert sorted(listed["content_hash"]) == sorted(r.content_hash for r in seed_reports)
    assert set(listed["agency"]) == {r.agency for r in seed_reports}


def test_partly_new_batch_stores_only_the_new(history, seed_reports):
    assert history.store_reports(seed_reports[:3]) == 3
    # Duplicates inside one batch count once too.
    assert history.store_reports(seed_reports + seed_reports[3:]) == 2
    assert len(history.list_reports()) == 5


def test_reopened_database_keeps_reports(db_url, seed_reports):
    with open_history(db_url) as first:
        first.store_reports(seed_reports)
    with open_history(db_url) as again:  # create_all on an existing schema is a no-op
        assert again.store_reports(seed_reports) == 0
        assert len(again.list_reports()) == 5


def test_previous_year_finds_by_agency_key_and_year(history, seed_reports):
    history.store_reports(seed_reports)
    found = history.previous_year({agency_key("定西市 应急管理局")}, {2020})
    assert [(s.agency, s.year, s.format) for s in found] == [("定西市应急管理局", 2020, "2019")]
    assert history.previous_year({agency_key("定西市应急管理局")}, {2019, 2021}) == []
    # A longer name is another body: no merging of 枣庄市台儿庄区… with 台儿庄区….
    assert history.previous_year({agency_key("台儿庄区应急管理局")}, {2021}) == []
    keys = {agency_key(r.agency) for r in seed_reports}
    assert len(history.previous_year(keys, {2021})) == 3  # 卫辉, 辉县, 枣庄台儿庄
    assert history.previous_year(keys, set()) == []


def test_stored_values_round_trip(history, seed_reports):
    history.store_reports(seed_reports)
    for report in seed_reports:
        [stored] = history.previous_year({agency_key(report.agency)}, {report.year})
        assert isinstance(stored, StoredReport)
        assert stored.content_hash == report.content_hash
        assert (stored.report_id, stored.source) == (report.report_id, report.source)
        assert stored.request_values == report.request_values
        assert stored.appeal_values == report.appeal_values
        assert stored.active_records == report.active_records


def test_stored_report_reads_cells_for_cross_year_rules(history, seed_reports):
    history.store_reports(seed_reports)
    report = by_agency(seed_reports, "卫辉市应急管理局")
    [stored] = history.previous_year({agency_key(report.agency)}, {2021})
    assert stored.request("new_received", "commercial") == report.requests.at["new_received", "commercial"] == 56
    assert stored.request("carried_forward", "total") == report.requests.at["carried_forward", "total"]
    assert stored.active_value("penalties", "decisions") == 56.0
    assert stored.active_value("fees", "amount_10k_yuan") is None  # row absent in this seed


def test_many_agency_keys_are_looked_up_in_chunks(history, seed_reports):
    history.store_reports(seed_reports)
    keys = {f"某县第{i}局" for i in range(1200)} | {agency_key("延津县应急管理局")}
    assert [s.agency for s in history.previous_year(keys, {2023})] == ["延津县应急管理局"]


def test_all_copies_of_a_body_year_are_returned(history):
    # The real corpus holds pingtan-2023 twice (HTML and the crawled text): cross-year rules see both.
    from gxbg.report import parse_file

    folder = shared_dir("corpus", "real")
    names = ("pingtan-2021.html", "pingtan-2023.html", "pingtan-2023.crawled.txt")
    batch = [parse_file(folder / name) for name in names]
    assert history.store_reports(batch) == 3
    found = history.previous_year({agency_key("平潭综合实验区")}, {2021, 2023})
    assert sorted((s.year, Path(s.source).name) for s in found) == [
        (2021, "pingtan-2021.html"), (2023, "pingtan-2023.crawled.txt"), (2023, "pingtan-2023.html")]


# --- findings ------------------------------------------------------------------------------------


def findings_frame(reports) -> pd.DataFrame:
    first, second = reports[0].report_id, reports[1].report_id
    return pd.DataFrame({
        "report_id": [first, first, first, second, None],
        "rule_id": ["balance", "balance", "balance", "row_sum", "coverage"],
        "category": ["balance", "balance", "balance", "row_sum", "coverage"],
        "severity": ["error", "error", "error", "warning", "error"],
        "table": ["requests"] * 4 + [None],
        "row": ["new_received", "new_received", "granted", pd.NA, None],
        "column": ["total", "total", "total", "commercial", None],
        "observed": [5, 5, 7, 3.5, None],
        "expected": [6, 6, 8, float("nan"), None],
        "message": ["m"] * 5,
        "line": pd.array([80, 80, 81, pd.NA, pd.NA], dtype="Int64"),
        "engine": ["pandera", "gx", "pandera", "gx", "pandera"],
    })


def test_findings_are_stored_once(history, seed_reports):
    history.store_reports(seed_reports)
    frame = findings_frame(seed_reports)
    hashes = report_hashes(seed_reports)
    # Row 2 repeats row 1 from the other engine; the batch-level row 5 belongs to no report.
    assert history.store_findings(frame, hashes) == 3
    assert history.store_findings(frame, hashes) == 0
    stored = history.list_findings()
    assert len(stored) == 3
    first = stored[stored["rule_id"] == "balance"].sort_values("line")
    assert first["engine"].tolist() == ["pandera", "pandera"]  # the first copy is kept
    assert first["section"].tolist() == ["requests", "requests"]  # "table" read as the section
    assert first["observed"].tolist() == [5, 7] and first["expected"].tolist() == [6, 8]
    nan_row = stored[stored["rule_id"] == "row_sum"].iloc[0]
    assert nan_row["expected"] is None and nan_row["row"] is None and pd.isna(nan_row["line"])


def test_same_finding_with_new_values_is_another_finding(history, seed_reports):
    history.store_reports(seed_reports)
    hashes = report_hashes(seed_reports)
    frame = findings_frame(seed_reports).iloc[[0]]
    assert history.store_findings(frame, hashes) == 1
    assert history.store_findings(frame.assign(observed=[9]), hashes) == 1
    assert history.store_findings(frame.assign(message=["reworded"], severity=["warning"]), hashes) == 0
    assert history.store_findings(frame.assign(observed=[5.0], expected=[6.0], engine=["gx"]), hashes) == 0


def test_findings_without_values_are_told_apart_by_message(history, seed_reports):
    history.store_reports(seed_reports)
    note = findings_frame(seed_reports).iloc[[0]].assign(observed=[None], expected=[None], engine=["parser"])
    hashes = report_hashes(seed_reports)
    assert history.store_findings(note, hashes) == 1
    assert history.store_findings(note.assign(message=["another note on the same line"]), hashes) == 1
    assert history.store_findings(note, hashes) == 0


def test_findings_need_a_hash_and_a_stored_report(history, seed_reports):
    frame = findings_frame(seed_reports).iloc[[0]]
    with pytest.raises(KeyError, match=seed_reports[0].report_id):
        history.store_findings(frame, {})
    # Report not stored: the foreign key refuses the finding (SQLite enforces it per connection).
    with pytest.raises(IntegrityError):
        history.store_findings(frame, report_hashes(seed_reports))
    assert history.store_findings(frame.iloc[0:0], {}) == 0


def test_record_run(history):
    started = datetime(2026, 1, 31, 8, 0, tzinfo=UTC)
    first = history.record_run(files=5, reports=5, errors=2, warnings=7, started_at=started)
    second = history.record_run(files=1, reports=0, errors=1, warnings=0)
    assert second > first
    runs = history.list_runs()
    assert runs[["files", "reports", "errors", "warnings"]].values.tolist() == [[5, 5, 2, 7], [1, 0, 1, 0]]
    assert pd.Timestamp(runs["started_at"].iloc[0]).replace(tzinfo=None) == started.replace(tzinfo=None)


# --- where the database is ------------------------------------------------------------------------


def test_default_url_is_a_sqlite_file_in_out_or_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)
    assert default_url(tmp_path / "out") == f"sqlite:///{tmp_path / 'out' / 'gxbg-history.sqlite'}"
    monkeypatch.chdir(tmp_path)
    assert default_url() == f"sqlite:///{tmp_path / 'gxbg-history.sqlite'}"
    with open_history(out=tmp_path / "run") as h:
        assert h.store_reports([]) == 0
    assert (tmp_path / "run" / "gxbg-history.sqlite").is_file()


def test_environment_url_wins_over_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'env.sqlite'}")
    with open_history(out=tmp_path / "ignored"):
        pass
    assert (tmp_path / "env.sqlite").is_file() and not (tmp_path / "ignored").exists()
    # An explicit URL wins over the environment.
    with open_history(tmp_path / "explicit.sqlite"):
        pass
    assert (tmp_path / "explicit.sqlite").is_file()


def test_postgres_urls_use_psycopg_3():
    url = resolve_url("postgresql://gxbg:secret@db.example:5433/history")
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database) == ("db.example", 5433, "history")
    assert resolve_url("postgres://gxbg@db/history").drivername == "postgresql+psycopg"
    assert "secret" not in url.render_as_string(hide_password=True)


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_history_list(db_url, seed_reports, capsys):
    with open_history(db_url) as h:
        h.store_reports(seed_reports)
    assert main(["history", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["机关", "agency"]
    body = out[1:-1]
    assert len(body) == 5
    for report in seed_reports:
        [line] = [ln for ln in body if ln.split()[0] == report.agency]
        assert line.split()[1:4] == [str(report.year), report.format, report.source]
    assert out[-1].startswith("5 reports in ")


def test_cli_history_list_without_database(tmp_path, capsys):
    missing = tmp_path / "none.sqlite"
    assert main(["history", "list", "--db", str(missing)]) == 1
    assert "no history database" in capsys.readouterr().err
    assert not missing.exists()


def test_cli_history_list_empty(tmp_path, capsys):
    path = tmp_path / "empty.sqlite"
    open_history(path).close()
    assert main(["history", "list", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 reports in sqlite:///")
