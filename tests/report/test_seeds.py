"""The five seed reports parse, with the values an auditor reads off them."""

from __future__ import annotations

import pandas as pd
import pytest

from gxbg.codes import APPEAL_CODES, REQUEST_ROWS
from gxbg.report import parse_file, parse_text


def notes(report, code):
    return [n for n in report.layout if n.code == code]


def test_seed_000_extra_cells_repaired(seed):
    r = parse_file(seed("000"))
    assert (r.agency, r.year, r.format) == ("卫辉市应急管理局", 2021, "2021")
    assert r.active_value("licensing", "decisions") == 7
    assert r.active_value("penalties", "decisions") == 56
    assert r.requests.at["new_received", "commercial"] == 56
    assert r.requests.at["results_total", "total"] == 56
    assert r.requests.at["results_total", "natural_person"] == 0
    assert r.requests.at["denied_enforcement_file", "commercial"] == 56
    assert r.active[r.active["item"] == "fees"].empty
    assert [n.row for n in notes(r, "missing_row")] == ["fees"]
    extra = {n.row for n in notes(r, "extra_cell")}
    assert {"results_total", None} <= extra  # (七)总计 has 8 cells; 四 has 16 numbers
    assert r.request_lines["results_total"] == 79
    assert r.appeals["value"].tolist() == [0] * 15


def test_seed_001_one_cell_per_line_2019_format(seed):
    r = parse_file(seed("001"))
    assert (r.agency, r.year, r.format, r.published) == ("定西市应急管理局", 2020, "2019", "2021-02-08")
    assert [r.active_value("licensing", m) for m in ("previous", "change", "decisions")] == [103, 26, 129]
    assert r.active_value("procurement", "projects") == 0
    assert r.appeals.at["review_upheld", "value"] == 1
    assert r.appeals.at["review_total", "value"] == 1
    assert r.appeals.at["suit_after_review_pending", "value"] == 1
    assert r.appeals.at["suit_after_review_total", "value"] == 1
    # 2019 format: one (六)其他处理 row; the 2021 sub-rows are absent, not zero
    assert r.requests.loc["other_misc"].tolist() == [0] * 7
    assert r.requests.loc[["other_no_correction", "other_unpaid_fee"]].isna().all().all()
    assert not notes(r, "missing_row")
    assert notes(r, "web_chrome")
    assert notes(r, "label_typo")  # "本年增/" header cut short


def test_seed_002_short_rows_aligned_by_structure(seed):
    r = parse_file(seed("002"))
    assert (r.agency, r.year, r.format) == ("辉县市人民政府", 2021, "2021")
    assert r.active_value("fees", "amount_10k_yuan") == pytest.approx(12372.0506)
    assert r.active_value("normative_documents", "in_force") == 67
    req = r.requests
    assert req.at["new_received", "total"] == 75
    assert req.at["results_total", "total"] == 66
    assert req.at["carried_forward", "total"] == 9
    assert req.at["granted", "natural_person"] == 18
    assert req.at["partly_granted", "commercial"] == 1
    assert req.at["unavailable_not_held", "commercial"] == 1
    assert req.at["results_total", "commercial"] == 2
    assert r.appeals.at["suit_direct_other", "value"] == 3
    assert r.appeals.at["suit_direct_total", "value"] == 3
    short = notes(r, "missing_cell")
    assert len(short) == 23 and all(n.line for n in short)
    assert [n.message for n in notes(r, "label_typo")] == ["表头“本年度止件数”应为“本年废止件数”"]
    # once repaired, the table's identities hold
    assert not req.isna().any().any()
    results = req.loc[list(REQUEST_ROWS[2:23])].sum()
    assert (results == req.loc["results_total"]).all()
    assert ((req.loc["new_received"] + req.loc["carried_over"]) == (req.loc["results_total"] + req.loc["carried_forward"])).all()


@pytest.mark.parametrize(
    ("prefix", "agency", "year", "penalties"),
    [("003", "延津县应急管理局", 2023, 11), ("004", "枣庄市台儿庄区应急管理局", 2021, 139)],
)
def test_seeds_003_004_all_zero_requests(seed, prefix, agency, year, penalties):
    r = parse_file(seed(prefix))
    assert (r.agency, r.year, r.format) == (agency, year, "2021")
    assert r.active_value("penalties", "decisions") == penalties
    assert (r.requests == 0).all().all()
    assert (r.appeals["value"] == 0).all()


def test_seed_004_headings_without_numbers_and_split_title(seed):
    r = parse_file(seed("004"))
    assert {n.section for n in notes(r, "heading_unnumbered")} == {"overview", "appeals"}
    assert notes(r, "title_split")
    assert set(r.sections) == {"overview", "active", "requests", "appeals", "problems", "other"}
    assert r.narrative["other"].text == "无"


def test_every_seed_parses_completely(seed):
    for prefix in ("000", "001", "002", "003", "004"):
        r = parse_file(seed(prefix))
        assert len(r.sections) == 6, prefix
        assert r.requests.loc[["new_received", "results_total", "carried_forward"]].notna().all().all(), prefix
        assert r.appeals["value"].notna().all(), prefix
        assert pd.api.types.is_integer_dtype(r.requests.dtypes.iloc[0])
        assert list(r.appeals.index) == list(APPEAL_CODES)
        assert r.narrative["overview"].text and r.narrative["overview"].start


@pytest.mark.parametrize("cut", [16, 10])
def test_long_label_wrapped_inside_its_key_phrase(seed, cut):
    """A label broken over two lines before its values (copied text, PDFs without rulings)."""
    text = seed("002").read_text(encoding="utf-8")
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    line = next(ln for ln in text.split("\n") if label in ln)
    values = line.split(label)[1]
    wrapped = "\t\t" + label[:cut] + "\n\t\t" + label[cut:] + values
    report = parse_text(text.replace(line, wrapped))
    assert not notes(report, "label_unrecognised")
    assert report.requests.equals(parse_file(seed("002")).requests)
