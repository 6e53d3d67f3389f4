"""A batch of every kind of bad input plus the five seeds: every file has its row in reports.csv with the
right status and a one-line Chinese + English reason, the seeds' findings are the same as when they are
validated alone, and the exit status is as documented (1: parse failures are error findings)."""

from __future__ import annotations

import os
import random
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from gxbg.cli import main
from gxbg.findings import PARSE_FAILURES
from gxbg.pipeline import STATUSES
from gxbg.synth import random_report, render
from tests.conftest import shared_file
from tests.documents.test_inputs import refuse_reading

MAX_BYTES = "300K"
NOT_A_REPORT = "关于召开2024年第三季度工作例会的通知\n\n各科室：\n定于下周一上午9时召开工作例会。\n\n办公室\n"


def synthetic(agency: str, seed: int) -> str:
    return render(random_report(random.Random(seed), year=2022, agency=agency), "tabs")


def truncated(agency: str) -> str:
    """A report cut off before its section 三: sections 三 to 六 are missing."""
    text = synthetic(agency, 5)
    return text[: text.index("三、收到和处理政府信息公开申请情况")]


def write_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2022/good.txt", synthetic("测试市压缩包局", 6))
        archive.writestr("../../evil.txt", synthetic("测试市越界局", 7))
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("bomb.txt", b"0" * (5 * 1024 * 1024))
        archive.writestr("inner.zip", b"PK\x05\x06" + bytes(18))
        archive.writestr("__MACOSX/2022/._good.txt", b"resource fork")  # not an input


