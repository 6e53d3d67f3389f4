"""The engines share their checks' failures frames through a memo: the second engine and explain compute
no rule again, and everything they report is the same as when each computes its own."""

from __future__ import annotations

import pandas as pd
import pytest

from gxbg import pipeline
from gxbg.engines import common, engine_frames, gx_engine, pandera_engine, run_engines
from gxbg.report.frames import batch_frames
from gxbg.synth.corpus import build_corpus, write_corpus
from tests.helpers import shipped_rules


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memo")
    corpus = build_corpus(120, seed=5, inject_rate=0.6, kinds=("tabs", "spaces"))
    write_corpus(corpus, folder)
    reports, _ = pipeline.parse_files(sorted((folder / "reports").iterdir()))
    return batch_frames(reports)


def test_the_memo_holds_each_failing_checks_own_failures(batch):
    rules = shipped_rules()
    frames, memo = engine_frames(batch, rules), {}
    raw = pandera_engine.run(frames, rules.checks(), memo)
    failing = set(zip(raw["rule_id"], raw["target"]))
    assert len(failing) > 5 and failing <= set(memo)
    for rule_id, target in failing:
        bound = rules.rule(rule_id)
        own = bound.kind.failures(frames[bound.rule.table], bound.params, target)
        pd.testing.assert_frame_equal(memo[rule_id, target], own)


def test_explained_failures_are_the_same_with_the_memo(batch):
    rules = shipped_rules()
    frames, memo = engine_frames(batch, rules), {}
    raw = pandera_engine.run(frames, rules.checks(), memo)
    assert len(raw) > 10
    pd.testing.assert_frame_equal(common.explain(raw, frames, rules, memo), common.explain(raw, frames, rules))


def test_without_a_memo_nothing_is_kept(batch):
    rules = shipped_rules()
    pandera_engine.run(engine_frames(batch, rules), rules.checks())
    assert common._found.get() is None


def test_runs_in_two_threads_keep_their_memos_apart(batch):
    from concurrent.futures import ThreadPoolExecutor

    rules = shipped_rules()
    frames = engine_frames(batch, rules)
    with ThreadPoolExecutor(2) as pool:
        memos = [{}, None, {}, None]
        done = list(pool.map(lambda m: pandera_engine.run(frames, rules.checks(), m), memos))
    for raw in done[1:]:
        pd.testing.assert_frame_equal(raw, done[0])
    assert memos[0].keys() == memos[2].keys() and len(memos[0]) > 5


@pytest.fixture
def computed(monkeypatch):
    """The checks the kinds compute, (kind, target) each time."""
    seen = []
    real = common._failures
    monkeypatch.setattr(common, "_failures", lambda kind, frame, stats: seen.append((kind.name, stats["target"])) or real(kind, frame, stats))
    return seen


def test_gx_reads_what_pandera_computed_and_reports_the_same(batch, computed):
    rules = shipped_rules()
    frames, memo = engine_frames(batch, rules), {}
    alone = gx_engine.run(frames, rules.checks())
    assert len(computed) == len(rules.checks())
    pandera_engine.run(frames, rules.checks(), memo)
    computed.clear()
    shared = gx_engine.run(frames, rules.checks(), memo=memo)
    assert computed == [] and len(alone) > 10
    pd.testing.assert_frame_equal(shared, alone)


def test_gx_fills_the_memo_for_pandera(batch, computed):
    rules = shipped_rules()
    frames, memo = engine_frames(batch, rules), {}
    gx_engine.run(frames, rules.checks(), memo=memo)
    assert len(memo) == len(rules.checks())
    computed.clear()
    shared = pandera_engine.run(frames, rules.checks(), memo)
    assert computed == []
    pd.testing.assert_frame_equal(shared, pandera_engine.run(frames, rules.checks()))


def test_a_batch_computes_each_check_once(batch, computed, monkeypatch):
    import gxbg.engines as engines

    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 10**9)  # in this process, where computed sees it
    rules = shipped_rules()
    explained = run_engines(batch, rules)
    assert sorted(computed) == sorted((c.kind, c.target) for c in rules.checks())
    assert set(explained["engine"]) == {"pandera", "gx"}
