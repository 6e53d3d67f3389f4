"""The narrative and batch-level kinds (text_table, fee_narrative, year_coverage, cross_year): bad
parameters are located in the rule file, their schemas round-trip like the others, and the frames they
read are built from the reports (facts with their source lines, reports, pairs of years)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
import yaml
from pandera import errors

from gxbg.engines import engine_frames, pandera_engine
from gxbg.engines.common import checks_by_table
from gxbg.kinds.ruleset import check_rules
from gxbg.report.frames import batch_frames
from tests.helpers import make_report, shipped_rules

NEW_TABLES = ["facts", "reports", "pairs_requests", "pairs_active"]


def problems_of(rule: dict, tmp_path) -> list[str]:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(yaml.safe_dump([rule], allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [str(p) for p in check_rules(folder)]


BASE = {"severity": "error", "category": "text_table", "message": "{observed}"}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"id": "a", "kind": "text_table", "table": "requests", "fact": "requests_received", "of": "requests",
          "rows": ["new_received"], "columns": ["total"]}, "kind text_table works on table facts"),
        ({"id": "a", "kind": "text_table", "table": "facts", "fact": "requests_received", "of": "requests",
          "rows": ["new_recieved"], "columns": ["total"]}, "unknown row code 'new_recieved' in table requests"),
        ({"id": "a", "kind": "text_table", "table": "facts", "fact": "requests_revieved", "of": "requests",
          "rows": ["new_received"], "columns": ["total"]}, "unknown row code 'requests_revieved' in table facts"),
        ({"id": "a", "kind": "text_table", "table": "facts", "fact": "requests_received", "of": "facts",
          "rows": ["new_received"], "columns": ["total"]}, "of must be one of requests, appeals, active"),
        ({"id": "a", "kind": "year_coverage", "table": "reports", "check": "deadline",
          "department_deadline": "1-31"}, "check deadline needs government_deadline"),
        ({"id": "a", "kind": "year_coverage", "table": "reports", "check": "deadline", "department_deadline": "1-31",
          "government_deadline": "03-31", "government_suffixes": ["人民政府"]}, "department_deadline must be MM-DD"),
        ({"id": "a", "kind": "year_coverage", "table": "reports", "check": "gap", "formats": ["2019"]},
         "formats applies to check format"),
        ({"id": "a", "kind": "year_coverage", "table": "reports", "check": "copies"}, "'check' must be one of"),
        ({"id": "a", "kind": "fee_narrative", "table": "reports", "check": "missing"}, "check missing needs formats"),
        ({"id": "a", "kind": "cross_year", "table": "pairs_requests", "current": ["carried_over"],
          "previous": ["carried_fwd"]}, "unknown row code 'carried_fwd' in table pairs_requests"),
        ({"id": "a", "kind": "cross_year", "table": "reports", "current": ["carried_over"],
          "previous": ["carried_forward"]}, "kind cross_year works on table pairs_requests or pairs_active"),
    ],
)
def test_bad_parameters_are_located(rule, expected, tmp_path):
    found = problems_of(BASE | rule, tmp_path)
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(tmp_path / "rules" / "r.yaml") + ":") for p in found)


@pytest.fixture(scope="module")
def frames():
    """A batch where every new table has failures: a wrong narrative count, no fee statement, a late
    department, a broken carry-over and a broken in-force count against the year before."""
    y21 = make_report(
        "y21", year=2021, requests={"carried_forward": [2, 0, 0, 0, 0, 0, 2]},
        active={"normative_documents": {"issued": 1, "repealed": 0, "in_force": 10}},
    )  # fmt: skip
    y22 = make_report(
        "y22", year=2022, published="2023-02-08",
        narrative={"overview": ["2022年，本局深入推进政务公开。", "收到政府信息公开申请17件。"]},
        requests={"new_received": [95, 0, 0, 0, 0, 0, 95], "carried_over": [0, 0, 0, 0, 0, 0, 0]},
        active={"normative_documents": {"issued": 1, "repealed": 0, "in_force": 12}},
    )  # fmt: skip
    return engine_frames(batch_frames([y22], context=[y21]), shipped_rules())


@pytest.mark.parametrize("table", NEW_TABLES)
def test_pandera_schema_yaml_round_trip(frames, table):
    schema = pandera_engine.build_schema(table, checks_by_table(shipped_rules().checks())[table])
    text = schema.to_yaml()
    loaded = pa.DataFrameSchema.from_yaml(text)
    assert loaded.to_yaml() == text
    before, after = _failing(schema, frames[table]), _failing(loaded, frames[table])
    assert before == after and before  # tested on real failures


def _failing(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> set[tuple]:
    try:
        schema.validate(frame, lazy=True)
    except errors.SchemaErrors as exc:
        return set(zip(exc.failure_cases["check"], exc.failure_cases["index"]))
    return set()


def test_facts_keep_their_source_lines(frames):
    facts = frames["facts"]
    received = facts[facts["row"] == "requests_received"]
    assert list(zip(received["line"], received["value"], received["section"])) == [(6, 17, "overview")]
    assert set(facts.loc[facts["section"] == "title", "row"]) == {"year_mentioned"}


def test_pairs_hold_both_years(frames):
    pairs = frames["pairs_requests"]
    row = pairs[pairs["row"] == "carried_over"].iloc[0]
    assert (row["report_id"], row["prev_report_id"], row["prev_year"]) == ("y22", "y21", 2021)
    forward = pairs[pairs["row"] == "carried_forward"].iloc[0]
    assert forward["prev_total"] == 2
    active = frames["pairs_active"].set_index("row").loc["normative_documents"]
    assert (active["in_force"], active["prev_in_force"], active["issued"]) == (12, 10, 1)


def test_reports_frame_marks_history_rows(frames):
    reports = frames["reports"].set_index("report_id")
    assert reports.loc["y22", "row"] == "report" and reports.loc["y21", "row"] == "history"
    assert reports.loc["y22", "published_date"] == "2023-02-08"
