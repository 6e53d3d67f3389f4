"""Synthetic report writer: identities of its figures, its layouts, determinism, and parser round trips."""

from __future__ import annotations

import random
import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxbg.codes import (
    ACTIVE_ITEMS,
    APPEAL_CODES,
    APPEAL_GROUPS,
    APPEAL_SUFFIXES,
    APPLICANT_COLUMNS,
    FORMATS,
    MONEY_MEASURES,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULT_ROWS,
    ROWS_ABSENT_2019,
    SIGNED_MEASURES,
)
from gxbg.synth import LAYOUTS, ReportData, random_report, render, request_rows
from gxbg.documents.text import normalise
from gxbg.synth.writer import ACTIVE_TABLES, REQUEST_LABELS, SECTION_HEADINGS, fee_sentence, overview_text

SAMPLE_SIZE = 300


@pytest.fixture(scope="module")
def samples() -> list[ReportData]:
    return [random_report(random.Random(seed)) for seed in range(SAMPLE_SIZE)]


def _lines(text: str) -> list[str]:
    return text.split("\n")


# --- identities of the figures ------------------------------------------------------------------


def test_every_row_total_is_the_sum_of_the_applicant_columns(samples):
    for data in samples:
        for row, cols in data.requests.items():
            assert cols["total"] == sum(cols[c] for c in APPLICANT_COLUMNS), (data.agency, row)


def test_results_total_is_the_sum_of_the_result_rows(samples):
    for data in samples:
        present = [r for r in RESULT_ROWS if r in data.requests]
        for col in REQUEST_COLUMNS:
            assert data.requests["results_total"][col] == sum(data.requests[r][col] for r in present)


def test_received_plus_carried_over_balances_results_plus_carried_forward(samples):
    for data in samples:
        req = data.requests
        for col in REQUEST_COLUMNS:
            assert (req["new_received"][col] + req["carried_over"][col]
                    == req["results_total"][col] + req["carried_forward"][col])


def test_each_appeal_total_is_the_sum_of_its_four_results(samples):
    for data in samples:
        assert tuple(data.appeals) == APPEAL_CODES
        for group in APPEAL_GROUPS:
            parts = [data.appeals[f"{group}_{s}"] for s in APPEAL_SUFFIXES[:4]]
            assert data.appeals[f"{group}_total"] == sum(parts)


def test_rows_and_columns_follow_the_format(samples):
    for data in samples:
        assert tuple(data.requests) == request_rows(data.format)
        assert all(tuple(cols) == REQUEST_COLUMNS for cols in data.requests.values())
        if data.format == "2019":
            assert not set(ROWS_ABSENT_2019) & set(data.requests)
        else:
            assert tuple(data.requests) == REQUEST_ROWS


def test_active_items_and_measures_follow_the_format(samples):
    for data in samples:
        assert {i: tuple(m) for i, m in data.active.items()} == ACTIVE_ITEMS[data.format]


def test_value_types_and_signs(samples):
    for data in samples:
        counts = [v for cols in data.requests.values() for v in cols.values()] + list(data.appeals.values())
        assert all(isinstance(v, int) and v >= 0 for v in counts)
        for measures in data.active.values():
            for measure, value in measures.items():
                if measure in MONEY_MEASURES:
                    assert isinstance(value, float) and value >= 0
                    assert round(value, 4) == value  # at most four decimals
                else:
                    assert isinstance(value, int)
                    assert measure in SIGNED_MEASURES or value >= 0


def test_ranges_look_like_real_reports(samples):
    received = [d.requests["new_received"]["total"] for d in samples]
    assert sum(r == 0 for r in received) > SAMPLE_SIZE // 4  # most agencies get (almost) none
    assert max(received) >= 100
    licensing = [d.active["licensing"]["decisions"] for d in samples]
    assert max(licensing) >= 1000
    changes = [d.active["penalties"]["change"] for d in samples if d.format == "2019"]
    assert min(changes) < 0 < max(changes)
    fees = [d.active["fees"]["amount_10k_yuan"] for d in samples if d.format == "2021"]
    assert any(f != int(f) for f in fees)  # some decimal amounts


