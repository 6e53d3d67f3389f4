"""gxbg parse: JSON shape, per-file errors, exit status."""

from __future__ import annotations

import json

from gxbg.cli import main
from tests.conftest import shared_file

KEYS = {"source", "agency", "year", "format", "published", "encoding", "active", "requests", "appeals", "narrative",
        "layout"}


def test_json_for_one_file(capsys):
    seed = next(shared_file("seeds").glob("001_*.txt"))
    assert main(["parse", "--json", str(seed)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert KEYS <= set(data)
    assert data["published"] == "2021-02-08"
    assert data["requests"]["new_received"]["total"] == 0
    assert data["requests"]["other_unpaid_fee"]["total"] is None  # 2019 format: absent, not zero
    assert data["appeals"]["suit_after_review_pending"] == 1
    assert data["active"]["licensing"] == {"previous": 103, "change": 26, "decisions": 129}
    assert data["narrative"]["overview"]["start"] < data["narrative"]["other"]["start"]


def test_bad_file_named_others_still_parsed(tmp_path, capsys):
    bad = tmp_path / "not-a-report.txt"
    bad.write_text("今天天气很好。\n明天也不错。\n", encoding="utf-8")
    seed = next(shared_file("seeds").glob("003_*.txt"))
    assert main(["parse", "--json", str(bad), str(seed)]) == 1
    captured = capsys.readouterr()
    docs = json.loads(captured.out)
    assert [d["agency"] for d in docs] == ["延津县应急管理局"]
    assert f"{bad}:" in captured.err and "不是政府信息公开工作年度报告" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_text_summary(capsys):
    seed = next(shared_file("seeds").glob("002_*.txt"))
    assert main(["parse", str(seed)]) == 0
    out = capsys.readouterr().out
    assert "辉县市人民政府" in out and "新收 75" in out and "missing_cell" in out
