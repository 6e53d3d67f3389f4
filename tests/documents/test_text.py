"""Plain-text reading: encodings, normalisation, line numbers."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxbg.documents import DocumentError, read_document
from gxbg.documents.text import normalise
from gxbg.report import parse_file
from tests.conftest import shared_file

SAMPLE = "标题\r\n第二十条第（一）项\t１２\t　３４\r\n\r\n（七）总计\t５\n"


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),  # GBK is a subset of GB18030
    ],
)
def test_encodings_detected_and_recorded(tmp_path, codec, expected):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.encode(codec))
    doc = read_document(path)
    assert doc.encoding == expected
    assert [ln.text for ln in doc.lines][:2] == ["标题", "第二十条第(一)项\t12\t 34"]


def test_normalisation_keeps_line_numbers_and_cells(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.encode("utf-8"))
    doc = read_document(path)
    assert [ln.no for ln in doc.lines] == [1, 2, 3, 4, 5]
    assert doc.lines[1].cells == ("第二十条第(一)项", "12", "34")
    assert doc.lines[3].text == "(七)总计\t5"


def test_undecodable_bytes_do_not_crash(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("报告".encode("utf-8") + b"\xff\xfe\xfa" + "总计".encode("gb18030") + b"\x81")
    doc = read_document(path)
    assert doc.encoding  # recorded, whatever was chosen
    assert doc.lines


def test_binary_and_empty_files_are_clean_errors(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(DocumentError) as err:
        read_document(binary)
    assert err.value.status == "unsupported"
    with pytest.raises(DocumentError):
        read_document(empty)


def test_gb18030_seed_parses_like_utf8(tmp_path):
    source = shared_file("seeds").glob("002_*.txt").__next__()
    copy = tmp_path / "002-gbk.txt"
    copy.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))
    original, converted = parse_file(source), parse_file(copy)
    assert converted.encoding == "gb18030"
    assert converted.requests.equals(original.requests)
    assert converted.agency == original.agency


def test_trailing_tabs_are_kept_as_empty_cells(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("（六）其他处理\t\t\t\t\t\t\t\n", encoding="utf-8")
    assert len(read_document(path).lines[0].cells) == 8


# Characters around which NFKC composes, reorders or expands: a fast path that skipped NFKC wrongly shows here.
_NFKC_TRICKY = "，（）：；\u3000\xa0！？e\u0301\u0327a\u030a①㈠⑴ﬁ２０２１年Ａ\u1100\u1161\u11a8가\u0323\u0307ｶﾞ\ufeff\u200b"


@given(st.text(alphabet=st.sampled_from(_NFKC_TRICKY) | st.characters(codec="utf-8"), max_size=40))
def test_normalise_is_nfkc_without_the_invisible_characters(text):
    expected = unicodedata.normalize("NFKC", text)
    for char in ("\ufeff", "\u200b", "\u200c", "\u200d"):
        expected = expected.replace(char, "")
    assert normalise(text) == expected


def test_normalise_replaces_full_width_punctuation_among_chinese():
    assert normalise("共收到申请１２件，（一）予以公开：５件；") == "共收到申请12件,(一)予以公开:5件;"
