"""Short rows of table 三 in text layouts: edge blanks are padding when the table's complete rows pad
their edges alike, so a row that lost a value is aligned by the identities instead of reading its
padding as a blank cell; when nothing decides, the cells are left unknown with a note."""

from __future__ import annotations

import pytest

from gxbg.codes import REQUEST_COLUMNS, REQUEST_ROWS, RESULT_ROWS, ROWS_ABSENT_2019
from gxbg.documents import read_bytes
from gxbg.report.align import NO_PADDING_KNOWN, Padding, padding_of, row_candidates
from gxbg.report.model import Report
from gxbg.report.requests_table import parse_requests

# The rows' labels as a tab layout prints them: group labels share the first row of their group.
LABELS = {
    "new_received": ["一、本年新收政府信息公开申请数量"],
    "carried_over": ["二、上年结转政府信息公开申请数量"],
    "granted": ["三、本年度办理结果", "(一) 予以公开"],
    "partly_granted": ["", "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)"],
    "denied_state_secret": ["", "(三) 不予公开", "1.属于国家秘密"],
    "denied_other_law": ["", "", "2.其他法律行政法规禁止公开"],
    "denied_three_safety": ["", "", "3.危及“三安全一稳定”"],
    "denied_third_party": ["", "", "4.保护第三方合法权益"],
    "denied_internal_affairs": ["", "", "5.属于三类内部事务信息"],
    "denied_process_info": ["", "", "6.属于四类过程性信息"],
    "denied_enforcement_file": ["", "", "7.属于行政执法案卷"],
    "denied_admin_inquiry": ["", "", "8.属于行政查询事项"],
    "unavailable_not_held": ["", "(四) 无法提供", "1.本机关不掌握相关政府信息"],
    "unavailable_needs_creation": ["", "", "2.没有现成信息需要另行制作"],
    "unavailable_unclear": ["", "", "3.补正后申请内容仍不明确"],
    "unprocessed_complaint": ["", "(五) 不予处理", "1.信访举报投诉类申请"],
    "unprocessed_repeat": ["", "", "2.重复申请"],
    "unprocessed_publication": ["", "", "3.要求提供公开出版物"],
    "unprocessed_excessive": ["", "", "4.无正当理由大量反复申请"],
    "unprocessed_confirmation": ["", "", "5.要求行政机关确认或重新出具已获取信息"],
    "other_no_correction": ["", "(六) 其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    "other_unpaid_fee": ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    "other_misc": ["", "", "3.其他"],
    "results_total": ["", "(七) 总计"],
    "carried_forward": ["四、结转下年度继续办理"],
}
FORMAT_2019 = {code: None for code in ROWS_ABSENT_2019}
HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\t\t\t\t\t\t总计",
    "\t\t自然人\t法人或其他组织",
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
]


def table(granted: list[int], partly: list[int] | None = None) -> dict[str, list[int]]:
    """A consistent table: the given result rows, everything else zero, totals and balance right."""
    rows = {code: [0] * 7 for code in REQUEST_ROWS}
    rows["granted"] = list(granted)
    rows["partly_granted"] = list(partly or [0] * 7)
    rows["results_total"] = [sum(rows[c][i] for c in RESULT_ROWS) for i in range(7)]
    rows["new_received"] = list(rows["results_total"])
    return rows


def tab_lines(rows: dict[str, list[int]], cells: dict[str, list[str] | None] | None = None, padding: int = 1,
              unpadded: tuple[str, ...] = (), fmt: str = "2021") -> list:
    """Table 三 in the tab layout: each label, `padding` empty cells (none for `unpadded` rows), the values.
    `cells` replaces a row's value cells as written (a lost or blank cell); None leaves the row out.
    fmt 2019: one (六)其他处理 row."""
    cells = {**FORMAT_2019, **(cells or {})} if fmt == "2019" else cells or {}
    text = list(HEADER)
    for code in REQUEST_ROWS:
        values = cells.get(code, [str(v) for v in rows[code]])
        if values is not None:
            pad = 0 if code in unpadded else padding
            label = ["", "(六) 其他处理"] if fmt == "2019" and code == "other_misc" else LABELS[code]
            text.append("\t".join([*label, *[""] * pad, *values]))
    return read_bytes("\n".join(text).encode("utf-8"), "t.txt", ".txt").lines


def parse(lines, fmt: str = "2021") -> Report:
    report = Report(source="t.txt", format=fmt)
    parse_requests(lines, report)
    return report


def notes(report: Report, code: str, row: str) -> list:
    return [n for n in report.layout if n.code == code and n.row == row]


def test_tab_row_missing_its_first_value_is_aligned_by_the_identities():
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    report = parse(tab_lines(rows, {"granted": ["1", "0", "0", "0", "0", "4"]}))  # 自然人 3 lost
    assert report.request_values["granted"] == [3, 1, 0, 0, 0, 0, 4]
    assert notes(report, "missing_cell", "granted")
    assert not notes(report, "ambiguous_alignment", "granted")
    # the other rows read as written
    assert all(report.request_values[c] == rows[c] for c in REQUEST_ROWS if c != "granted")


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_tab_row_missing_a_middle_value_is_not_read_shifted(fmt):
    # In the 2019 format two result rows do not exist, so the column sums cannot rule out reading the
    # padding as a blank 自然人 and every value one column to the right: the padding has to.
    rows = table(granted=[0, 2, 0, 0, 0, 0, 2])
    report = parse(tab_lines(rows, {"granted": ["0", "0", "0", "0", "0", "2"]}, fmt=fmt), fmt)  # 商业企业 2 lost
    assert report.request_values["granted"] == [0, 2, 0, 0, 0, 0, 2]
    assert notes(report, "missing_cell", "granted")


