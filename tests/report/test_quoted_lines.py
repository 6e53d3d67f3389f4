"""QuotedLines: the compact line-number -> text map a report keeps for quoting its source."""

from __future__ import annotations

import pickle

import pytest

from gxbg.report.model import QuotedLines


def test_behaves_like_the_dict_it_was_built_from():
    lines = {10: "一、本年新收\t3\t0", 3: "标题", 12: "", 11: "二、三\t\t"}
    quoted = QuotedLines(lines)
    assert dict(quoted) == lines and len(quoted) == 4 and list(quoted) == [3, 10, 11, 12]
    assert 11 in quoted and 4 not in quoted and quoted.get(4) is None
    with pytest.raises(KeyError):
        quoted[13]
    assert dict(pickle.loads(pickle.dumps(quoted))) == lines


def test_empty_and_line_breaks_inside_a_text():
    assert dict(QuotedLines()) == {}
    assert QuotedLines({1: "a\nb", 2: "c"})[1] == "a b"  # a kept line never holds a break
