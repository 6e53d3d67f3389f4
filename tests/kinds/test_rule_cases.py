"""Every case in tests/rule_cases runs through pandera and GX; each engine must report exactly the
failures the case lists, and the merged findings must show both engines on every row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from gxbg.engines import run_engines
from gxbg.findings import rule_findings
from gxbg.report.frames import batch_frames
from tests.helpers import expected_key, failure_keys, make_report, ruleset_from, shipped_rules, subset

CASES = Path(__file__).resolve().parents[1] / "rule_cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{path.stem}: {case['name']}")


@pytest.fixture(scope="module")
def shipped():
    return shipped_rules()


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_case(rule, case, shipped, tmp_path):
    ruleset = subset(shipped, [rule]) if isinstance(rule, str) else ruleset_from([rule], tmp_path)
    rule_id = rule if isinstance(rule, str) else rule["id"]
    reports = [make_report(report_id, **spec) for report_id, spec in case["reports"].items()]
    # history: earlier reports (as the history database gives them); expected: a manifest
    history = [make_report(report_id, **spec) for report_id, spec in (case.get("history") or {}).items()]
    expected = pd.DataFrame(case["expected"]).assign(source="expected.csv") if case.get("expected") else None
    batch = batch_frames(reports, context=history or None, expected=expected)
    explained = run_engines(batch, ruleset, ("pandera", "gx"))
    expected = {expected_key(rule_id, f) for f in case["failures"]}
    for engine in ("pandera", "gx"):
        found = rule_findings(explained[explained["engine"] == engine], ruleset, batch.reports)
        assert failure_keys(found) == expected, engine
    merged = rule_findings(explained, ruleset, batch.reports)
    assert set(merged["engine"]) <= {"pandera+gx"}


def test_every_shipped_rule_has_cases(shipped):
    rules = [yaml.safe_load(p.read_text(encoding="utf-8"))["rule"] for p in CASES.glob("*.yaml")]
    missing = {b.rule.id for b in shipped.rules} - {r for r in rules if isinstance(r, str)}
    assert not missing
