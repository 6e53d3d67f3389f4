"""Engine failures merged into findings: one row per failure, named by the engines that reported it in
ENGINES' order, so a failure only one engine reports stands out."""

from __future__ import annotations

import pandas as pd

from gxbg.findings import _merge_engines, rule_findings
from gxbg.report.frames import batch_frames
from tests.helpers import make_report, shipped_rules


def _hit(engine: str, index: int, target: str = "total", observed: int = 5) -> dict:
    return {"rule_id": "requests.row_sum", "table": "requests", "target": target, "index": index, "engine": engine,
            "report_id": "r1", "row": "new_received", "line": 7, "observed": observed, "expected": 4, "details": {}}


def test_each_failure_is_named_by_the_engines_that_reported_it():
    explained = pd.DataFrame([
        _hit("gx", 1), _hit("pandera", 1),  # both, GX's first
        _hit("pandera", 2),
        _hit("gx", 3), _hit("gx", 3),  # one engine twice is still that engine alone
        _hit("gx", 4, target="natural_person"), _hit("pandera", 4),  # another target: another failure
    ])
    merged = _merge_engines(explained)
    got = dict(zip(zip(merged["index"], merged["target"]), merged["engine"]))
    assert got == {(1, "total"): "pandera+gx", (2, "total"): "pandera", (3, "total"): "gx",
                   (4, "natural_person"): "gx", (4, "total"): "pandera"}
    assert list(merged["index"]) == [1, 2, 3, 4, 4]  # first seen first


def test_merged_failures_keep_the_first_values_and_read_the_report():
    explained = pd.DataFrame([_hit("gx", 1, observed=5), _hit("pandera", 1, observed=6)])
    reports = batch_frames([make_report("r1", agency="某某局", year=2023)]).reports
    found = rule_findings(explained, shipped_rules(), reports)
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["engine"], row["observed"], row["agency"], row["year"]) == ("pandera+gx", "5", "某某局", 2023)
