"""`gxbg validate`: every input file listed, findings written three ways, exit codes, new rules
picked up from YAML alone."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gxbg.cli import main
from gxbg.findings import FINDINGS_COLUMNS
from gxbg.pipeline import REPORT_COLUMNS, validate_paths
from gxbg.rules import default_rules_dir
from gxbg.synth import random_report, render


def write_report(path: Path, seed: int, layout: str = "tabs", unbalance: bool = False) -> Path:
    data = random_report(random.Random(seed), format="2021")
    if unbalance:  # one more natural-person request, in its row total too: only 一+二=(七)+四 breaks
        data.requests["new_received"]["natural_person"] += 1
        data.requests["new_received"]["total"] += 1
    path.write_text(render(data, layout), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    write_report(folder / "good.txt", 1)
    (folder / "sub").mkdir()
    write_report(folder / "sub" / "bad.txt", 2, unbalance=True)
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "broken.txt").write_text("这不是年度报告。\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    status = main(["validate", str(inputs), "--out", str(out)])
    return status, out


def test_every_input_file_has_a_status(run, inputs):
    status, out = run
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    assert list(reports.columns) == REPORT_COLUMNS
    by_name = dict(zip(reports["source"].map(lambda s: Path(s).name), reports["status"]))
    assert by_name == {"good.txt": "ok", "bad.txt": "ok", "notes.xlsx": "unsupported", "broken.txt": "parse_error"}
    bad = reports[reports["source"].str.endswith("bad.txt")].iloc[0]
    assert bad["errors"] == 3  # 一+二 ≠ (七)+四 in two columns, and 一 still states the old count


def test_findings_written_three_ways(run):
    status, out = run
    csv = pd.read_csv(out / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    parquet = pd.read_parquet(out / "findings.parquet")
    records = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert list(csv.columns) == list(parquet.columns) == FINDINGS_COLUMNS
    assert len(csv) == len(parquet) == len(records) > 0
    assert list(csv["rule_id"]) == list(parquet["rule_id"]) == [r["rule_id"] for r in records]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left behind


def test_unbalanced_report_found_by_both_engines(run):
    status, out = run
    assert status == 1  # errors reach the default --fail-on error
    findings = pd.read_parquet(out / "findings.parquet")
    rules = findings[findings["category"] != "layout"]
    balance = rules[rules["rule_id"] == "requests.balance"]
    assert sorted(balance["column"]) == ["natural_person", "total"]
    assert set(balance["engine"]) == {"pandera+gx"}
    assert balance["source"].str.endswith("bad.txt").all()
    assert (balance["line"] > 0).all() and (balance["section"] == "requests").all()
    assert balance["message"].str.contains("自然人：新收与上年结转之和").any()
    parse = rules[rules["category"] == "parse"]
    assert len(parse) == 1 and parse["source"].iloc[0].endswith("broken.txt")
    assert set(rules["severity"]) == {"error"}


def test_fail_on_never_and_warning(inputs, tmp_path):
    good = inputs / "good.txt"
    assert main(["validate", str(inputs), "--out", str(tmp_path / "a"), "--fail-on", "never"]) == 0
    assert main(["validate", str(good), "--out", str(tmp_path / "b"), "--engine", "pandera"]) == 0


def test_usage_errors_exit_2(inputs, tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2
    bad_rules = tmp_path / "rules"
    bad_rules.mkdir()
    (bad_rules / "r.yaml").write_text("- id: x\n  kind: nope\n", encoding="utf-8")
    assert main(["validate", str(inputs / "good.txt"), "--out", str(tmp_path / "o"), "--rules", str(bad_rules)]) == 2
    assert "r.yaml:1:3: missing key" in capsys.readouterr().err


def test_a_new_yaml_rule_needs_no_code(inputs, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "extra.yaml").write_text(
        """\
- id: extra.few_new_requests
  kind: value_domain
  table: requests
  columns: [total]
  rows: [new_received]
  minimum: 1000000
  severity: info
  category: value
  message: "{row}：{observed} 件"
""",
        encoding="utf-8",
    )
    result = validate_paths([inputs / "good.txt"], rules)
    extra = result.findings[result.findings["rule_id"] == "extra.few_new_requests"]
    assert len(extra) == 1 and extra["engine"].iloc[0] == "pandera+gx" and extra["row"].iloc[0] == "new_received"


def test_progress_every_500_files(tmp_path, capsys):
    from gxbg.commands.validate import _progress

    _progress(500, 1200)
    _progress(3, 3)
    assert capsys.readouterr().err == "parsed 500/1200 files\n"


@pytest.mark.parametrize("exits", [True, False])
def test_the_batch_is_frozen_only_when_the_process_ends_with_the_command(inputs, tmp_path, monkeypatch, exits):
    from gxbg import collector

    frozen = []
    monkeypatch.setattr(collector, "freeze_for_exit", lambda: frozen.append(True))
    status = main(["validate", str(inputs), "--out", str(tmp_path / "out"), "--no-data-docs", "--no-site"], exits=exits)
    assert status == 1 and (tmp_path / "out" / "findings.csv").exists()
    assert frozen == ([True] if exits else [])


def test_the_console_script_runs_commands_as_ending_the_process(monkeypatch):
    import gxbg.cli as cli

    calls = []
    monkeypatch.setattr(cli, "main", lambda argv=None, exits=False: calls.append(exits) or 0)
    assert cli.console() == 0 and calls == [True]