def test_format_year_and_agency_arguments():
    rng = random.Random(1)
    assert random_report(rng, year=2020).format == "2019"
    assert random_report(rng, year=2022).format == "2021"
    assert random_report(rng, format="2019").year in (2019, 2020)
    assert random_report(rng, format="2021").year >= 2021
    assert random_report(rng, agency="某某市某某局").agency == "某某市某某局"
    with pytest.raises(ValueError):
        random_report(rng, format="2020")


def test_published_within_the_deadline(samples):
    for data in samples:
        if data.published is None:
            continue
        day = date.fromisoformat(data.published)
        deadline = date(data.year + 1, 3 if data.agency.endswith("人民政府") else 1, 31)
        assert date(data.year + 1, 1, 1) <= day <= deadline
    assert any(d.published is None for d in samples) and any(d.published for d in samples)


def test_narrative_restates_the_figures(samples):
    for data in samples:
        n = data.requests["new_received"]["total"]
        assert f"本年度共收到政府信息公开申请{n}件" in data.overview
        assert f"予以公开{data.requests['granted']['total']}件" in data.overview
        assert "信息处理费" in data.other


def test_fee_notices_come_with_a_stated_fee(samples):
    for data in samples:
        if data.format == "2021" and data.requests["other_unpaid_fee"]["total"] > 0:
            assert data.processing_fee > 0
        if data.processing_fee:
            assert "未收取" not in data.other
        else:
            assert "本年度未收取信息处理费。" in data.other


def test_same_seed_same_report_and_text():
    a, b = random_report(random.Random(42)), random_report(random.Random(42))
    assert a == b
    assert all(render(a, layout) == render(b, layout) for layout in LAYOUTS)
    assert random_report(random.Random(43)) != a


# --- rendering ------------------------------------------------------------------------------------


def _example(fmt: str, **changes) -> ReportData:
    data = random_report(random.Random(7), format=fmt)
    for name, value in changes.items():
        setattr(data, name, value)
    return data


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_render_has_title_headings_and_official_labels(layout, fmt):
    data = _example(fmt)
    text = render(data, layout)
    lines = [line.removeprefix("# ").removeprefix("## ") for line in _lines(text)]
    assert data.title in lines
    for _, heading in SECTION_HEADINGS:
        assert heading in lines, heading
    for numeral, headers, items in ACTIVE_TABLES[fmt]:
        assert f"第二十条第（{numeral}）项" in text
        assert all(h in text for h in headers)
        assert all(label in text for _, label in items)
    for _, labels in REQUEST_LABELS[fmt]:
        assert all(label in text for label in labels if label)
    for header in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结"):
        assert header in text


def test_2019_and_2021_labels_differ():
    old, new = render(_example("2019"), "tabs"), render(_example("2021"), "tabs")
    assert "本年新制作数量" in old and "本年制发件数" not in old
    assert "本年制发件数" in new and "本年新制作数量" not in new
    assert "政府集中采购" in old and "政府集中采购" not in new
    assert "\t(六) 其他处理\t\t" in old and "1.申请人无正当理由逾期不补正" not in old
    assert "1.申请人无正当理由逾期不补正" in new


@pytest.mark.parametrize("layout", LAYOUTS)
def test_signature_ends_the_report_when_published(layout):
    data = _example("2021", published="2022-01-20")
    body = render(data, layout).rstrip("\n")
    if layout == "web":
        body = body[: body.index("责任编辑:")].rstrip("\n")
    assert body.endswith(f"{data.agency}\n2022年1月20日")
    unpublished = render(_example("2021", published=None), layout)
    assert "2022年1月20日" not in unpublished and "发布时间:" not in unpublished


