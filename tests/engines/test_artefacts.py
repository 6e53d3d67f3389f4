"""Generated engine artefacts: pandera schemas round-trip through YAML, GX suites through JSON, and
the committed expectations/ folder matches the rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera import errors

from gxbg.engines import engine_frames, gx_engine, pandera_engine
from gxbg.engines.common import checks_by_table
from gxbg.engines.suites import suite_files
from gxbg.report.frames import batch_frames
from tests.helpers import make_report, shipped_rules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    return shipped_rules()


@pytest.fixture(scope="module")
def frames(shipped):
    bad = make_report(
        "bad",
        requests={"new_received": [5, 1, 0, 0, 0, 0, 7], "results_total": [5, 1, 0, 0, 0, 0, 6]},
        appeals={"review": [1, 0, 0, 0, 2]},
    )
    return engine_frames(batch_frames([bad, make_report("empty")]), shipped)


def failing(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> set[tuple]:
    try:
        schema.validate(frame, lazy=True)
    except errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return set(zip(cases["check"], cases["index"]))
    return set()


@pytest.mark.parametrize("table", ["requests", "appeals", "active"])
def test_pandera_schema_yaml_round_trip(shipped, frames, table):
    schema = pandera_engine.build_schema(table, checks_by_table(shipped.checks())[table])
    text = schema.to_yaml()
    loaded = pa.DataFrameSchema.from_yaml(text)
    assert loaded.to_yaml() == text
    assert [c.name for c in loaded.checks] == [c.name for c in schema.checks]
    assert failing(loaded, frames[table]) == failing(schema, frames[table])
    if table != "active":
        assert failing(schema, frames[table])  # the round trip is tested on real failures


def test_gx_suite_json_round_trip(shipped, frames):
    checks = checks_by_table(shipped.checks())["requests"]
    suite = gx_engine.build_suite("annual_report.requests", checks)
    path = ROOT / "expectations" / "annual_report.requests.json"
    loaded = gx_engine.load_suite(path)
    assert len(loaded.expectations) == len(checks)
    assert gx_engine.suite_json(loaded) == gx_engine.suite_json(suite)
    found = gx_engine.validate_suite("requests", frames["requests"], loaded)
    assert set(found["rule_id"]) == {"requests.row_sum", "requests.balance"}


def test_committed_expectations_match_the_rules(shipped):
    """Run `gxbg expectations build` after changing rules/ and commit the result."""
    for name, text in suite_files(shipped).items():
        assert (ROOT / "expectations" / name).read_text(encoding="utf-8") == text, name


def test_fresh_interpreter_loads_suites_with_custom_expectations():
    # GX drops expectation types it does not know; load_suite defines ours first.
    code = (
        "from gxbg.engines.gx_engine import load_suite\n"
        "s = load_suite('expectations/annual_report.appeals.json')\n"
        "print(sorted({e.expectation_type for e in s.expectations}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "expect_gxbg_column_sum" in out.stdout and "expect_gxbg_zero_consistency" in out.stdout


def test_load_suite_refuses_to_drop_unknown_expectations(tmp_path):
    path = tmp_path / "suite.json"
    path.write_text('{"name": "s", "expectations": [{"type": "expect_gxbg_nope", "kwargs": {}}]}', encoding="utf-8")
    with pytest.raises(RuntimeError, match="did not load"):
        gx_engine.load_suite(path)