# name under the batch folder -> (status, text the reason contains; None: no reason)
EXPECTED = {
    "2-bad/batch.zip!2022/good.txt": ("ok", None),
    "2-bad/batch.zip!../../evil.txt": ("unreadable", "unsafe member path"),
    "2-bad/batch.zip!link.txt": ("unreadable", "symlink"),
    "2-bad/batch.zip!bomb.txt": ("too_large", "size limit"),
    "2-bad/batch.zip!inner.zip": ("unsupported", "zip"),
    "2-bad/binary.txt": ("parse_error", "binary content"),
    "2-bad/broken-link.txt": ("unreadable", "broken symlink"),
    "2-bad/copy-of-seed.txt": ("duplicate", "identical bytes to"),
    "2-bad/empty.txt": ("parse_error", "empty file"),
    "2-bad/huge.txt": ("too_large", "size limit"),
    "2-bad/image.txt": ("parse_error", "PNG image"),
    "2-bad/loop": ("unreadable", "folder symlink loop"),
    "2-bad/not-a-report.txt": ("parse_error", "not an annual report"),
    "2-bad/notes.xlsx": ("unsupported", ".xlsx"),
    "2-bad/old.doc": ("unsupported", ".doc"),
    "2-bad/pipe.txt": ("unreadable", "named pipe"),
    "2-bad/self-link.txt": ("unreadable", "symlink loop"),
    "2-bad/truncated.txt": ("ok", "sections 三, 四, 五, 六 not found"),
    "2-bad/unreadable.txt": ("unreadable", "permission denied"),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("batch")
    seeds = root / "1-seeds"  # sorted first: the seeds are the originals, their copy the duplicate
    seeds.mkdir()
    for seed in sorted(shared_file("seeds").glob("*.txt")):
        shutil.copyfile(seed, seeds / seed.name)
    bad = root / "2-bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(random.Random(8).randbytes(4096))
    (bad / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (bad / "truncated.txt").write_text(truncated("测试市截断局"), encoding="utf-8")
    (bad / "not-a-report.txt").write_text(NOT_A_REPORT, encoding="utf-8")
    (bad / "huge.txt").write_text(synthetic("测试市超大局", 9) + "。" * 200_000, encoding="utf-8")
    (bad / "unreadable.txt").write_text(synthetic("测试市权限局", 10), encoding="utf-8")
    os.mkfifo(bad / "pipe.txt")
    (bad / "broken-link.txt").symlink_to("nowhere.txt")
    (bad / "self-link.txt").symlink_to("self-link.txt")
    (bad / "loop").symlink_to("..")
    shutil.copyfile(sorted(seeds.glob("*.txt"))[0], bad / "copy-of-seed.txt")
    (bad / "notes.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    (bad / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    write_zip(bad / "batch.zip")
    return root


@pytest.fixture(scope="module")
def runs(batch, tmp_path_factory):
    """(exit status, output folder) of the seeds alone and of the whole batch."""
    out = tmp_path_factory.mktemp("out")
    alone = main(["validate", str(batch / "1-seeds"), "--out", str(out / "seeds")])
    with pytest.MonkeyPatch.context() as mp:
        refuse_reading(mp, batch / "2-bad" / "unreadable.txt")
        whole = main(["validate", str(batch), "--out", str(out / "batch"), "--max-bytes", MAX_BYTES])
    return {"seeds": (alone, out / "seeds"), "batch": (whole, out / "batch")}


def reports_of(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "reports.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_every_file_has_its_row_with_status_and_reason(batch, runs):
    reports = reports_of(runs["batch"][1])
    names = [s[len(str(batch)) + 1:] for s in reports["source"]]
    seeds = sorted(f"1-seeds/{p.name}" for p in (batch / "1-seeds").iterdir())
    assert sorted(names) == sorted(seeds + list(EXPECTED))  # one row per file and per zip member, no more
    got = dict(zip(names, zip(reports["status"], reports["reason"])))
    for name in seeds:
        assert got[name] == ("ok", ""), name
    for name, (status, part) in EXPECTED.items():
        assert got[name][0] == status, (name, got[name])
        if part:
            assert part in got[name][1], (name, got[name])
    assert set(reports["status"]) <= set(STATUSES)
    assert "1-seeds/" in got["2-bad/copy-of-seed.txt"][1]  # the duplicate names its original


def test_reasons_are_one_line_in_chinese_and_english(runs):
    reasons = reports_of(runs["batch"][1])["reason"]
    for reason in reasons[reasons != ""]:
        assert "\n" not in reason and "\r" not in reason
        assert re.search(r"[\u4e00-\u9fff]", reason), reason  # Chinese first
        assert re.search(r"\([^()]*[A-Za-z]{3,}", reason), reason  # English in parentheses


def test_failures_are_error_findings_and_counted(batch, runs):
    status, out = runs["batch"]
    assert status == 1  # the parse failures are errors: they reach the default --fail-on error
    reports = reports_of(out)
    findings = pd.read_parquet(out / "findings.parquet")
    failed = reports[reports["status"].isin(list(PARSE_FAILURES))]
    parse = findings[findings["category"] == "parse"]
    assert sorted(parse["source"]) == sorted(failed["source"])
    assert (failed["errors"] == "1").all()
    assert dict(zip(parse["source"], parse["rule_id"])) == {
        s: PARSE_FAILURES[st] for s, st in zip(failed["source"], failed["status"])
    }
    listed = reports[reports["status"].isin(["unsupported", "duplicate"])]["source"]
    assert not set(listed) & set(findings["source"])  # only listed, no finding of their own


def test_seed_findings_unchanged_by_the_bad_inputs(batch, runs):
    seeds = str(batch / "1-seeds")
    alone = pd.read_parquet(runs["seeds"][1] / "findings.parquet")
    within = pd.read_parquet(runs["batch"][1] / "findings.parquet")
    within = within[within["source"].str.startswith(seeds)].reset_index(drop=True)
    assert len(alone) > 0 and alone["source"].str.startswith(seeds).all()
    pd.testing.assert_frame_equal(alone, within)
    seeds_only = reports_of(runs["seeds"][1])
    in_batch = reports_of(runs["batch"][1])
    pd.testing.assert_frame_equal(seeds_only, in_batch[in_batch["source"].str.startswith(seeds)].reset_index(drop=True))


def test_exit_status_as_documented(batch, runs, tmp_path):
    seeds_status, seeds_out = runs["seeds"]
    findings = pd.read_parquet(seeds_out / "findings.parquet")
    assert seeds_status == int((findings["severity"] == "error").any())
    never = main(["validate", str(batch / "2-bad"), "--out", str(tmp_path / "o"), "--fail-on", "never"])
    assert never == 0
    assert main(["validate", str(batch / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(SystemExit) as usage:  # argparse: bad option value
        main(["validate", str(batch), "--out", str(tmp_path / "o"), "--max-bytes", "lots"])
    assert usage.value.code == 2


def test_nothing_written_outside_the_output_folder(batch, runs):
    assert not list(batch.parent.rglob("evil.txt"))  # the zip member named ../../evil.txt
    out = runs["batch"][1]
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} >= {"findings.csv", "reports.csv"}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("text, size", [("1000", 1000), ("500K", 512000), ("20M", 20 * 1024**2), ("1.5kb", 1536)])
def test_max_bytes_accepts_sizes(text, size):
    from gxbg.commands.validate import _size

    assert _size(text) == size


@pytest.mark.parametrize("text", ["lots", "", "0", "-5M", "inf"])
def test_max_bytes_rejects_what_is_not_a_size(text):
    import argparse

    from gxbg.commands.validate import _size

    with pytest.raises(argparse.ArgumentTypeError):
        _size(text)