def test_tabs_rows_pad_merged_labels_like_the_seeds():
    text = render(_example("2021"), "tabs")
    assert re.search(r"^三、本年度办理结果\t\(一\) 予以公开\t\t(\d+\t){7}$", text, re.M)
    assert re.search(r"^\t\(三\) 不予公开\t1\.属于国家秘密\t\t\d+(\t\d+){6}$", text, re.M)
    assert re.search(r"^\t\t2\.其他法律行政法规禁止公开\t\t\d+(\t\d+){6}$", text, re.M)
    assert re.search(r"^一、本年新收政府信息公开申请数量\t\t(\d+\t){7}\t$", text, re.M)
    assert re.search(r"^\d+(\t\d+){14}$", text, re.M)  # 四: one row of 15 numbers


def test_money_and_negative_changes_printed_as_given():
    data = _example("2021")
    data.active["fees"]["amount_10k_yuan"] = 12372.0506
    assert "行政事业性收费\t12372.0506\t\t" in render(data, "tabs")
    old = _example("2019")
    old.active["penalties"]["change"] = -5
    old.active["procurement"]["amount"] = 3.25
    text = render(old, "tabs")
    assert re.search(r"^行政处罚\t\d+\t-5\t\d+$", text, re.M)
    assert re.search(r"^政府集中采购\t\d+\t3\.25\t$", text, re.M)


def test_fee_statement_in_section_six():
    text = render(_example("2021", processing_fee=0.0, other=""), "tabs")
    assert "六、其他需要报告的事项\n\n本年度未收取信息处理费。" in text


def test_cells_layout_puts_one_cell_per_line():
    text = render(_example("2021"), "cells")
    assert "\t" not in text
    tail = text[text.index("四、政府信息公开行政复议"):]
    assert "行政复议\n\n行政诉讼\n\n结果维持\n\n结果纠正" in tail
    assert "未经复议直接起诉\n\n复议后起诉\n\n结果维持" in tail
    assert "\n\n(七) 总计\n\n" in text


def test_spaces_layout_separates_cells_with_two_to_four_spaces():
    text = render(_example("2021"), "spaces")
    assert "\t" not in text
    row = next(line for line in _lines(text) if line.startswith("一、本年新收政府信息公开申请数量"))
    gaps = re.findall(r" {2,}", row)
    assert len(gaps) == 7 and all(2 <= len(g) <= 4 for g in gaps)


def test_web_layout_wraps_tabs_in_page_chrome():
    data = _example("2021", published="2022-03-04")
    text = render(data, "web")
    assert text.startswith("当前位置:首页 > 政务公开 > ")
    assert re.search(r"^发布时间:2022-03-04 \d\d:\d\d 字号:\[ \]", text, re.M)
    assert text.rstrip().endswith("分享到:\n[ 打印本页 | 关闭窗口 ]")
    assert render(data, "tabs").strip() in text


def test_markdown_layout_uses_headings():
    data = _example("2021")
    text = render(data, "markdown")
    assert text.startswith(f"# {data.title}\n")
    assert "\n## 一、总体情况\n" in text and "\n## 六、其他需要报告的事项\n" in text
    assert "\n### （一）主动公开情况\n" in text
    assert "\t" in text


def test_unknown_layout_is_an_error():
    with pytest.raises(ValueError):
        render(_example("2021"), "pdf")


# --- round trips through the parser ---------------------------------------------------------------


def variant(fmt: str, seed: int, scale: int, money: float) -> ReportData:
    """random_report of a seed, figures scaled (the identities are linear, so they still hold) and
    the money cell replaced, so drawn examples reach large counts and four-decimal amounts."""
    data = random_report(random.Random(seed), format=fmt)
    data.requests = {r: {c: v * scale for c, v in cols.items()} for r, cols in data.requests.items()}
    data.appeals = {c: v * scale for c, v in data.appeals.items()}
    data.overview = overview_text(random.Random(seed), data)  # restate the scaled figures
    if fmt == "2021":
        data.active["fees"]["amount_10k_yuan"] = money
    else:
        data.active["procurement"]["amount"] = money
    return data


