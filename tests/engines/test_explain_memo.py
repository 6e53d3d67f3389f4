"""pandera's run hands its checks' failures frames to explain, which then computes no rule twice: the
explained failures are the same as when explain computes them itself."""

from __future__ import annotations

import pandas as pd
import pytest

from gxbg import pipeline
from gxbg.engines import common, engine_frames, pandera_engine
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
    assert pandera_engine._found.get() is None


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
