"""Facts stated in the narrative (一, 五, 六, title block): counts, fee statements, years, dates.

Extraction is table-driven: PATTERNS below is the whole vocabulary; the code only expands tokens,
runs the regexes, converts values and drops overlaps. Later rules (text_table, fee_narrative,
year_coverage) compare these facts with the tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

SECTIONS = ("title", "preamble", "overview", "problems", "other")
NARRATIVE = ("preamble", "overview", "problems", "other")


@dataclass(frozen=True, slots=True)  # slots: tens of facts per report, thousands of reports
class Fact:
    """One statement found in the narrative, located by source line."""

    kind: str
    value: int | float | str | None
    unit: str | None
    line: int
    text: str
    scope: str | None = None

    def __reduce__(self):
        # Parse workers send every fact back pickled: the constructor's arguments pickle in half the time
        # (and load in half) of the field-by-field state a slotted dataclass gives by default.
        return Fact, (self.kind, self.value, self.unit, self.line, self.text, self.scope)


@dataclass(frozen=True)
class PatternSpec:
    """One row of the pattern table.

    pattern: regex with tokens (<NUM>, <GAP10>, ...) expanded at import; named groups feed `value`.
    value: converter name in CONVERTERS. unit: default unit, overridden by a `unit` group.
    scope: fixed qualifier; "{section}" is replaced by the section name.
    sections: where the pattern applies (None = everywhere).
    reject: drop a match whose text matches this (e.g. 行政事业性收费 is not the processing fee).
    context: keep a match only if its sentence matches this (for bare forms like "办结69件").
    in_citation: what to do when the number sits inside 《...》: "skip" or "mark" (scope "citation").
    """

    kind: str
    pattern: str
    value: str
    unit: str | None = None
    scope: str | None = None
    sections: tuple[str, ...] | None = NARRATIVE
    reject: str | None = None
    context: str | None = None
    in_citation: str = "skip"


_CN_DIGIT = "[零〇一二两三四五六七八九]"
_CN = "[零〇一二两三四五六七八九十百千万]"
_CN_YEAR = r"二[〇零][〇零一二三四五六七八九]{2}"

# Tokens keep the table readable; they may contain tokens. Every <NUM> is a named group `num`.
TOKENS = {
    # --- composites (expanded first, their parts below) ---
    "<COUNT>": r"<TOTAL><N><APPROX><UNIT>",
    "<RESULT>": r"(?:的)?(?:申请)?<TOTAL><N><UNIT>",
    "<N>": r"\s*<NUM>\s*",
    # --- numbers ---
    # Arabic with thousands separators, Arabic (optionally "1.2万"), or Chinese numerals.
    # The lookbehinds stop a match inside a longer number, a decimal or after "1," of "1,240".
    "<NUM>": (
        r"(?P<num>(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])"
        r"|(?<![\d.])(?<!\d,)\d+(?:\.\d+)?万(?=\s*(?:余|多)?[件份条篇个宗起])"
        r"|(?<![\d.])(?<!\d,)\d+(?![\d.])"
        rf"|{_CN}+)"
    ),
    "<AMOUNT>": (
        r"(?P<num>(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"
        r"|(?<![\d.])(?<!\d,)\d+(?:\.\d+)?(?![\d.])"
        rf"|{_CN}+)"
    ),
    "<APPROX>": r"(?P<approx>余|多)?",
    "<TOTAL>": r"(?:共计|合计|总计|共|为|是|达)*",
    "<UNIT>": r"(?P<unit>件|份|条|个|宗)",
    "<CASES>": r"(?P<unit>件|起|宗|个)",
    "<ITEMS>": r"(?P<unit>条|件|篇)",
    # --- keywords ---
    "<RECV>": r"(?:收到|受理|新收|接收|接到)(?:了)?",
    "<ANSWER>": r"(?:答复|办结|办理完成|办理完毕)(?:了)?",
    "<REQ>": r"(?:(?:政府)?信息公开(?:的)?申请|依申请公开(?:的)?(?:申请|事项)?)",
    "<REQ_KEY>": r"(?:(?:政府)?信息公开|依申请公开)",
    "<REQ_OPT>": r"(?:政府信息公开|信息公开|依申请公开)?",
    "<GRANT>": r"(?:予以公开|同意公开|全部公开)",
    "<AND>": r"(?:[及和与、或]|以及)",
    "<FORWARD>": r"(?:结转|顺延|转入)(?:至|到)?下(?:一)?年度?",
    "<NO_CASE>": r"(?:未发生|未收到|未产生|未出现|未被申请|未被提起|没有发生|没有收到|无)",
    "<NEG>": r"(?:未|没有|无|不|并未|均未)",
    "<CHARGE>": r"(?:收取|产生|发生|收缴|征收)",
    "<FEE>": r"(?:信息)?(?:公开)?处理费",
    # Clause-local gaps: never cross punctuation, so a keyword cannot reach a number in the next clause.
    "<GAP4>": r"[^。;,:!?]{0,4}?",
    "<GAP8>": r"[^。;,:!?]{0,8}?",
    "<GAP10>": r"[^。;,:!?]{0,10}?",
    "<GAP15>": r"[^。;,:!?]{0,15}?",
    "<GAP20>": r"[^。;,:!?]{0,20}?",
    # --- years and dates ---
    "<YEAR>": rf"(?P<num>(?<![\d.〔\[])(?:19|20)\d{{2}}(?!\d)|(?<!{_CN_DIGIT}){_CN_YEAR})",
    "<Y>": rf"(?P<y>(?<!\d)(?:19|20)\d{{2}}(?!\d)|{_CN_YEAR})",
    "<M>": r"(?P<m>\d{1,2}|<CN_SMALL>)",
    "<D>": r"(?P<d>\d{1,2}|<CN_SMALL>)",
    "<CN_SMALL>": r"[一二三四五六七八九十]{1,3}",
    "<PAGE_DATE>": r"(?:发布时间|发布日期|发文日期|成文日期|日期)",
}

FEE_REJECT = r"行政事业性"
NO_CASE_REJECT = r"无论|无法"
ALL = None

# The pattern table. Order matters only within a kind: an earlier row wins an overlapping span.
PATTERNS: tuple[PatternSpec, ...] = (
    # --- 三 一: requests received ---
    PatternSpec("requests_received", r"<RECV><GAP20><REQ>(?:数量|件数)?<COUNT>", "count"),
    PatternSpec("requests_received", r"<RECV><TOTAL><N><APPROX><UNIT>(?:的)?<REQ_OPT>(?:的)?申请", "count"),
    # Bare "收到申请20件": no gap, so "受理行政许可申请" cannot match.
    PatternSpec("requests_received", r"<RECV>(?:各类)?申请<COUNT>", "count"),
    PatternSpec("requests_received", r"(?:未|没有)<RECV>(?:过)?<GAP8><REQ_KEY>(?:的)?申请", "zero", unit="件"),
    PatternSpec("requests_received", r"无(?:(?:政府)?信息公开申请|依申请公开(?:申请|事项))", "zero", unit="件"),
    # --- 三 (七): requests answered / concluded ---
    PatternSpec("requests_answered", r"<ANSWER><GAP10><REQ><COUNT>", "count"),
    # Bare "办结69件" only in a sentence about applications (人大建议 are "办结" too).
    PatternSpec("requests_answered", r"<ANSWER><TOTAL><N><UNIT>(?!申请)", "count", context=r"申请"),
    # --- 三 (一)-(六): results ---
    PatternSpec("requests_granted_or_partly", r"<GRANT><AND>部分公开<RESULT>", "count"),
    # No gap after the keyword, so "予以公开及部分公开258件" never feeds requests_granted.
    PatternSpec("requests_granted", r"<GRANT><RESULT>", "count"),
    PatternSpec("requests_partly", r"(?<!公开[及和与、或])(?<!公开以及)部分公开<RESULT>", "count"),
    PatternSpec("requests_denied", r"不予公开<RESULT>", "count"),
    PatternSpec("requests_unavailable", r"无法提供<RESULT>", "count"),
    PatternSpec("requests_unprocessed", r"不予处理<RESULT>", "count"),
    PatternSpec("requests_other", r"其他处理<RESULT>", "count"),
    # --- 三 四 and 二: carried forward to next year, carried over from last year ---
    PatternSpec("requests_carried_forward", r"<FORWARD>(?:继续)?(?:办理|答复|处理)?<RESULT>", "count"),
    PatternSpec("requests_carried_forward", r"<N><UNIT>(?:申请)?<GAP15><FORWARD>", "count"),
    PatternSpec("requests_carried_over", r"上(?:一)?年度?结转(?:的)?(?:政府信息公开)?<RESULT>", "count"),
    # --- 二: proactive disclosure ---
    PatternSpec("proactive_published", r"主动公开<GAP10>信息<TOTAL><N><APPROX><ITEMS>", "count"),
    # --- 四: review and litigation ---
    PatternSpec("review_cases", r"行政复议(?:案件|申请)?<TOTAL><N><CASES>", "count"),
    PatternSpec("review_cases", r"<NO_CASE><GAP15>行政复议", "zero", unit="件", reject=NO_CASE_REJECT),
    PatternSpec("suit_cases", r"(?:行政)?诉讼(?:案件)?<TOTAL><N><CASES>", "count"),
    PatternSpec("suit_cases", r"<NO_CASE><GAP20>(?:行政)?诉讼", "zero", unit="件", reject=NO_CASE_REJECT),
    # --- 六: information-processing fee (国办函〔2020〕109号), never 行政事业性收费 ---
    PatternSpec("fee_none", r"<NEG><GAP8><CHARGE>(?:任何|过)?<GAP4><FEE>", "none",
                sections=ALL, reject=FEE_REJECT),
    PatternSpec("fee_none", r"<FEE>(?:情况|收取情况)?(?:为|:)?\s*无(?![法论])", "none",
                sections=ALL, reject=FEE_REJECT),
    PatternSpec("fee_none", r"免(?:收|除|予收取|于收取)<GAP4><FEE>", "none", scope="waived",
                sections=ALL, reject=FEE_REJECT),
    PatternSpec("fee_none", r"<NEG><GAP8><CHARGE>(?:任何|过)?(?:费用|收费)", "none", scope="general",
                sections=ALL, reject=FEE_REJECT),
    PatternSpec("fee_amount", r"<FEE>(?:共计|合计|总计|共|金额|为|是)*\s*<AMOUNT>\s*(?P<unit>万元|元)", "amount",
                sections=ALL, reject=FEE_REJECT),
    # --- years and dates ---
    # A year followed by a month is part of a date, not a year mention.
    PatternSpec("year_mentioned", r"<YEAR>\s*年(?:度)?(?!\s*(?:\d{1,2}|<CN_SMALL>)\s*月)", "year", unit="年",
                scope="{section}", sections=ALL, in_citation="mark"),
    PatternSpec("published_date", r"<PAGE_DATE>\s*:\s*<Y>\s*[-./年]\s*<M>\s*[-./月]\s*<D>", "date",
                scope="page", sections=ALL),
    # A date alone on its line: the signature under the report.
    PatternSpec("published_date", r"^\s*<Y>\s*年\s*<M>\s*月\s*<D>\s*日\s*$", "date", scope="signature",
                sections=ALL),
)


# --- numbers ---

_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(text: str) -> int:
    """十七 -> 17, 一百零三 -> 103, 两 -> 2, 一万二千 -> 12000, 二〇二一 -> 2021 (digit by digit)."""
    if not any(ch in _CN_UNIT or ch == "万" for ch in text):
        digits = [_CN_VALUE[ch] for ch in text]
        return int("".join(map(str, digits))) if digits else 0
    total = section = number = 0
    for ch in text:
        if ch in _CN_VALUE:
            number = _CN_VALUE[ch]
        elif ch in _CN_UNIT:
            # A bare 十 means 一十.
            section += (number or 1) * _CN_UNIT[ch]
            number = 0
        elif ch == "万":
            total += (section + number or 1) * 10000
            section = number = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + number


def parse_number(text: str) -> float:
    """'1,240' -> 1240, '1.2万' -> 12000, '一百零三' -> 103."""
    text = text.strip().replace(",", "")
    if text and text[0].isdigit():
        if text.endswith("万"):
            return float(text[:-1]) * 10000
        return float(text)
    return float(chinese_to_int(text))


def _count(m: re.Match[str]) -> int | None:
    value = parse_number(m["num"])
    return int(value) if value == int(value) else None


def _amount(m: re.Match[str]) -> float:
    return parse_number(m["num"])


def _year(m: re.Match[str]) -> int | None:
    year = int(parse_number(m["num"]))
    return year if 1990 <= year <= 2100 else None


def _date(m: re.Match[str]) -> str | None:
    try:
        day = dt.date(int(parse_number(m["y"])), int(parse_number(m["m"])), int(parse_number(m["d"])))
    except ValueError:
        return None
    return day.isoformat()


CONVERTERS: dict[str, Callable[[re.Match[str]], int | float | str | None]] = {
    "count": _count,
    "zero": lambda m: 0,
    "none": lambda m: None,
    "amount": _amount,
    "year": _year,
    "date": _date,
}

# Converters whose None means "no value could be read" (drop), not "stated as none".
_NEEDS_VALUE = {"count", "amount", "year", "date"}


_TOKEN = re.compile(r"<[A-Z_0-9]+>")


def _expand(pattern: str) -> str:
    # Tokens nest (e.g. <RESULT> -> <N> -> <NUM>); a few passes reach the bottom.
    for _ in range(5):
        for token, regex in TOKENS.items():
            pattern = pattern.replace(token, regex)
    left = _TOKEN.search(pattern)
    if left:
        raise ValueError(f"unknown token {left.group(0)} in pattern")
    return pattern


# A cheap necessary condition per kind, checked before its regexes run (extraction runs on every report):
# each pattern of the kind contains one of these words (<REQ> and <REQ_KEY>...申请 all contain 申请,
# <FEE> 处理费, <FORWARD> 结转/顺延/转入, <PAGE_DATE> 日期/时间, ...). test_facts checks the gate changes nothing.
GATES: dict[str, tuple[str, ...]] = {
    "requests_received": ("申请",),
    "requests_answered": ("申请",),
    "requests_granted_or_partly": ("部分公开",),
    "requests_granted": ("公开",),
    "requests_partly": ("部分公开",),
    "requests_denied": ("不予公开",),
    "requests_unavailable": ("无法提供",),
    "requests_unprocessed": ("不予处理",),
    "requests_other": ("其他处理",),
    "requests_carried_forward": ("结转", "顺延", "转入"),
    "requests_carried_over": ("结转",),
    "proactive_published": ("主动公开",),
    "review_cases": ("复议",),
    "suit_cases": ("诉讼",),
    "fee_none": ("费",),
    "fee_amount": ("费",),
    "year_mentioned": ("年",),
    "published_date": ("年", "日期", "时间"),
}

_Compiled = tuple[PatternSpec, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None, frozenset[str]]


def _compile(spec: PatternSpec) -> _Compiled:
    if spec.value not in CONVERTERS:
        raise ValueError(f"unknown converter {spec.value!r} for {spec.kind}")
    reject = re.compile(spec.reject) if spec.reject else None
    context = re.compile(spec.context) if spec.context else None
    return spec, re.compile(_expand(spec.pattern)), reject, context, frozenset(GATES.get(spec.kind, ("",)))


_COMPILED = [_compile(spec) for spec in PATTERNS]
# Per section, the patterns that apply there, and every gate word (looked for once per line).
_BY_SECTION = {name: [c for c in _COMPILED if c[0].sections is None or name in c[0].sections] for name in SECTIONS}
_GATE_WORDS = tuple(sorted({word for words in GATES.values() for word in words}))
_CITATION = re.compile(r"《[^》]*》|〈[^〉]*〉")
_SENTENCE_END = "。!?"


# --- extraction ---

def extract_facts(lines: list[tuple[int, str]], section: str) -> list[Fact]:
    """Facts in the (line number, NFKC text) lines of one section, in source order."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; expected one of {SECTIONS}")
    facts: list[Fact] = []
    for lineno, text in lines:
        facts.extend(_line_facts(lineno, text, section))
    return facts


