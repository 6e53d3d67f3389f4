"""prefect.yaml end to end: a real local Prefect server, `prefect deploy`, one run picked up by a process worker."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFECT = Path(sys.executable).with_name("prefect")
POOL = "gxbg-process"  # prefect.yaml's work pool
DEPLOYMENT = "validate-batch/nightly-validation"
SERVER_START = 180  # seconds; a new database is migrated first
RUN_TIMEOUT = 300
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prefect(args: list[str], env: dict, timeout: int = 180) -> str:
    done = subprocess.run([str(PREFECT), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own process group: uvicorn and any children
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def prefect_server(tmp_path: Path):
    """A Prefect server on a free 127.0.0.1 port with its SQLite database in tmp_path; yields the env to reach it."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api, "PWD": str(ROOT),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING"}  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + SERVER_START
        while not _healthy(api):
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the Prefect server did not start:\n" + (tmp_path / "server.log").read_text()
            time.sleep(0.5)
        yield env
    finally:
        _stop(server)
        log.close()


def _healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _state(api: str, run_id: str) -> str:
    return httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()["state"]["type"]


@pytest.mark.slow
def test_nightly_deployment_runs_on_a_process_worker(prefect_server, tmp_path):
    from gxbg.synth.batch import write_sample_batch

    env, api = prefect_server, prefect_server["PREFECT_API_URL"]
    batch = write_sample_batch(tmp_path / "batch", reports=6, seed=3)
    out = tmp_path / "out"
    _prefect(["work-pool", "create", POOL, "--type", "process"], env)
    params = json.dumps({"inbox": str(batch.folder), "out": str(out), "engine": "pandera"})
    _prefect(["--no-prompt", "deploy", "-n", "nightly-validation", "--params", params], env)

    deployment = httpx.get(f"{api}/deployments/name/{DEPLOYMENT}", timeout=10).json()
    assert deployment["schedules"][0]["schedule"]["cron"] == "0 2 * * *"
    assert deployment["schedules"][0]["schedule"]["timezone"] == "Asia/Shanghai"
    assert deployment["work_pool_name"] == POOL

    started = _prefect(["deployment", "run", DEPLOYMENT], env)
    run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", started).group(1)
    # --run-once: one poll, then the worker waits for the run it started and exits. Its own process group,
    # so that a timeout also ends the flow run it started.
    worker = subprocess.Popen([str(PREFECT), "worker", "start", "--pool", POOL, "--run-once"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
    try:
        log, _ = worker.communicate(timeout=RUN_TIMEOUT)
    finally:
        _stop(worker)
    deadline = time.monotonic() + 60
    while (state := _state(api, run_id)) not in TERMINAL and time.monotonic() < deadline:
        time.sleep(1)
    assert state == "COMPLETED", f"flow run {state}:\n{log}"

    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    assert sorted(reports["source"]) == sorted(map(str, batch.files))
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert "parse.error" in set(findings["rule_id"])
    assert (out / "site" / "index.html").is_file()
