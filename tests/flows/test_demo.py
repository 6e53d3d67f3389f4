"""gxbg demo as a user runs it: a fresh process, no Prefect server started by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

GXBG = Path(sys.executable).with_name("gxbg")


@pytest.mark.slow
def test_demo_writes_a_batch_runs_the_flow_and_prints_where_the_results_are(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GXBG_"))}
    done = subprocess.run([str(GXBG), "demo", "--out", str(tmp_path / "demo"), "--reports", "12"], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr

    labels = ("findings", "reports", "site", "Data Docs")
    pairs = [line.split(":", 1) for line in done.stdout.splitlines() if line.startswith(labels)]
    printed = {name.strip(): Path(path.strip()) for name, path in pairs}
    assert set(printed) == set(labels), done.stdout
    assert all(path.is_file() for path in printed.values()), printed
    assert printed["site"] == tmp_path / "demo" / "results" / "site" / "index.html"

    demo = tmp_path / "demo"
    assert (demo / ".prefect").is_dir()  # Prefect's embedded database stays inside the output folder
    reports = pd.read_csv(printed["reports"], encoding="utf-8-sig")
    names = set(reports["source"].map(lambda s: Path(s).name))
    assert {p.name for p in (demo / "reports").iterdir()} <= names  # every file written is accounted for
    assert {"ok", "parse_error", "unsupported"} <= set(reports["status"])
    findings = pd.read_csv(printed["findings"], encoding="utf-8-sig")
    assert "parse.error" in set(findings["rule_id"])
    injected = pd.read_csv(demo / "truth.csv").query("severity == 'error' and file.notna()", engine="python")
    erring = set(findings.loc[findings["severity"] == "error", "source"].map(lambda s: Path(s).name))
    assert erring & set(injected["file"].map(lambda f: Path(f).name))


def test_demo_refuses_a_folder_that_is_not_its_own(tmp_path, capsys):
    from gxbg.cli import main

    (tmp_path / "notes.txt").write_text("keep me")
    assert main(["demo", "--out", str(tmp_path)]) == 2
    assert "not a gxbg demo folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
