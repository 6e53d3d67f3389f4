"""Durability: an interrupted run leaves the previous outputs intact, and running the same batch again gives
byte-identical findings files and stores nothing twice in the history database."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gxbg.cli import main
from gxbg.history import open_history
from gxbg.pipeline import store_history, validate_paths
from gxbg.rules import default_rules_dir
from gxbg.synth import random_report, render

OUTPUTS = ("findings.csv", "findings.parquet", "findings.json", "reports.csv")


def write_batch(folder: Path, reports: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(reports):
        # r2 and r3: one agency's consecutive years, so the cross-year rules have a pair to compare
        agency = f"持久市第{min(i, 2)}局"
        data = random_report(random.Random(40 + i), year=2021 + i % 3 if i < 3 else 2024, agency=agency)
        if i == 1:  # one row-sum error, so the findings are not only layout notes
            data.requests["new_received"]["natural_person"] += 3
        (folder / f"r{i}.txt").write_text(render(data, "tabs"), encoding="utf-8")
    shutil.copyfile(folder / "r0.txt", folder / "r0-copy.txt")
    (folder / "broken.txt").write_text("不是年度报告\n", encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".") or p.name.endswith((".tmp", ".old"))]


def validate(inbox: Path, out: Path, engine: str = "pandera") -> int:
    return main(["validate", str(inbox), "--out", str(out), "--engine", engine, "--no-data-docs", "--no-site"])


@pytest.fixture
def previous(tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    inbox, out = write_batch(tmp_path / "inbox"), tmp_path / "out"
    assert validate(inbox, out) == 1
    return inbox, out, snapshot(out)


def _changed_batch(inbox: Path) -> None:
    """A second batch whose outputs would differ from the first's."""
    data = random_report(random.Random(99), year=2023, agency="持久市新局")
    data.requests["new_received"]["natural_person"] += 1
    (inbox / "new.txt").write_text(render(data, "cells"), encoding="utf-8")


def test_failure_while_writing_leaves_previous_outputs(previous, monkeypatch):
    inbox, out, before = previous
    _changed_batch(inbox)

    def disk_full(frame):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gxbg.publish.files.records_json", disk_full)  # findings.json, the third file written
    with pytest.raises(OSError, match="No space left"):
        validate(inbox, out)
    assert snapshot(out) == before  # not even the two files written before the failure were replaced
    assert leftovers(out) == []


def test_interrupt_in_the_middle_of_a_file_leaves_previous_outputs(previous, monkeypatch):
    inbox, out, before = previous
    _changed_batch(inbox)

    def half_then_interrupt(self, path, *args, **kwargs):
        Path(path).write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_then_interrupt)
    assert validate(inbox, out) == 130  # Ctrl-C: main reports the interruption
    assert snapshot(out) == before
    assert leftovers(out) == []
    monkeypatch.undo()
    assert validate(inbox, out) == 1  # the next run replaces them all
    after = snapshot(out)
    assert all(after[name] != before[name] for name in OUTPUTS)
    assert b"new.txt" in after["reports.csv"]


def test_rerun_gives_byte_identical_outputs(tmp_path):
    """The second run finds the first run's reports in the history database (DIR/gxbg-history.sqlite): it must
    neither store them again nor report anything differently."""
    inbox, out = write_batch(tmp_path / "inbox"), tmp_path / "out"
    assert validate(inbox, out, "both") == 1
    before, stored = snapshot(out), history_counts(out)
    assert stored["reports"] == 4 and stored["findings"] > 0
    assert validate(inbox, out, "both") == 1
    assert snapshot(out) == before
    assert history_counts(out) == stored | {"runs": 2}


def history_counts(out: Path) -> dict[str, int]:
    with open_history(out / "gxbg-history.sqlite") as history:
        return {"reports": len(history.list_reports()), "findings": len(history.list_findings()),
                "runs": len(history.list_runs())}  # fmt: skip


def test_output_folder_does_not_change_the_results(previous):
    inbox, out, before = previous
    other = out.parent / "elsewhere"
    assert validate(inbox, other) == 1
    assert snapshot(other) == before


def test_history_stores_nothing_twice(tmp_path):
    inbox = write_batch(tmp_path / "inbox")
    db = tmp_path / "history.sqlite"
    first = validate_paths([inbox], default_rules_dir(), engines=("pandera",))
    stored = store_history(first, db)
    assert stored.new_reports == 4 and stored.new_findings > 0  # r0-copy.txt is r0: stored once
    again = validate_paths([inbox], default_rules_dir(), engines=("pandera",))
    pd.testing.assert_frame_equal(first.findings, again.findings)
    pd.testing.assert_frame_equal(first.reports, again.reports)
    restored = store_history(again, db)
    assert (restored.new_reports, restored.new_findings) == (0, 0)
    with open_history(db) as history:
        assert len(history.list_reports()) == 4
        assert len(history.list_findings()) == stored.new_findings
        assert len(history.list_runs()) == 2  # each run is recorded; its reports and findings are not repeated
