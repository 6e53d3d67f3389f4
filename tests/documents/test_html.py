"""HTML reader: real published reports and small hand-made pages."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxbg.documents import DocumentError, read_bytes, read_document
from gxbg.documents.html import _clean, declared_charset, read_html
from gxbg.documents.text import normalise

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"
if not REAL.is_dir():  # CI lays shared/ beside the clone; a developer has it at /work/shared
    REAL = Path("/work/shared/corpus/real")
HTML_FILES = ["shanghai-bangongting-2019.html", "pingtan-2021.html", "pingtan-2023.html"]


def _doc(name: str):
    return read_document(REAL / name)


def _rows(doc) -> list[tuple[str, ...]]:
    return [line.cells for line in doc.lines if line.table]


def _row(doc, label: str) -> tuple[str, ...]:
    """The table row whose first cell is label (labels come out NFKC-normalised, like the text reader's)."""
    label = normalise(label)
    found = [cells for cells in _rows(doc) if cells[0] == label]
    assert len(found) == 1, (label, found)
    return found[0]


def _page(body: str, head: str = '<meta charset="utf-8"><title>标题</title>') -> bytes:
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n".encode()


def _read(data: bytes):
    return read_html(data, "test.html", "hash")


# --- real reports -----------------------------------------------------------------------------------------------


def test_shanghai_table_rows():
    doc = _doc("shanghai-bangongting-2019.html")
    assert doc.kind == "html" and doc.encoding == "utf-8" and len(doc.content_hash) == 64
    assert _row(doc, "一、本年新收政府信息公开申请数量") == (
        "一、本年新收政府信息公开申请数量", "821", "35", "", "", "2", "1", "859")
    # rowspan cells appear once, in their first row; the blank 总计 cell is kept
    assert _row(doc, "三、本年度办理结果") == ("三、本年度办理结果", "(一)予以公开", "258", "12", "", "", "1", "1", "")
    assert _row(doc, "(四)无法提供") == ("(四)无法提供", "1.本机关不掌握相关政府信息", "252", "12", "", "", "1", "", "")
    assert _row(doc, "2.没有现成信息需要另行制作") == ("2.没有现成信息需要另行制作", "44", "3", "", "", "", "", "")
    assert _row(doc, "(七)总计") == ("(七)总计", "767", "35", "", "", "2", "1", "805")
    assert _row(doc, "四、结转下年度继续办理") == ("四、结转下年度继续办理", "72", "", "", "", "", "", "72")
    # colspan cells once; the <br /> inside a header cell joins without a separator
    assert _row(doc, "规章") == ("规章", "13", "13", "524")
    assert ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量") in _rows(doc)
    assert _row(doc, "政府集中采购") == ("政府集中采购", "6", "251000元")
    assert ("5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", "") in _rows(doc)


def test_pingtan_2021_padded_numbers_and_colspans():
    doc = _doc("pingtan-2021.html")
    assert _row(doc, "规章") == ("规章", "0", "0", "0")  # "&nbsp;0"
    # 11 grid columns, 商业企业 colspan=2: each cell once -> the 7 values of the form
    assert _row(doc, "一、本年新收政府信息公开申请数量") == (
        "一、本年新收政府信息公开申请数量", "64", "0", "0", "2", "0", "4", "70")
    assert _row(doc, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)")[1:] == ("5", "0", "0", "0", "0", "0", "5")
    assert ("", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他") in _rows(doc)
    assert _row(doc, "第二十条第(一)项") == ("第二十条第(一)项",)  # "&nbsp;&nbsp;第二十条…"
    assert ("信息内容", "本年处理决定数量") in _rows(doc)  # "&nbsp; &nbsp;本年处理决定数量"
    assert ("1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0") in _rows(doc)
    # "结果<br>纠正"
    assert ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉") in _rows(doc)
    for cells in _rows(doc):
        assert all(cell == cell.strip() and "\xa0" not in cell for cell in cells)


def test_pingtan_2023_rows():
    doc = _doc("pingtan-2023.html")
    assert _row(doc, "一、本年新收政府信息公开申请数量")[1:] == ("80", "1", "0", "0", "0", "0", "81")
    assert _row(doc, "(七)总计")[1:] == ("80", "1", "0", "0", "0", "0", "81")
    assert _row(doc, "行政事业性收费") == ("行政事业性收费", "5949.088667")
    assert ("1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2") in _rows(doc)
    assert "一、总体情况" in [line.text for line in doc.lines if not line.table]  # "&nbsp;一、总体情况&nbsp;"


@pytest.mark.parametrize("name", HTML_FILES)
def test_lines_point_at_their_source_line(name):
    raw = (REAL / name).read_text(encoding="utf-8").split("\n")
    doc = _doc(name)
    assert doc.lines and all(line.text == "\t".join(line.cells) for line in doc.lines)
    for line in doc.lines:
        source = normalise(html.unescape(re.sub(r"<[^>]*>", "", raw[line.no - 1])))
        first = next(cell for cell in line.cells if cell)
        assert first[:6] in source, (line.no, first)


@pytest.mark.parametrize("name", HTML_FILES)
def test_paragraphs_and_title_kept(name):
    doc = _doc(name)
    texts = [line.text for line in doc.lines if not line.table]
    assert all(line.cells == (line.text,) for line in doc.lines if not line.table)
    assert texts[0].endswith("政府信息公开工作年度报告")  # <title>
    assert any(t.startswith("三、收到和处理政府信息公开申请情况") for t in texts)
    assert any(t.startswith("六、其他需要报告的事项") for t in texts)


def test_same_rows_as_the_browser_copied_text():
    html_doc = _doc("shanghai-bangongting-2019.html")
    text_doc = _doc("shanghai-bangongting-2019.txt")
    html_rows = [line.cells for line in html_doc.lines if line.table and len(line.cells) > 1]
    text_rows = [line.cells for line in text_doc.lines if len(line.cells) > 1]
    # The one legitimate difference: the copy breaks the header cells at their <br />; the reader joins them.
    assert text_rows[:3] == [("信息内容", "本年新"), ("制作数量", "本年新"), ("公开数量", "对外公开总数量")]
    assert html_rows[0] == ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")
    assert html_rows[1:] == text_rows[3:]


def test_numbers_of_tables_three_and_four_match_the_text_copy():
    # What must match whatever the layout: the value cells of every row of 三 and the row of 四.
    html_doc = _doc("shanghai-bangongting-2019.html")
    text_doc = _doc("shanghai-bangongting-2019.txt")

    def values(doc):
        rows = [line.cells for line in doc.lines if len(line.cells) > 1]
        start = next(i for i, cells in enumerate(rows) if cells[0].startswith("一、本年新收"))
        numeric = [tuple(c for c in cells if not c or c[0].isdigit() and "." not in c) for cells in rows[start:]]
        return [cells for cells in numeric if cells]

    assert values(html_doc) == values(text_doc)
    assert len(values(html_doc)) == 24  # 23 rows of 三, 1 of 四's numbers (its two header rows hold no numbers)


# --- encoding -------------------------------------------------------------------------------------------------


def test_gb18030_copy_with_its_declaration(tmp_path):
    utf8 = (REAL / "pingtan-2021.html").read_bytes()
    text = utf8.decode("utf-8").replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                        'content="text/html; charset=gb2312">')
    path = tmp_path / "pingtan-2021.html"
    path.write_bytes(text.encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030" and doc.notes == []
    assert doc.lines == _doc("pingtan-2021.html").lines


def test_gb18030_copy_declared_utf8_is_still_read(tmp_path):
    data = (REAL / "shanghai-bangongting-2019.html").read_text(encoding="utf-8").encode("gb18030")
    path = tmp_path / "copy.htm"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert [code for code, _, _ in doc.notes] == ["charset_mismatch"]
    assert doc.lines == _doc("shanghai-bangongting-2019.html").lines


def test_stale_gbk_declaration_on_utf8_bytes():
    doc = _read(_page("<p>收到申请75件</p>", head='<meta charset="GBK">'))
    assert doc.encoding == "utf-8" and doc.notes[0][0] == "charset_mismatch"
    assert [line.text for line in doc.lines][-1] == "收到申请75件"


def test_declared_big5_is_honoured():
    data = _page("<p>政府資訊公開</p>", head='<meta charset="big5">').decode().encode("big5")
    doc = _read(data)
    assert doc.encoding == "big5" and doc.lines[-1].text == "政府資訊公開"


@pytest.mark.parametrize("encoding, name", [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_bom(encoding, name):
    data = _page("<p>总体情况</p>").decode().encode(encoding)
    doc = _read(data)
    assert doc.encoding == name and doc.lines[-1].text == "总体情况"


def test_declared_charset_forms():
    assert declared_charset(b'<meta charset="UTF-8">') == "utf-8"
    assert declared_charset(b"<meta http-equiv=Content-Type content='text/html; charset=gb2312'>") == "gb18030"
    assert declared_charset(b'<?xml version="1.0" encoding="GBK"?><html>') == "gb18030"
    assert declared_charset(b'<meta charset="utf-16">') == "utf-8"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
    assert declared_charset(b"<p>charset</p>") is None


# --- structure ------------------------------------------------------------------------------------------------


def test_chrome_is_dropped():
    doc = _read(_page(
        "<nav>首页 &gt; 政务公开</nav><script>var secret = '脚本内容';</script>"
        "<style>p { color: red }</style><noscript>请启用脚本</noscript>"
        '<div style="display: none">隐藏内容</div><p>正文<select><option>站群</option></select>段落</p>',
        head='<meta charset="utf-8"><title>年度报告</title><script>headScript()</script><style>x{}</style>',
    ))
    assert [line.text for line in doc.lines] == ["年度报告", "正文段落"]


def test_blocks_and_br_become_lines_in_order():
    doc = _read(_page("<h1>标题</h1>\n<div>甲<p>乙</p>丙<br>丁<br/>\n戊</div><ul><li>一</li><li>二</li></ul>"))
    assert [line.text for line in doc.lines] == ["标题", "标题", "甲", "乙", "丙", "丁", "戊", "一", "二"]
    assert [line.no for line in doc.lines] == [2, 3, 4, 4, 4, 4, 5, 5, 5]
    assert not any(line.table for line in doc.lines)


def test_cell_text_joined_and_collapsed():
    doc = _read(_page(
        "<table><tr><td><p>自</p><p>然</p>\n<p>人</p></td><td>结果<br>纠正</td>"
        "<td>&nbsp; 12&nbsp;</td><td> <p>&nbsp;</p> </td><td>部分   公开\n（区分）</td><td>a \n b</td></tr></table>"
    ))
    assert doc.lines[-1].cells == ("自然人", "结果纠正", "12", "", "部分 公开(区分)", "a b")
    assert doc.lines[-1].table


def test_line_break_inside_chinese_paragraph_disappears():
    doc = _read(_page("<p>共收到政府信息公开\n  申请75件，\n予以公开 40 件</p>"))
    assert doc.lines[-1].text == "共收到政府信息公开申请75件,予以公开 40 件"


def test_unclosed_tags_are_repaired():
    doc = _read(_page("<p>甲<p>乙\n<table><tr><td>一<td>1<td>&nbsp;\n<tr><td>二<td>2<td>3</table>\n<p>丙"))
    assert [(line.no, line.cells) for line in doc.lines[1:]] == [
        (3, ("甲",)), (3, ("乙",)), (4, ("一", "1", "")), (5, ("二", "2", "3")), (6, ("丙",))]


def test_layout_table_is_flattened():
    # Old CMS pages put the whole article in a page-layout table, with the report's tables nested inside.
    doc = _read(_page(
        "<table><tr><td>首页</td><td>\n<p>一、总体情况</p><p>本年度共收到申请3件。</p>\n"
        "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td></tr></table>\n<p>六、其他</p></td></tr></table>"
    ))
    assert [(line.table, line.cells) for line in doc.lines[1:]] == [
        (False, ("首页",)), (False, ("一、总体情况",)), (False, ("本年度共收到申请3件。",)),
        (True, ("一、本年新收政府信息公开申请数量", "3")), (False, ("六、其他",))]


def test_prose_cell_is_not_a_table_row():
    prose = ("本年度报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、"
             "收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况等六个部分。")
    doc = _read(_page(f"<table><tr><td><p>一、总体情况</p><p>{prose}</p></td></tr></table>"))
    assert [(line.table, line.text) for line in doc.lines[1:]] == [
        (False, "一、总体情况"), (False, normalise(prose))]


def test_thead_tbody_caption_and_th():
    doc = _read(_page(
        "<table><caption>表三</caption><thead><tr><th>项目</th><th>自然人</th></tr></thead>"
        "<tbody><tr><td>合计</td><td>5</td></tr></tbody></table>"
    ))
    assert [(line.table, line.cells) for line in doc.lines[1:]] == [
        (False, ("表三",)), (True, ("项目", "自然人")), (True, ("合计", "5"))]


def test_pre_is_read_like_text():
    doc = _read(_page("<pre>\n规章\t13\t13\n行政许可  0  0</pre>"))
    assert [(line.no, line.cells) for line in doc.lines[1:]] == [(4, ("规章", "13", "13")), (5, ("行政许可", "0", "0"))]


def test_deep_nesting_is_read_completely():
    doc = _read(_page("<font>" * 1500 + "深处" + "</font>" * 1500 + "<p>之后</p>"))
    assert [line.text for line in doc.lines[1:]] == ["深处", "之后"]


@pytest.mark.parametrize("data", [
    _page("", head='<meta charset="utf-8">'),
    _page("<script>render()</script><p>&nbsp;</p><div> </div>"),
    b"<!-- only a comment -->",
])
def test_no_text_is_a_parse_error(data):
    with pytest.raises(DocumentError) as err:
        _read(data)
    assert err.value.status == "parse_error" and "no text" in err.value.reason and "没有文字" in err.value.reason


def test_binary_is_unsupported():
    with pytest.raises(DocumentError) as err:
        read_bytes(b"%PDF-1.4\x00\x01\x02\x03" * 100, "x.html", ".html")
    assert err.value.status == "unsupported"


# flush() skips _clean for text that is all whitespace: exact only while _clean reduces such text to nothing.
_SPACES = "".join(ch for ch in map(chr, range(0x3100)) if ch.isspace())


@given(st.text(alphabet=_SPACES, min_size=1))
def test_whitespace_between_tags_cleans_to_nothing(raw):
    assert raw.isspace() and _clean(raw) == ""


def test_rows_read_the_same_with_upper_case_tags_comments_and_hidden_cells():
    page = ("<HTML><BODY><TABLE><TR><TD>项目</TD><!-- x --><TH>1</TH><TD STYLE='display: none'>9</TD>"
            "<TD hidden>8</TD></TR></TABLE>\n \u3000\n<P>正文</P></BODY></HTML>")  # fmt: skip
    lines = read_html(page.encode("utf-8"), "page.html").lines
    assert [line.cells for line in lines] == [("项目", "1"), ("正文",)]
