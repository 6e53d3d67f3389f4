"""engine_frames builds each table when first asked for: what a table holds must not depend on which
tables were built before it, in this process or in the other one that shares the work."""

from __future__ import annotations

import pandas as pd
import pytest

from gxbg import pipeline
from gxbg.engines import engine_frames
from gxbg.report.frames import batch_frames
from gxbg.rules.tables import TABLES, table_frames
from gxbg.synth.corpus import build_corpus, write_corpus
from tests.helpers import shipped_rules


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("frames")
    write_corpus(build_corpus(60, seed=9, inject_rate=0.5, kinds=("tabs", "web")), folder)
    reports, _ = pipeline.parse_files(sorted((folder / "reports").iterdir()))
    earlier, current = reports[:20], reports[20:]  # earlier runs' reports as history context: pairs reach them
    return batch_frames(current, context=earlier)


def test_each_table_is_the_same_whatever_was_built_before_it(batch):
    rules = shipped_rules()
    alone = {name: engine_frames(batch, rules)[name] for name in TABLES}
    for order in (list(TABLES), list(reversed(TABLES))):
        frames = engine_frames(batch, rules)
        built = {name: frames[name] for name in order}
        for name in TABLES:
            pd.testing.assert_frame_equal(built[name], alone[name])
    assert not alone["pairs_requests"].empty and not alone["facts"].empty
    assert {c for c in alone["facts"] if c.startswith("_")}  # helper columns were added


def test_a_table_is_built_once_and_only_when_asked_for(batch):
    frames = engine_frames(batch, shipped_rules())
    assert frames["requests"] is frames["requests"]
    assert set(frames._built) == {"requests"}
    assert list(frames) == list(TABLES) and set(frames._built) == {"requests"}


def test_table_frames_builds_every_table(batch):
    assert list(table_frames(batch)) == list(TABLES)


def test_both_pairs_tables_read_one_computation_of_the_pairs(batch, monkeypatch):
    import gxbg.rules.tables as tables_module

    calls = []
    real = tables_module.report_pairs
    monkeypatch.setattr(tables_module, "report_pairs", lambda b: calls.append(b) or real(b))
    frames = engine_frames(batch, shipped_rules())
    assert not frames["pairs_requests"].empty and not frames["pairs_active"].empty
    assert len(calls) == 1
