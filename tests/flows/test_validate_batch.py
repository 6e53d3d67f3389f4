"""The validate-batch flow run in-process against a temporary Prefect API."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pandas as pd
import pytest

from flows.validate_batch import KEYS, validate_batch


def _artifacts(flow_run_id) -> dict[str, object]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    async def read():
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
            )
            return {a.key: a for a in found}

    return asyncio.run(read())


def _run(sample_batch, out: Path, **params):
    state = validate_batch(inbox=str(sample_batch.folder), out=str(out), return_state=True,
                           expected_agencies=str(sample_batch.manifest), **params)  # fmt: skip
    assert state.is_completed(), state
    return state.result(), state.state_details.flow_run_id


def test_bad_files_are_recorded_with_their_reason_and_the_run_completes(prefect_api, sample_batch, tmp_path):
    outcome, run_id = _run(sample_batch, tmp_path / "out")

    reports = pd.read_csv(tmp_path / "out" / "reports.csv", encoding="utf-8-sig")
    assert sorted(reports["source"]) == sorted(map(str, sample_batch.files))  # every file accounted for
    by_name = reports.assign(name=reports["source"].map(lambda s: Path(s).name)).set_index("name")
    assert by_name.loc["空白文件.txt", "status"] == "parse_error"
    assert "empty" in by_name.loc["空白文件.txt", "reason"]
    assert by_name.loc["会议通知.txt", "status"] == "parse_error"
    assert "not an annual report" in by_name.loc["会议通知.txt", "reason"]
    assert by_name.loc["扫描件.jpg", "status"] == "unsupported"
    assert outcome["statuses"] == {"ok": len(sample_batch.files) - 3, "parse_error": 2, "unsupported": 1}

    findings = pd.read_csv(tmp_path / "out" / "findings.csv", encoding="utf-8-sig")
    parse_errors = findings[findings["rule_id"] == "parse.error"]
    assert sorted(parse_errors["source"].map(lambda s: Path(s).name)) == ["会议通知.txt", "空白文件.txt"]
    injected = pd.read_csv(sample_batch.truth).query("severity == 'error' and file.notna()", engine="python")
    erring = set(findings.loc[findings["severity"] == "error", "source"].map(lambda s: Path(s).name))
    assert erring & set(injected["file"].map(lambda f: Path(f).name))  # injected errors are found
    assert set(outcome["outputs"]) >= {"findings.csv", "reports.csv", "data_docs", "site"}
    assert all(Path(p).exists() for p in outcome["outputs"].values())
    assert (tmp_path / "out" / "gxbg-history.sqlite").exists()

    artifacts = _artifacts(run_id)
    assert set(KEYS.values()) <= set(artifacts)
    assert artifacts[KEYS["progress"]].data == 100.0
    summary = artifacts[KEYS["summary"]].data
    assert f"| 文件 files in | {len(sample_batch.files)} " in summary
    assert "parse | 2 |" in summary  # the two parse errors, by category
    assert (tmp_path / "out" / "site" / "index.html").resolve().as_uri() in summary
    table = json.loads(artifacts[KEYS["findings"]].data)
    assert table[0]["severity"] == "error"  # most severe first
    assert any(r["rule_id"] == "parse.error" and r["source"].endswith("空白文件.txt") for r in table)


@pytest.mark.slow
def test_dask_runner_finds_what_the_local_runner_finds(prefect_api, sample_batch, tmp_path):
    local, _ = _run(sample_batch, tmp_path / "local", engine="pandera", chunk_size=3)
    dask, _ = _run(sample_batch, tmp_path / "dask", engine="pandera", chunk_size=3, task_runner="dask")

    def findings(folder: str) -> pd.DataFrame:
        return pd.read_csv(tmp_path / folder / "findings.csv", encoding="utf-8-sig").drop(columns=["engine"])

    assert dask["statuses"] == local["statuses"]
    pd.testing.assert_frame_equal(findings("dask"), findings("local"))
    assert "data_docs" not in dask["outputs"] and dask["skipped"]  # pandera only: no GX results to show


@pytest.mark.slow
def test_dask_runner_uses_an_existing_cluster_by_address(prefect_api, sample_batch, tmp_path, monkeypatch):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        monkeypatch.setenv("GXBG_DASK_ADDRESS", cluster.scheduler_address)
        outcome, _ = _run(sample_batch, tmp_path / "out", engine="pandera", chunk_size=4, task_runner="dask")
        transitions = cluster.scheduler.transition_counter  # the parse tasks went through this scheduler
    assert outcome["statuses"]["ok"] == len(sample_batch.files) - 3
    assert transitions > 0


def test_gx_in_a_child_process_inside_the_flow(prefect_api, sample_batch, tmp_path, monkeypatch):
    """The tables are shared with a process forked from the flow's task thread; both engines still agree."""
    import gxbg.engines as engines
    from gxbg.engines.background import Background

    monkeypatch.setattr(engines, "BACKGROUND_MIN_REPORTS", 0)
    spawned = []
    monkeypatch.setattr(engines, "Background", lambda *a: spawned.append(a) or Background(*a))
    outcome, _ = _run(sample_batch, tmp_path / "out")
    assert len(spawned) == 1
    findings = pd.read_csv(tmp_path / "out" / "findings.csv", encoding="utf-8-sig")
    rule_engines = set(findings.loc[~findings["rule_id"].str.startswith(("parse.", "layout.")), "engine"])
    assert rule_engines == {"pandera+gx"}
    assert (tmp_path / "out" / "data_docs" / "index.html").is_file()
    assert Path(outcome["outputs"]["data_docs"]).exists()