def test_all_zero_tab_row_missing_a_value_reads_zeros():
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    report = parse(tab_lines(rows, {"denied_state_secret": ["0"] * 6}))
    assert report.request_values["denied_state_secret"] == [0] * 7
    assert notes(report, "missing_cell", "denied_state_secret")


def test_lost_value_the_identities_cannot_place_is_left_unknown_with_a_note():
    # Without (七)总计 no column sum says where 予以公开 lost its value: only the row sum is left.
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    report = parse(tab_lines(rows, {"granted": ["1", "0", "0", "0", "0", "4"], "results_total": None}))
    got = report.request_values["granted"]
    assert got[0] is None
    assert all(g is None or g == w for g, w in zip(got, rows["granted"]))  # unknown, never a wrong number
    (note,) = notes(report, "ambiguous_alignment", "granted")
    assert all(REQUEST_COLUMNS[i] in note.message for i, g in enumerate(got) if g is None)


def test_blank_that_only_some_rows_pad_with_is_left_unknown_with_a_note():
    # Half the complete rows have a padding cell after the label, half do not: 予以公开's one blank
    # may be padding (a value lost) or a blank 自然人 cell. Either way 自然人 is not known.
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    unpadded = tuple(REQUEST_ROWS[1::2])
    report = parse(tab_lines(rows, {"granted": ["1", "0", "0", "0", "0", "4"]}, unpadded=unpadded))
    assert report.request_values["granted"] == [None, 1, 0, 0, 0, 0, 4]
    (note,) = notes(report, "ambiguous_alignment", "granted")
    assert REQUEST_COLUMNS[0] in note.message


def test_padding_read_as_a_blank_cell_to_escape_a_broken_identity_is_not_trusted():
    # (七)总计 says 5 自然人 where the rows give 3: the row that lost its 自然人 fits no column sum once
    # aligned, and reading its padding as a blank 自然人 would hide the break. 自然人 stays unknown, noted.
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    rows["results_total"] = rows["new_received"] = [5, 1, 0, 0, 0, 0, 6]
    report = parse(tab_lines(rows, {"granted": ["1", "0", "0", "0", "0", "4"]}))
    assert report.request_values["granted"] == [None, 1, 0, 0, 0, 0, 4]
    (note,) = notes(report, "ambiguous_alignment", "granted")
    assert REQUEST_COLUMNS[0] in note.message


def test_blank_first_cell_beside_the_padding_stays_blank():
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    report = parse(tab_lines(rows, {"granted": ["", "1", "0", "0", "0", "0", "4"]}))
    assert report.request_values["granted"] == [None, 1, 0, 0, 0, 0, 4]
    assert not [n for n in report.layout if n.row == "granted" and n.code != "blank_cell"]


def test_without_padding_in_the_layout_an_edge_blank_is_a_blank_cell():
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    report = parse(tab_lines(rows, {"granted": ["", "1", "0", "0", "0", "0", "4"]}, padding=0))
    assert report.request_values["granted"] == [None, 1, 0, 0, 0, 0, 4]
    assert not notes(report, "missing_cell", "granted")


def test_padding_is_known_only_from_more_than_one_complete_row():
    assert padding_of([(1, 0)]) == NO_PADDING_KNOWN
    assert padding_of([(1, 0), (1, 2)]) == Padding(frozenset({1}), frozenset({0, 2}))


def test_edge_blank_that_complete_rows_pad_with_is_not_a_free_blank_cell():
    core = [1, 0, 0, 0, 0, 4]
    unknown = row_candidates(core, 1, 0, 7, 6)
    assert min(unknown, key=lambda c: (c.layout, c.cost)).values == (None, 1, 0, 0, 0, 0, 4)
    padded = row_candidates(core, 1, 0, 7, 6, padding=Padding(frozenset({1}), frozenset({0})))
    best = min(padded, key=lambda c: (c.layout, c.cost))
    assert best.op[0] == "miss" and best.layout == 0
    reading_blank = next(c for c in padded if c.op == ("pad", 1))
    assert reading_blank.layout == 1
    # padding seen in some complete rows and not in others: the blank may be either, at equal cost
    mixed = row_candidates(core, 1, 0, 7, 6, padding=Padding(frozenset({0, 1}), frozenset({0})))
    reading_blank = next(c for c in mixed if c.op == ("pad", 1))
    assert (reading_blank.layout, reading_blank.cost) == (0, 1)
    assert min(c.cost for c in mixed if c.op[0] == "miss") == 1


def test_an_unsettled_row_has_the_ambiguity_note_alone():
    # Not also "the missing value is inferred as 3" (it is left unknown) nor "these cells are blank" (they are not).
    rows = table(granted=[3, 1, 0, 0, 0, 0, 4])
    report = parse(tab_lines(rows, {"granted": ["1", "0", "0", "0", "0", "4"], "results_total": None}))
    assert [n.code for n in report.layout if n.row == "granted"] == ["ambiguous_alignment"]
