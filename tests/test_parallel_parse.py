"""parse_files_parallel: the same reports and status rows as parse_files, in the same order."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from gxbg.pipeline import collect_files, parse_files, parse_files_parallel
from gxbg.synth.corpus import build_corpus, write_corpus
from tests.helpers import run_in_daemon


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel")
    corpus = build_corpus(100, seed=2, kinds=("tabs", "spaces", "html"))
    write_corpus(corpus, folder)
    reports = folder / "reports"
    first = sorted(reports.iterdir())[0]
    shutil.copy(first, reports / "zz-copy-of-first.txt")  # same bytes, in the last chunk: a duplicate
    (reports / "zz-notes.xlsx").write_bytes(b"PK\x03\x04")
    (reports / "zz-broken.txt").write_text("这不是年度报告。\n", encoding="utf-8")
    return collect_files([reports])


def test_same_result_as_parse_files(files):
    serial_reports, serial_status = parse_files(files)
    calls = []
    reports, status = parse_files_parallel(files, workers=2, chunk=30, progress=lambda d, t: calls.append((d, t)))
    assert [r.report_id for r in reports] == [r.report_id for r in serial_reports]
    assert [r.to_dict() for r in reports[:5]] == [r.to_dict() for r in serial_reports[:5]]
    pd.testing.assert_frame_equal(status, serial_status)
    assert set(status["status"]) >= {"ok", "duplicate", "unsupported", "parse_error"}
    assert calls[-1] == (len(files), len(files)) and len(calls) == -(-len(files) // 30)


def test_small_batches_and_one_worker_parse_in_process(files, monkeypatch):
    import gxbg.pipeline as pipeline

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", None)  # any use of a pool would fail
    for args in ((files[:60], 2, 30), (files, 1, 30)):
        reports, status = parse_files_parallel(args[0], workers=args[1], chunk=args[2])
        assert len(status) == len(args[0])


def test_collector_is_paused_while_results_arrive_and_restored_after(files):
    import gc

    seen = []
    assert gc.isenabled()
    parse_files_parallel(files, workers=2, chunk=20, progress=lambda done, total: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()


def test_validation_freezes_what_is_alive_and_hands_it_back(files, monkeypatch):
    import gc

    from gxbg import pipeline
    from gxbg.rules import default_rules_dir

    frozen = []
    real = pipeline.check_reports
    monkeypatch.setattr(pipeline, "check_reports", lambda *a, **k: frozen.append(gc.get_freeze_count()) or real(*a, **k))
    reports, statuses = parse_files(files[:5])
    pipeline.validate_parsed(reports, statuses, default_rules_dir())
    assert frozen and frozen[0] > 0
    assert gc.get_freeze_count() == 0


def _parsed_count(files) -> int:
    return len(parse_files_parallel(files, workers=2, chunk=20)[0])


def test_a_daemonic_process_parses_in_process(files):
    """A Dask worker process is daemonic: it may not start parse workers of its own."""
    assert run_in_daemon(_parsed_count, files) == ("ok", len(parse_files(files)[0]))


def test_a_chunk_is_parsed_with_the_collector_paused_and_restored_after(files, monkeypatch):
    import gc

    from gxbg import pipeline

    seen = []
    real = pipeline.parse_files
    monkeypatch.setattr(pipeline, "parse_files", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    reports, statuses = pipeline.parse_chunk(files[:3])
    assert seen == [False] and len(statuses) == 3
    assert gc.isenabled()


def test_parse_workers_run_with_the_collector_off():
    import gc

    from gxbg.pipeline import parse_pool

    assert gc.isenabled()
    with parse_pool(2) as pool:
        assert pool.submit(gc.isenabled).result() is False
    assert gc.isenabled()  # this process's own collector is untouched
