"""Property tests: mutated reports (the seeds, the real corpus texts, synthetic reports) always parse to a
Report or fail with a clean ParseError/DocumentError -- never another exception -- and within a time bound.

Mutations: delete, duplicate and swap lines, splice in lines of another report, cut or merge cells, insert
noise (digits, tabs, table labels such as "(七)总计", "1.", "三、"), scramble characters, and damage the raw
bytes before decoding. The default runs are small and deterministic (derandomize) so the suite stays fast
and stable; the @slow variants explore many more random examples (CI runs them too).
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gxbg.codes import FORMATS
from gxbg.documents import DocumentError, read_bytes
from gxbg.report import ParseError, Report, parse_document, parse_text
from gxbg.report.frames import batch_frames
from gxbg.synth import LAYOUTS, random_report, render
from gxbg.synth.formats import to_html
from tests.conftest import CORPUS, SEEDS

DEADLINE_MS = 2000  # a report parses in well under 0.1 s; pathological inputs must stay bounded too
FAST = settings(max_examples=25, deadline=DEADLINE_MS, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
SLOW = settings(max_examples=400, deadline=DEADLINE_MS, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip

LABELS = [
    "(七)总计", "（七）总计", "总计", "1.", "2.", "三、", "四、", "五、", "二、", "（一）", "(二)", "（三）", "1.申请人",
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "四、结转下年度继续办理",
    "（一）予以公开", "（二）部分公开", "（六）其他处理", "自然人", "法人或其他组织", "商业企业", "科研机构", "其他",
    "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉",
    "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "信息内容", "本年制发件数", "现行有效件数", "行政许可", "行政处罚", "行政事业性收费", "万元",
    "2021年政府信息公开工作年度报告", "某市某局2022年政府信息公开工作年度报告", "2023年1月31日",
    "/", "—", "-", "无", "0", "\t", "\t\t\t", "  ", "|", "| --- |", "# ", "> ", "\u3000", "\ufeff", "\u200b",
]  # fmt: skip
CHARS = "0123456789\t 、.,()（）一二三四五六七八九十总计合其他/—-%万元年月日"


@cache
def corpus_texts() -> tuple[str, ...]:
    """The seeds and the real reports saved as text (empty when ../shared is absent)."""
    files = sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")) if SEEDS.is_dir() else []
    return tuple(p.read_text(encoding="utf-8", errors="replace") for p in files)


def needs_corpus() -> None:
    if not corpus_texts():
        pytest.skip(f"{SEEDS} not present (tests read ../shared beside the checkout)")


synthetic = st.builds(
    lambda seed, fmt, layout: render(random_report(random.Random(seed), format=fmt), layout),
    st.integers(0, 2**32), st.sampled_from(FORMATS), st.sampled_from(LAYOUTS),
)  # fmt: skip
def _corpus_text(i: int) -> str:
    texts = corpus_texts()  # without ../shared, a synthetic report stands in
    return texts[i % len(texts)] if texts else render(random_report(random.Random(i)), "tabs")


corpus = st.integers(0, 10**6).map(_corpus_text)
noise = st.one_of(
    st.sampled_from(LABELS),
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=CHARS, max_size=40),
    st.text(max_size=20),
    st.lists(st.sampled_from(LABELS + list(CHARS)), max_size=12).map("".join),
)


# --- line mutations: each takes draw and the lines, returns the new lines ------------------------------------


def _index(draw, lines: list[str]) -> int:
    return draw(st.integers(0, max(len(lines) - 1, 0)))


def delete_lines(draw, lines):
    start = _index(draw, lines)
    return lines[:start] + lines[start + draw(st.integers(1, 40)):]


def duplicate_line(draw, lines):
    i = _index(draw, lines)
    return lines[: i + 1] + lines[i: i + draw(st.integers(1, 5))] + lines[i + 1:] if lines else lines


def swap_lines(draw, lines):
    if len(lines) < 2:
        return lines
    i, j = _index(draw, lines), _index(draw, lines)
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def splice(draw, lines):
    """Lines of another report (a real one when present, else a synthetic one) put in."""
    other = (draw(corpus) if corpus_texts() else draw(synthetic)).split("\n")
    start = _index(draw, other)
    i = _index(draw, lines)
    return lines[:i] + other[start: start + draw(st.integers(1, 30))] + lines[i:]


def cut_cells(draw, lines):
    """Drop a cell, merge two cells, or cut a line short."""
    if not lines:
        return lines
    i = _index(draw, lines)
    cells = lines[i].split("\t")
    how = draw(st.sampled_from(["drop", "merge", "cut"]))
    if how == "drop" and len(cells) > 1:
        del cells[draw(st.integers(0, len(cells) - 1))]
    elif how == "merge" and len(cells) > 1:
        k = draw(st.integers(0, len(cells) - 2))
        cells[k: k + 2] = [cells[k] + draw(st.sampled_from(["", " "])) + cells[k + 1]]
    else:
        cells = [lines[i][: draw(st.integers(0, len(lines[i])))]]
    return lines[:i] + ["\t".join(cells)] + lines[i + 1:]


def insert_noise(draw, lines):
    i = draw(st.integers(0, len(lines)))
    inserted = draw(st.lists(noise, min_size=1, max_size=4))
    if draw(st.booleans()) or not lines:
        return lines[:i] + ["\t".join(inserted)] + lines[i:]
    i = min(i, len(lines) - 1)
    at = draw(st.integers(0, len(lines[i])))
    return lines[:i] + [lines[i][:at] + "".join(inserted) + lines[i][at:]] + lines[i + 1:]


def scramble(draw, lines):
    """Characters of one line replaced by table-ish characters."""
    if not lines:
        return lines
    i = _index(draw, lines)
    seed = draw(st.integers(0, 2**32))
    rng = random.Random(seed)
    line = "".join(c if rng.random() > 0.25 else rng.choice(CHARS) for c in lines[i])
    return lines[:i] + [line] + lines[i + 1:]


def change_separators(draw, lines):
    if not lines:
        return lines
    i = _index(draw, lines)
    return lines[:i] + [lines[i].replace("\t", draw(st.sampled_from(["", " ", "  ", "\t\t", "|"])))] + lines[i + 1:]


MUTATIONS = [delete_lines, duplicate_line, swap_lines, splice, cut_cells, insert_noise, scramble, change_separators]


@st.composite
def mutated(draw, base):
    lines = draw(base).split("\n")
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=8)):
        lines = mutation(draw, lines)
    return "\n".join(lines)


@st.composite
def damaged_bytes(draw, base, encodings=("utf-8", "gb18030", "utf-16")):
    """A report's bytes, in one of its encodings, with bytes inserted, overwritten, deleted or cut off."""
    data = bytearray(draw(base).encode(draw(st.sampled_from(encodings))))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["insert", "overwrite", "delete"] * 3 + ["truncate"]))
        if how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at: at + len(chunk)] = chunk
        elif how == "delete":
            del data[at: at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    return bytes(data)


# --- the property ---------------------------------------------------------------------------------------------


def check_report(report: Report) -> None:
    """Everything the pipeline does with a parsed report must work too: a crash there would sink a batch."""
    assert isinstance(report, Report)
    report.requests, report.appeals, report.active, report.facts  # noqa: B018 - lazy frames built
    json.dumps(report.to_dict(), ensure_ascii=False, default=str)
    batch_frames([report])


def parses_or_fails_cleanly(text: str) -> None:
    try:
        report = parse_text(text, source="fuzz.txt")
    except ParseError as exc:
        assert exc.reason and "\n" not in exc.reason
        event("ParseError")  # shown by pytest --hypothesis-show-statistics
        return
    check_report(report)
    event("parsed")


def reads_or_fails_cleanly(data: bytes, suffix: str) -> None:
    try:
        report = parse_document(read_bytes(data, f"fuzz{suffix}", suffix))
    except (DocumentError, ParseError) as exc:
        assert exc.reason and "\n" not in exc.reason
        event(f"{type(exc).__name__}: {exc.status}")
        return
    check_report(report)
    event("parsed")


# --- the tests ------------------------------------------------------------------------------------------------


@FAST
@given(text=mutated(synthetic))
def test_mutated_synthetic_reports(text):
    parses_or_fails_cleanly(text)


@FAST
@given(text=mutated(corpus))
def test_mutated_seed_and_corpus_reports(text):
    needs_corpus()
    parses_or_fails_cleanly(text)


@FAST
@given(data=damaged_bytes(synthetic))
def test_damaged_text_bytes(data):
    reads_or_fails_cleanly(data, ".txt")


@FAST
@given(data=damaged_bytes(synthetic.map(lambda t: t.replace("\t", " | ")), encodings=("utf-8", "gb18030")))
def test_damaged_markdown_bytes(data):
    reads_or_fails_cleanly(data, ".md")


html = st.builds(lambda seed: to_html(random_report(random.Random(seed))), st.integers(0, 2**32))


@FAST
@given(data=damaged_bytes(html, encodings=("utf-8", "gb18030")))
def test_damaged_html_bytes(data):
    reads_or_fails_cleanly(data, ".html")


@FAST
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf"]))
def test_random_bytes(data, suffix):
    reads_or_fails_cleanly(data, suffix)


@pytest.mark.slow
@SLOW
@given(text=mutated(st.one_of(synthetic, corpus) if SEEDS.is_dir() else synthetic))
def test_mutated_reports_many(text):
    parses_or_fails_cleanly(text)


@pytest.mark.slow
@SLOW
@given(data=st.one_of(damaged_bytes(synthetic).map(lambda d: (d, ".txt")),
                      damaged_bytes(html, encodings=("utf-8", "gb18030")).map(lambda d: (d, ".html"))))  # fmt: skip
def test_damaged_bytes_many(data):
    reads_or_fails_cleanly(*data)


def test_the_property_is_not_vacuous():
    """The mutated inputs are not all rejected: an intact synthetic report parses, a lightly damaged one too."""
    text = render(random_report(random.Random(1)), "tabs")
    report = parse_text(text)
    check_report(report)
    assert report.request_values["new_received"][-1] is not None
    lines = text.split("\n")
    shuffled = "\n".join(lines[:5] + lines[6:])  # one line of the narrative gone
    assert isinstance(parse_text(shuffled), Report)
    with pytest.raises(ParseError):
        parse_text("关于召开会议的通知\n各科室：\n")
