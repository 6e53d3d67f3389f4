"""Agency identity: one stable key per publishing body, so its reports line up across years.

The key only undoes what publishing does to a name (full-width forms, spaces and line breaks inside a
title, quotes around it, a year that leaked in from the title). It never guesses that two different
names are the same body: 枣庄市台儿庄区应急管理局 and 台儿庄区应急管理局 stay two keys.
"""

from __future__ import annotations

import re
import unicodedata

# Quote marks and sentence punctuation never end or start a body's name: strip them on either side.
_EDGE_MARKS = "\"'`“”‘’「」『』《》〈〉‹›«»,，.。:：;；、!！?？·•・*_~-—–…|/\\"
# Brackets are part of a name when balanced ("某某局(本级)"): only a pair around the whole name or a
# dangling half goes. NFKC already turned （）［］｛｝ into their ASCII forms.
_BRACKETS = {"(": ")", "[": "]", "{": "}", "【": "】", "〔": "〕", "〖": "〗", "〘": "〙", "〚": "〛", "⟨": "⟩"}
_CLOSERS = {close: open_ for open_, close in _BRACKETS.items()}

_CN_DIGITS = "〇零○一二三四五六七八九"
# A year (or 年度) left over from the title, at the end: 2021, 2021年, 2021年度, 二〇二一年, 年度.
_TRAILING_YEAR = re.compile(rf"(?:(?<!\d)\d{{2,4}}年?度?|[{_CN_DIGITS}]{{2,4}}年度?|年度)$")
# ... or at the start, as in "2019年上海市人民政府办公厅政府信息公开工作年度报告".
_LEADING_YEAR = re.compile(rf"^(?:(?:19|20)\d{{2}}年?度?|[{_CN_DIGITS}]{{4}}年度?)")


def agency_key(name: str) -> str:
    """Stable key of an agency name (the caller joins a name split over lines before calling)."""
    # NFKC again after casefold: casefolding can leave decomposed letters that NFKC composes.
    key = unicodedata.normalize("NFKC", _compact(unicodedata.normalize("NFKC", name)).casefold())
    previous = None
    while key != previous:  # each step can expose another: "“某局”2021年" -> "“某局”" -> "某局"
        previous = key
        key = _strip_year(_strip_brackets(key.strip(_EDGE_MARKS)))
    return key


def _compact(text: str) -> str:
    """Drop every space, line break and invisible format character (nbsp, U+3000, zero-width, BOM)."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _strip_year(text: str) -> str:
    stripped = _LEADING_YEAR.sub("", _TRAILING_YEAR.sub("", text))
    # A name that is nothing but a year is not a name we can shorten to empty.
    return stripped or text


def _strip_brackets(text: str) -> str:
    if len(text) >= 2 and text[0] in _BRACKETS and text[-1] == _BRACKETS[text[0]] and _wraps(text):
        return text[1:-1]
    if text and text[0] in _BRACKETS and text.count(text[0]) > text.count(_BRACKETS[text[0]]):
        return text[1:]
    if text and text[-1] in _CLOSERS and text.count(text[-1]) > text.count(_CLOSERS[text[-1]]):
        return text[:-1]
    return text


def _wraps(text: str) -> bool:
    """True when text[0] and text[-1] are one bracket pair, not "(a)(b)"."""
    open_, close = text[0], text[-1]
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == open_) - (ch == close)
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0
