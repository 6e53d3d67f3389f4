"""The preamble: what stands between the title and 一, without the title's repeats."""

from __future__ import annotations

import random

from gxbg.report import parse_text
from gxbg.synth import random_report, render


def test_web_page_title_repeat_is_not_preamble_prose():
    text = render(random_report(random.Random(1)), "web")
    title = text.splitlines()[1]
    assert text.count(title) == 2  # the page title, then the article's heading
    report = parse_text(text, source="page.txt")
    assert report.title == title
    preamble = report.narrative["preamble"]
    assert title not in preamble.text
    assert preamble.text.startswith("发布时间")


def test_preamble_keeps_prose_after_the_title():
    lines = render(random_report(random.Random(2)), "tabs").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "一、总体情况")
    lines.insert(start, "本报告由本机关编制，统计期限为本年1月1日至12月31日。")
    report = parse_text("\n".join(lines), source="a.txt")
    assert report.narrative["preamble"].text == "本报告由本机关编制,统计期限为本年1月1日至12月31日。"  # NFKC