def _parse(text: str):
    from gxbg.report import parse_text  # imported here: the writer tests above do not need the parser

    return parse_text(text, source="synthetic.txt")


def _meta_mismatches(report, data: ReportData) -> list[str]:
    return [
        f"{name}: parsed {getattr(report, name)!r}, written {getattr(data, name)!r}"
        for name in ("agency", "year", "format", "published")
        if getattr(report, name) != getattr(data, name)
    ]


def _request_mismatches(report, data: ReportData) -> list[str]:
    frame = report.requests
    assert list(frame.index) == list(REQUEST_ROWS) and list(frame.columns) == list(REQUEST_COLUMNS)
    assert all(str(t) == "Int64" for t in frame.dtypes)
    out = []
    for row in REQUEST_ROWS:
        for col in REQUEST_COLUMNS:
            got = frame.at[row, col]
            want = data.requests.get(row, {}).get(col)  # None: row absent in the 2019 format
            if (pd.isna(got) and want is not None) or (not pd.isna(got) and got != want):
                out.append(f"requests[{row}][{col}]: parsed {got}, written {want}")
    return out


def _appeal_mismatches(report, data: ReportData) -> list[str]:
    assert list(report.appeals.index) == list(APPEAL_CODES)
    values = report.appeals["value"]
    return [f"appeals[{c}]: parsed {values[c]}, written {data.appeals[c]}"
            for c in APPEAL_CODES if pd.isna(values[c]) or values[c] != data.appeals[c]]


def _active_mismatches(report, data: ReportData) -> list[str]:
    frame = report.active
    assert {"item", "measure", "value", "line"} <= set(frame.columns)
    assert str(frame["value"].dtype) == "Float64"
    parsed = {(r.item, r.measure): r.value for r in frame.itertuples(index=False) if not pd.isna(r.value)}
    written = {(i, m): v for i, ms in data.active.items() for m, v in ms.items()}
    keys = sorted(set(parsed) | set(written))
    return [f"active[{k}]: parsed {parsed.get(k)}, written {written.get(k)}"
            for k in keys if parsed.get(k) != written.get(k)]


def _narrative_mismatches(report, data: ReportData) -> list[str]:
    """The sentences that restate figures must reach the narrative (as normalised text)."""
    wanted = {
        "overview": f"本年度共收到政府信息公开申请{data.requests['new_received']['total']}件",
        "other": normalise(fee_sentence(data)),
    }
    return [f"narrative[{name}] lacks {sentence!r}" for name, sentence in wanted.items()
            if name not in report.narrative or sentence not in report.narrative[name].text]


def _warnings(report) -> list[str]:
    # Clean synthetic input deserves no repair warnings (info notes such as web_chrome are fine).
    return [f"layout warning {n.code} line {n.line}: {n.message}" for n in report.layout if n.severity == "warning"]


def assert_round_trip(data: ReportData, layout: str) -> None:
    report = _parse(render(data, layout))
    problems = (_meta_mismatches(report, data) + _request_mismatches(report, data)
                + _appeal_mismatches(report, data) + _active_mismatches(report, data)
                + _narrative_mismatches(report, data) + _warnings(report))
    assert not problems, f"{layout}/{data.format}: " + "; ".join(problems[:12])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_round_trip_of_a_fixed_report(layout, fmt):
    assert_round_trip(_example(fmt, published="2022-01-20"), layout)


ROUND_TRIP_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
@ROUND_TRIP_SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from((1, 1, 1, 7, 113)),
    money=st.integers(0, 10**9).map(lambda n: n / 10**4),  # up to four decimals
)
def test_round_trip_of_random_reports(layout, fmt, seed, scale, money):
    assert_round_trip(variant(fmt, seed, scale, money), layout)


def test_markdown_sub_headings_leave_no_markers_in_the_narrative():
    report = _parse(render(_example("2021"), "markdown"))
    assert "(一)主动公开情况" in report.narrative["overview"].text
    assert "#" not in report.narrative["overview"].text
