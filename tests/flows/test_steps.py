"""The library steps the flow's tasks call (no Prefect here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxbg import pipeline
from gxbg.synth import random_report, render


def _write(folder: Path, name: str, seed: int) -> Path:
    import random

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(render(random_report(random.Random(seed)), "tabs"), encoding="utf-8")
    return path


def test_discover_takes_folders_files_and_globs(tmp_path):
    a = _write(tmp_path / "in" / "2023", "a.txt", 1)
    b = _write(tmp_path / "in" / "2024", "b.md", 2)
    (tmp_path / "in" / ".hidden.txt").write_text("x")
    assert pipeline.discover(tmp_path / "in") == [a, b]
    assert pipeline.discover(str(tmp_path / "in" / "**" / "*.md")) == [b]
    with pytest.raises(FileNotFoundError, match="no file matches"):
        pipeline.discover(str(tmp_path / "in" / "*.pdf"))
    with pytest.raises(FileNotFoundError):
        pipeline.discover(tmp_path / "missing")


def test_chunks_parsed_apart_merge_into_the_batch_parse_files_gives(tmp_path):
    files = [_write(tmp_path, f"{i}.txt", i) for i in range(5)]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(files[0].read_bytes())  # a copy in a later chunk
    files.append(copy)
    whole_reports, whole = pipeline.parse_files(files)
    parts = [pipeline.parse_chunk([str(f) for f in chunk]) for chunk in pipeline.chunked(files, 2)]
    reports, statuses = pipeline.merge_parsed(parts)
    assert [r.report_id for r in reports] == [r.report_id for r in whole_reports]
    assert statuses.equals(whole)
    assert statuses["status"].tolist()[-1] == "duplicate"
    assert pipeline.merge_parsed([])[0] == []
    with pytest.raises(ValueError):
        pipeline.chunked(files, 0)


def test_a_parser_crash_is_one_files_parse_error(tmp_path, monkeypatch):
    good, bad = _write(tmp_path, "good.txt", 1), _write(tmp_path, "bad.txt", 2)
    real = pipeline.parse_document

    def crash_on_bad(doc):
        if doc.source.endswith("bad.txt"):
            raise RuntimeError("parser bug")
        return real(doc)

    monkeypatch.setattr(pipeline, "parse_document", crash_on_bad)
    reports, statuses = pipeline.parse_chunk([good, bad])
    assert len(reports) == 1
    row = statuses.set_index("source").loc[str(bad)]
    assert row["status"] == "parse_error" and "RuntimeError: parser bug" in row["reason"]


def test_validate_store_and_publish_a_parsed_batch(tmp_path):
    files = [_write(tmp_path / "in", f"{i}.txt", i) for i in range(3)]
    reports, statuses = pipeline.parse_chunk(files)
    manifest = tmp_path / "expected.csv"
    manifest.write_text("agency,year\n没有报告的机关,2023\n", encoding="utf-8")
    result = pipeline.validate_parsed(reports, statuses, engines=("pandera",), expected=manifest)
    missing = result.findings[result.findings["rule_id"] == "coverage.missing"]
    assert missing["agency"].tolist() == ["没有报告的机关"] and missing["line"].tolist() == [2]

    run = pipeline.store_history(result, out=tmp_path / "out")
    assert (run.new_reports, run.run_id) == (3, 1)
    assert pipeline.store_history(result, out=tmp_path / "out").new_reports == 0  # stored once
    assert [r.report_id for r in pipeline.history_context(reports, out=tmp_path / "out")] == []  # not itself

    published = pipeline.publish(tmp_path / "out", result)
    assert {"findings.csv", "reports.csv", "site"} <= set(published.paths)
    assert "data_docs" not in published.paths and published.skipped  # pandera only
