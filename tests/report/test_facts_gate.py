"""The keyword gate in front of the fact patterns (facts.GATES) only saves time: with and without it,
every line of the seeds, the real corpus and synthetic reports gives the same facts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gxbg.report import parse_file
from gxbg.report.facts import NARRATIVE, PATTERNS, GATES, _expand, _line_facts
from gxbg.report.parser import parse_text
from gxbg.synth import LAYOUTS, random_report, render

SHARED = Path(__file__).resolve().parents[3] / "shared"


def narrative_lines(report) -> list[tuple[str, int, str]]:
    lines = [("title", report.title_line or 0, report.title)] if report.title else []
    return lines + [(s, no, text) for s, part in report.narrative.items() for no, text in part.numbered()]


def shared_reports():
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus" / "real").glob("*.*"))
    files = [f for f in files if f.suffix in (".txt", ".html")]
    if not files:
        pytest.skip(f"{SHARED} not present")
    return [parse_file(f) for f in files]


def synthetic_reports(n: int = 60):
    rng = random.Random(17)
    return [parse_text(render(random_report(rng), LAYOUTS[i % len(LAYOUTS)]), f"s{i}.txt") for i in range(n)]


@pytest.mark.parametrize("reports", [shared_reports, synthetic_reports], ids=["shared", "synthetic"])
def test_gate_changes_no_fact(reports):
    lines = [line for report in reports() for line in narrative_lines(report)]
    assert len(lines) > 100
    for section, no, text in lines:
        assert _line_facts(no, text, section) == _line_facts(no, text, section, gated=False), text


def test_every_kind_has_a_gate_its_patterns_contain():
    assert {spec.kind for spec in PATTERNS} == set(GATES)
    for spec in PATTERNS:
        pattern = _expand(spec.pattern)
        assert any(word in pattern for word in GATES[spec.kind]), spec.pattern


def test_gate_words_make_no_difference_on_unit_sentences():
    sentences = ["全年共收到政府信息公开申请十七件", "予以公开及部分公开258件", "72件申请按照《条例》顺延到下年度",
                 "本年度未收取信息处理费", "行政复议7件,诉讼9件", "发布时间:2021-02-08", "二〇二二年一月二十日"]
    for text in sentences:
        for section in ("title", *NARRATIVE):
            assert _line_facts(1, text, section) == _line_facts(1, text, section, gated=False)
