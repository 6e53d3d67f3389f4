"""GX imported in a thread while parse workers run: started only then, and always finished before the
engines run (a fork during an import would hand the child an import lock nobody releases)."""

from __future__ import annotations

import time

import pytest

import gxbg.engines as engines
from gxbg import pipeline
from gxbg.report.frames import batch_frames
from tests.helpers import make_report, shipped_rules


@pytest.fixture
def slow_import(monkeypatch):
    done = []
    monkeypatch.setattr(engines, "_import_engines", lambda names: time.sleep(0.3) or done.append("imported"))
    monkeypatch.setattr(engines, "_warming", None)
    return done


def test_run_engines_waits_for_the_import_thread(slow_import, monkeypatch):
    seen = []
    real = engines.engine_frames
    monkeypatch.setattr(engines, "engine_frames", lambda *a: seen.append(list(slow_import)) or real(*a))
    engines.warm_up(("pandera", "gx"))
    engines.run_engines(batch_frames([make_report("r1", requests={"new_received": [1, 0, 0, 0, 0, 0, 1]})]), shipped_rules(), ("pandera",))
    assert seen == [["imported"]]
    assert engines._warming is None


def test_no_thread_without_gx(slow_import):
    engines.warm_up(("pandera",))
    assert engines._warming is None


def test_warm_up_runs_once_the_parse_workers_are_started(tmp_path, monkeypatch):
    from gxbg.synth.corpus import build_corpus, write_corpus

    write_corpus(build_corpus(30, seed=4, kinds=("tabs",)), tmp_path)
    files = sorted((tmp_path / "reports").iterdir())
    started = []
    pipeline.parse_files_parallel(files, workers=2, chunk=5, meanwhile=lambda: started.append(True))
    assert started == [True]


@pytest.mark.parametrize(("engines_", "imported", "warmed"), [
    (("pandera", "gx"), False, True),  # GX to import: a batch of 12 files is parsed by workers meanwhile
    (("pandera", "gx"), True, False),  # imported by an earlier run: nothing to overlap, parsed here
    (("pandera",), False, False),  # no GX at all
])  # fmt: skip
def test_a_run_warms_gx_up_only_when_it_needs_the_import(tmp_path, monkeypatch, engines_, imported, warmed):
    from gxbg.synth.corpus import build_corpus, write_corpus

    write_corpus(build_corpus(12, seed=4, kinds=("tabs",)), tmp_path)
    files = sorted((tmp_path / "reports").iterdir())
    calls, pools, parsed = [], [], []
    real_pool = pipeline.parse_pool
    monkeypatch.setattr(pipeline, "warm_up", lambda engines: calls.append(engines))
    monkeypatch.setattr(pipeline, "gx_imported", lambda: imported)
    monkeypatch.setattr(pipeline, "parse_pool", lambda workers: pools.append(workers) or real_pool(workers))
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pipeline, "validate_parsed", lambda reports, statuses, *a: parsed.append(statuses))  # parse only
    pipeline.validate_paths(files, shipped_rules(), engines=engines_)
    assert calls == ([engines_] if warmed else [])
    assert pools == ([2] if warmed else [])  # split between both workers, or parsed here
    assert list(parsed[0]["status"]) == ["ok"] * len(files)


def test_parse_workers_are_not_forked_during_the_import(slow_import, tmp_path, monkeypatch):
    from gxbg.synth.corpus import build_corpus, write_corpus

    write_corpus(build_corpus(12, seed=6, kinds=("tabs",)), tmp_path)
    seen = []
    real = pipeline.ProcessPoolExecutor
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", lambda *a, **k: seen.append(list(slow_import)) or real(*a, **k))
    engines.warm_up(("pandera", "gx"))
    pipeline.parse_files_parallel(sorted((tmp_path / "reports").iterdir()), workers=2, chunk=4)
    assert seen == [["imported"]]


def test_the_warm_up_loads_every_engine_asked_for(monkeypatch):
    loaded = []
    monkeypatch.setattr(engines, "load_engine", loaded.append)
    monkeypatch.setattr(engines, "_warming", None)
    engines.warm_up(("pandera", "gx"))
    engines.wait_for_warm_up()
    assert loaded == ["pandera", "gx"]