def _gated(section: str, words: frozenset[str]) -> list[_Compiled]:
    """The section's patterns whose gate words a line holds, in table order (kept per set of words:
    lines hold few distinct sets, and this walk per line was a fifth of the extraction)."""
    key = (section, words)
    patterns = _GATED.get(key)
    if patterns is None:
        patterns = _GATED[key] = [c for c in _BY_SECTION[section] if not words.isdisjoint(c[4])]
    return patterns


_GATED: dict[tuple[str, frozenset[str]], list[_Compiled]] = {}


def _line_facts(lineno: int, text: str, section: str, gated: bool = True) -> list[Fact]:
    citations = [m.span() for m in _CITATION.finditer(text)]
    found: list[tuple[int, int, Fact]] = []
    words = frozenset(["", *[word for word in _GATE_WORDS if word in text]])  # "": the gate of an ungated kind
    patterns = _gated(section, words) if gated else _BY_SECTION[section]
    for spec, regex, reject, context, _ in patterns:
        for m in regex.finditer(text):
            fact = _fact(spec, m, lineno, section, citations, reject, context, text)
            if fact is None or _overlaps(found, fact.kind, m.span()):
                continue
            found.append((m.start(), m.end(), fact))
    found.sort(key=lambda item: item[0])
    return [fact for _, _, fact in found]


