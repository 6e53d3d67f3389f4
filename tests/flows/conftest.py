"""Fixtures for the flow tests: a temporary Prefect API (SQLite) for the tests that run the flow in-process,
and small sample batches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before Prefect starts a server: no telemetry (no internet here), and no block registration, which
# only costs seconds per start.
QUIET_SERVER = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_API_BLOCKS_REGISTER_ON_START": "false"}
STARTUP_TIMEOUT = 180  # two xdist workers may migrate their databases at once on a 2-core machine


@pytest.fixture(scope="session")
def prefect_api():
    """One temporary Prefect server per test process, as the embedded default would start."""
    for name, value in QUIET_SERVER.items():
        os.environ.setdefault(name, value)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=STARTUP_TIMEOUT):
        yield


@pytest.fixture
def sample_batch(tmp_path: Path):
    from gxbg.synth.batch import write_sample_batch

    return write_sample_batch(tmp_path / "batch", reports=10, seed=7, inject_rate=0.5)
