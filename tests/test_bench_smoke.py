"""The quality and speed benchmarks still run end to end and print the JSON they promise (tiny sizes; the
figures themselves are the benchmarks' business, not the tests')."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gxbg.synth.corpus import CATEGORIES

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _run(script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.slow
def test_quality_benchmark_scores_every_category():
    out = _run("quality.py", "--reports", "40", "--seed", "1", "--types", "tabs,spaces,html")
    assert set(out["categories"]) == set(CATEGORIES) - {"layout"}
    assert sum(c["truth"] for c in out["categories"].values()) > 0
    assert out["files"] > 0 and "error_findings" in out["error_free_reports"]
    assert {"reports", "figures_wrong", "with_rule_findings"} <= set(out["layout_damage"])


@pytest.mark.slow
def test_speed_benchmark_reports_each_batch_and_the_naive_ratio():
    out = _run("speed.py", "--sizes", "30,60", "--naive", "2", "--types", "tabs")
    assert [b["reports"] for b in out["batches"]] == [30, 60]
    assert all(b["reports_per_s"] > 0 and b["peak_rss_mb"] > 0 for b in out["batches"])
    # memory comes from a second, sampled run of each batch; the timed run carries no sampler
    assert all(b["peak_tree_pss_mb"] > 0 and b["sampled_run"]["end_to_end_seconds"] > 0 for b in out["batches"])
    assert out["naive"]["ratio_same_reports"] > 0 and "linear" in out["verdict"]
