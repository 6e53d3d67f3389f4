"""Earlier reports from the history database as context for the batch-level rules: a batch never meets
itself, stored reports come back with their tables, and the cross-year rules see them."""

from __future__ import annotations

import pytest

from gxbg.engines import run_engines
from gxbg.findings import rule_findings
from gxbg.history import open_history
from gxbg.history.context import earlier_reports
from gxbg.report.frames import batch_frames
from tests.helpers import make_report, shipped_rules, subset


@pytest.fixture
def history(db_url):
    with open_history(db_url) as h:
        yield h


def test_a_batch_never_meets_itself(history, seed_reports):
    history.store_reports(seed_reports)
    assert earlier_reports(history, seed_reports) == []


def test_stored_reports_come_back_with_their_tables(history, seed_reports):
    history.store_reports(seed_reports)
    dingxi_2020 = next(r for r in seed_reports if r.year == 2020)
    batch = [make_report("dx2021", agency="定西市 应急管理局", year=2021)]
    (earlier,) = earlier_reports(history, batch)
    assert (earlier.agency, earlier.year, earlier.format, earlier.report_id) == ("定西市应急管理局", 2020, "2019",
                                                                                 dingxi_2020.report_id)  # fmt: skip
    assert earlier.request_values == dingxi_2020.request_values
    assert earlier.fingerprint == dingxi_2020.fingerprint
    assert earlier.facts == []  # the history keeps no narrative


def test_nothing_for_bodies_or_years_far_away(history, seed_reports):
    history.store_reports(seed_reports)
    assert earlier_reports(history, [make_report("x", agency="别的机关", year=2021)]) == []
    assert earlier_reports(history, [make_report("x", agency="定西市应急管理局", year=2040)]) == []
    assert earlier_reports(history, []) == []


def test_cross_year_rule_reads_the_stored_year(history):
    history.store_reports([make_report("y21", year=2021, requests={"carried_forward": [2, 0, 0, 0, 0, 0, 2]})])
    batch = [make_report("y22", year=2022, requests={"carried_over": [0, 0, 0, 0, 0, 0, 0]})]
    rules = subset(shipped_rules(), ["cross_year.carried_over"])
    frames = batch_frames(batch, context=earlier_reports(history, batch))
    found = rule_findings(run_engines(frames, rules), rules, frames.reports)
    assert sorted(zip(found["report_id"], found["column"], found["observed"], found["expected"])) == [
        ("y22", "natural_person", "0", "2"), ("y22", "total", "0", "2"),
    ]
    assert found["message"].str.contains("2021 年度报告（y21.txt）").all()
    assert set(found["engine"]) == {"pandera+gx"}
