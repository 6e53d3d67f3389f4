"""Narrative sections (一, 五, 六 and the preamble) as text with their source line ranges."""

from __future__ import annotations

import re

from gxbg.documents.model import Line
from gxbg.report.model import Narrative

# Web-page chrome that trails a report (share links, print buttons, editor credits).
CHROME = re.compile(
    r"^(?:分享到|责任编辑|\[?\s*打印本页|【?\s*打印|关闭窗口|网站链接地址|扫一扫|上一篇|下一篇|相关链接|来源[:：]|"
    r"字号[:：]|当前位置|首页\s*>|视力保护色|附件[:：]?$|\[\s*\]|.*\|\s*关闭窗口)"
)


_MD_HEADING = re.compile(r"^#{1,6}\s*")  # reports saved as Markdown-ish text (seed 000)


def narrative(lines: list[Line], trim_chrome: bool = False) -> Narrative:
    kept = [ln for ln in lines if ln.text.strip()]
    if trim_chrome:
        while kept and CHROME.match(kept[-1].text.strip()):
            kept.pop()
    if not kept:
        return Narrative("", None, None)
    text = "\n".join(_MD_HEADING.sub("", ln.text.strip()) for ln in kept)
    return Narrative(text, kept[0].no, kept[-1].no, tuple(ln.no for ln in kept))


def chrome_lines(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if CHROME.match(ln.text.strip())]
