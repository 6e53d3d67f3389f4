"""Tables shared with a forked process: the same findings as in-process, and clear failures."""

from __future__ import annotations

import os

import pytest

import gxbg.engines as engines
from gxbg.engines import background, gx_engine, run_engines
from gxbg.engines.background import Background
from gxbg.publish.datadocs import build_data_docs
from gxbg.report.frames import batch_frames
from tests.helpers import make_report, run_in_daemon, shipped_rules

pytestmark = pytest.mark.skipif(not background.available(), reason="needs fork and two cores")


def _square(x):
    return x * x


def _fail():
    raise ValueError("no such table")


def _die():
    os._exit(3)


def test_child_returns_its_value():
    assert Background(_square, 7).result() == 49


def test_child_error_comes_back_with_its_traceback():
    with pytest.raises(RuntimeError, match="(?s)engine process failed.*ValueError: no such table"):
        Background(_fail).result()


def test_child_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(RuntimeError, match="exit code 3"):
        Background(_die).result()


def test_stop_ends_a_running_child():
    job = Background(_square, 2)
    job.stop()
    assert not job._process.is_alive()


@pytest.fixture(scope="module")
def batch():
    bad = make_report("bad", requests={"new_received": [5, 1, 0, 0, 0, 0, 7], "results_total": [5, 1, 0, 0, 0, 0, 6]},
                      appeals={"review": [1, 0, 0, 0, 2]})  # fmt: skip
    return batch_frames([bad, make_report("empty"), make_report("ok", requests={"new_received": [1, 0, 0, 0, 0, 0, 1]})])


def test_gx_in_a_child_finds_what_gx_here_finds(batch, monkeypatch, tmp_path):
    ruleset = shipped_rules()
    here_results: list = []
    here = run_engines(batch, ruleset, gx_results=here_results)
    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 0)
    spawned = []
    monkeypatch.setattr(engines, "Background", lambda *a: spawned.append(a) or Background(*a))
    child_results: list = []
    child = run_engines(batch, ruleset, gx_results=child_results)
    assert len(spawned) == 1  # GX really ran in a child
    assert not here.empty and set(here["engine"]) == {"pandera", "gx"}
    columns = ["rule_id", "target", "index", "engine", "report_id", "row", "line", "observed", "expected"]
    assert child[columns].equals(here[columns])
    assert [r.suite_name for r in child_results] == [r.suite_name for r in here_results]
    assert [r.success for r in child_results] == [r.success for r in here_results]
    assert [len(r.results) for r in child_results] == [len(r.results) for r in here_results]
    assert all(type(r).__name__ == "ExpectationSuiteValidationResult" for r in child_results)  # pickled back whole


def test_data_docs_read_result_dicts_and_objects(batch, tmp_path):
    ruleset = shipped_rules()
    objects: list = []
    gx_engine.run(engines.engine_frames(batch, ruleset), ruleset.checks(), keep=objects)
    dicts = [r.to_json_dict() for r in objects]
    for name, results in (("objects", objects), ("dicts", dicts)):
        index = build_data_docs(results, tmp_path / name)
        pages = list((index.parent / "validations").rglob("*.html"))
        assert {p.relative_to(index.parent / "validations").parts[0] for p in pages} == {r["suite_name"] for r in dicts}


