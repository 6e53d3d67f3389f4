"""One small validated batch, published once per test session (site and Data Docs)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gxbg.pipeline import validate_paths
from gxbg.publish.datadocs import build_data_docs
from gxbg.publish.files import write_outputs
from gxbg.publish.site import build_site
from gxbg.rules import default_rules_dir
from gxbg.synth import random_report, render

LAYOUTS = ("tabs", "spaces", "markdown")


def write_batch(folder: Path, count: int, seed: int = 7) -> Path:
    """count synthetic reports (every third with 一+二 ≠ (七)+四), plus one file that is not a report."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(count):
        data = random_report(rng)
        if i % 3 == 0:
            data.requests["new_received"]["natural_person"] += 1
        (folder / f"report-{i:03d}.txt").write_text(render(data, LAYOUTS[i % 3]), encoding="utf-8")
    (folder / "broken.txt").write_text("这不是年度报告。\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def batch(tmp_path_factory):
    inbox = write_batch(tmp_path_factory.mktemp("inbox"), 12)
    return validate_paths([inbox], default_rules_dir())


@pytest.fixture(scope="session")
def published(batch, tmp_path_factory) -> Path:
    """The run's output folder: findings files, data_docs/ and site/ (Data Docs first, as the CLI does)."""
    out = tmp_path_factory.mktemp("out")
    write_outputs(out, batch.findings, batch.reports)
    build_data_docs(batch.gx_results, out)
    build_site(batch, out)
    return out