def _fact(spec: PatternSpec, m: re.Match[str], lineno: int, section: str,
          citations: list[tuple[int, int]], reject: re.Pattern[str] | None,
          context: re.Pattern[str] | None, text: str) -> Fact | None:
    if reject and reject.search(m.group(0)):
        return None
    if context and not context.search(_sentence(text, m.start())):
        return None
    scope = spec.scope.format(section=section) if spec.scope else None
    if _in_citation(m, citations):
        if spec.in_citation == "skip":
            return None
        scope = "citation"
    value = CONVERTERS[spec.value](m)
    if value is None and spec.value in _NEEDS_VALUE:
        return None
    if "approx" in m.re.groupindex and m["approx"]:
        scope = "approximate"
    unit = m["unit"] if "unit" in m.re.groupindex and m["unit"] else spec.unit
    return Fact(spec.kind, value, unit, lineno, m.group(0).strip(), scope)


def _in_citation(m: re.Match[str], citations: list[tuple[int, int]]) -> bool:
    # The number's position decides: "72件申请按照《条例》顺延" is not a citation.
    pos = m.start("num") if "num" in m.re.groupindex and m["num"] else m.start()
    return any(start < pos < end for start, end in citations)


def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind(ch, 0, pos) for ch in _SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, pos) for ch in _SENTENCE_END) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def _overlaps(found: list[tuple[int, int, Fact]], kind: str, span: tuple[int, int]) -> bool:
    return any(f.kind == kind and start < span[1] and span[0] < end for start, end, f in found)
