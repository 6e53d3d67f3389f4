"""Batch steps of the Prefect flow and inputs: a glob inbox does not go round a folder symlink loop nor read the
output folder, and copies in chunks parsed apart are marked duplicate of the batch's first file."""

from __future__ import annotations

import random

from gxbg.synth import random_report, render


def synthetic(agency: str, seed: int) -> str:
    return render(random_report(random.Random(seed), year=2022, agency=agency), "tabs")


def test_glob_inbox_does_not_go_round_a_folder_loop(tmp_path):
    from gxbg.pipeline import discover

    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "in" / "sub" / "loop").symlink_to("..")  # glob's ** would list sub/loop/sub/a.txt... 40 times
    (tmp_path / "in" / "out").mkdir()
    (tmp_path / "in" / "out" / "findings.txt").write_text("x", encoding="utf-8")
    assert discover(str(tmp_path / "in" / "**" / "*.txt")) == [tmp_path / "in" / "out" / "findings.txt",
                                                                 tmp_path / "in" / "sub" / "a.txt"]  # fmt: skip
    assert discover(tmp_path / "in", exclude=[tmp_path / "in" / "out"]) == [tmp_path / "in" / "sub" / "a.txt",
                                                                            tmp_path / "in" / "sub" / "loop"]  # fmt: skip
    assert discover(str(tmp_path / "in" / "**" / "*.txt"), exclude=[tmp_path / "in" / "out"]) == [
        tmp_path / "in" / "sub" / "a.txt"]


def test_copies_in_chunks_parsed_apart_name_the_batch_first_file(tmp_path):
    from gxbg.pipeline import merge_parsed, parse_chunk

    text = synthetic("测试市分块局", 11)
    files = [tmp_path / name for name in ("a.txt", "b.txt", "c.txt", "d.txt")]
    for f in files:
        f.write_text(text, encoding="utf-8")
    reports, statuses = merge_parsed([parse_chunk(files[:1]), parse_chunk(files[1:])])
    assert len(reports) == 1
    assert list(statuses["status"]) == ["ok", "duplicate", "duplicate", "duplicate"]
    assert all(str(files[0]) in reason for reason in statuses["reason"][1:])
    assert statuses["report_id"].nunique() == 1  # the copies keep their report's id