def test_data_docs_from_result_dicts_in_a_process_where_gx_never_ran(batch, tmp_path):
    """As after a large batch, whose GX validation ran in a child: no GX context exists in this process."""
    import json
    import subprocess
    import sys

    ruleset = shipped_rules()
    results: list = []
    run_engines(batch, ruleset, gx_results=results)
    (tmp_path / "results.json").write_text(json.dumps([r.to_json_dict() for r in results]), encoding="utf-8")
    script = ("import json, sys; from gxbg.publish.datadocs import build_data_docs; "
              "print(build_data_docs(json.load(open(sys.argv[1], encoding='utf-8')), sys.argv[2]))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "results.json"), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "data_docs" / "validations").is_dir()


def _validate_with_gx_aside(batch) -> int:
    engines.BACKGROUND_MIN_REPORTS = 0
    return len(run_engines(batch, shipped_rules()))


def test_a_daemonic_process_validates_in_process(batch):
    """Dask runs the flow's tasks in daemonic worker processes, which may not have children."""
    assert run_in_daemon(_validate_with_gx_aside, batch) == ("ok", len(run_engines(batch, shipped_rules())))


def _take_all(queue) -> list[str]:
    return engines._take_all(lambda table: table, queue)


def test_the_table_queue_hands_each_table_once_across_processes_largest_first():
    from gxbg.engines.common import checks_by_table
    from gxbg.kinds.ruleset import Check

    sizes = {"small": 10, "large": 1000, "middle": 100, "wide": 20}
    tables = ["small", "large", "middle", *["wide"] * 6]
    checks = [Check(f"r{i}", "value_domain", table, "v", {}, ("report_id", "v"), "error") for i, table in enumerate(tables)]
    queue = engines.TableQueue(engines.largest_first(checks_by_table(checks), sizes))
    # (rows + CHECK_ROWS) x checks: the six checks of "wide" outweigh the rows of "large"
    assert queue.order == ["wide", "large", "middle", "small"]
    job = Background(_take_all, queue)
    mine = _take_all(queue)
    theirs = job.result()
    assert sorted(mine + theirs) == sorted(sizes)


def test_both_processes_take_tables_and_build_only_their_frames(batch, monkeypatch, tmp_path):
    """Each table is validated once, by this process or the child, and each builds only what it validates."""
    import time

    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 0)
    real, log = engines._table_job, tmp_path / "taken"

    def recording(frames, work, names, ruleset, keep, then, table):
        time.sleep(0.1)  # long enough for the child to start taking tables too
        done = real(frames, work, names, ruleset, keep, then, table)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {table} {' '.join(frames._built)}\n")
        return done

    monkeypatch.setattr(engines, "_table_job", recording)
    found = run_engines(batch, shipped_rules())
    taken: dict[str, list[str]] = {}
    built: dict[str, set[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, table, *frames = line.split()
        taken.setdefault(pid, []).append(table)
        built.setdefault(pid, set()).update(frames)
    assert sorted(t for tables in taken.values() for t in tables) == sorted(engines.checks_by_table(shipped_rules().checks()))
    assert len(taken) == 2 and str(os.getpid()) in taken
    assert all(built[pid] == set(tables) for pid, tables in taken.items())
    assert set(found["engine"]) == {"pandera", "gx"}


def test_gx_is_imported_before_the_fork(batch, monkeypatch):
    """The child must not import GX itself (and this process validates GX's tables too)."""
    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 0)
    seen = []
    monkeypatch.setattr(engines, "Background", lambda *a: seen.append(engines.gx_imported()) or Background(*a))
    run_engines(batch, shipped_rules())
    assert seen == [True]


def test_then_runs_in_the_process_that_validated_each_table(batch, monkeypatch, tmp_path):
    """A caller's next step (findings) is applied per table where the table was validated, and what it
    returns is what run_engines returns."""
    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 0)
    ruleset, log = shipped_rules(), tmp_path / "then"

    def then(explained):
        import time

        time.sleep(0.1)  # long enough for the child to start taking tables too
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {len(explained)}\n")
        return explained.assign(seen_by=os.getpid())

    found = run_engines(batch, ruleset, then=then)
    plain = run_engines(batch, ruleset)
    calls = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(calls) == len(engines.checks_by_table(ruleset.checks()))  # once per table
    assert len({pid for pid, _ in calls}) == 2  # in both processes
    assert sum(int(n) for _, n in calls) == len(plain) == len(found) > 0
    assert found.drop(columns="seen_by").sort_values(["rule_id", "target", "index", "engine"]).reset_index(drop=True).equals(
        plain.sort_values(["rule_id", "target", "index", "engine"]).reset_index(drop=True))


def test_every_engine_is_loaded_before_the_fork(batch, monkeypatch):
    """Not in each process after it: importing the pandera engine took 0.1 s, in both processes."""
    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 0)
    events = []
    real_load = engines.load_engine
    monkeypatch.setattr(engines, "load_engine", lambda name: events.append(name) or real_load(name))
    monkeypatch.setattr(engines, "Background", lambda *a: events.append("fork") or Background(*a))
    run_engines(batch, shipped_rules())
    assert events[: events.index("fork")] == ["pandera", "gx"]
