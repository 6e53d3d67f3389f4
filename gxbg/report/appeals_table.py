"""Section 四: administrative review and litigation, one row of 15 numbers."""

from __future__ import annotations

import re

from gxbg.codes import APPEAL_CODES
from gxbg.documents.model import Line
from gxbg.report.align import Candidate, Values, row_candidates, solve, split_candidates, sum_ok
from gxbg.report.cells import count_or_none, is_value, read_cell
from gxbg.report.labels import APPEAL_HEADER_WORDS
from gxbg.report.model import Report
from gxbg.report.tokens import Token, tokenize

WIDTH = len(APPEAL_CODES)
SECTION = "appeals"
_NEVER = re.compile(r"(?!x)x")
_GLUED_TAIL = re.compile(r"^(?P<head>.*?\D)(?P<digits>\d{15,})$")


def violations(table: dict[str, Values]) -> int:
    vals = table["appeals"]
    return sum(not sum_ok(vals[g : g + 4], vals[g + 4]) for g in range(0, WIDTH, 5))


def parse_appeals(lines: list[Line], report: Report) -> None:
    tokens = tokenize(lines, _NEVER)
    glued = _glued_run(tokens)
    if glued:
        digits, line = glued
        cands = split_candidates(digits, WIDTH, lambda v: violations({"appeals": v}) == 0)
        _apply(report, cands, line, f"数字连写为“{digits}”")
        return
    cells, line = _value_cells(tokens)
    if not cells:
        report.note("missing_row", "表四没有找到数值行", section=SECTION)
        return
    core, lead, trail = _strip(cells)
    cands = row_candidates([c.value for c in core], lead, trail, WIDTH, None, max_repair=2)
    cands = [c for c in cands if c.cost <= 1] or cands
    _apply(report, cands, line, f"有 {len(core)} 个数值（应为 15）")
    for cell in core:
        if cell.unit or cell.decimal or cell.negative:
            report.note("non_integer", f"单元格“{cell.text}”不是非负整数", line=line, section=SECTION)
    blanks = sum(1 for c in core if c.blank) + (lead + trail if len(core) + lead + trail == WIDTH else 0)
    if blanks:
        report.note("blank_cell", f"表四有 {blanks} 个空白单元格，未按 0 处理", line=line, section=SECTION, severity="info")


def _apply(report: Report, cands: list[Candidate], line: int | None, what: str) -> None:
    if not cands:
        report.note("not_assessable", f"表四{what}，无法对齐到 15 列，不予评估", line=line, section=SECTION)
        return
    solution = solve({"appeals": cands}, {}, violations)
    chosen = solution.choice["appeals"]
    values = list(chosen.values)
    for i in solution.uncertain.get("appeals", ()):
        values[i] = None
    if chosen.op[0] in ("drop", "miss"):
        code = "extra_cell" if chosen.op[0] == "drop" else "missing_cell"
        report.note(code, f"表四{what}，已按各项总计的勾稽关系对齐", line=line, section=SECTION)
    elif chosen.op[0] == "split":
        report.note("run_together", f"表四{what}，已按 15 列及勾稽关系拆分", line=line, section=SECTION, severity="info")
    if solution.uncertain.get("appeals"):
        cols = "、".join(APPEAL_CODES[i] for i in sorted(solution.uncertain["appeals"]))
        report.note("ambiguous_alignment", f"表四对齐方式不唯一，{cols} 不予评估", line=line, section=SECTION)
    report.appeal_values = [count_or_none(v) for v in values]
    report.appeal_line = line


def _glued_run(tokens: list[Token]) -> tuple[str, int] | None:
    for tok in tokens:
        if tok.kind == "text":
            m = _GLUED_TAIL.match(tok.text)
            if m and APPEAL_HEADER_WORDS.match(m["head"]):
                return m["digits"], tok.line
    return None


def _value_cells(tokens: list[Token]) -> tuple[list, int | None]:
    """Values from lines made only of values (header lines carry text and padding)."""
    by_line: dict[int, list[Token]] = {}
    order: list[int] = []
    for tok in tokens:
        if tok.kind == "newline":
            continue
        if tok.line not in by_line:
            order.append(tok.line)
        by_line.setdefault(tok.line, []).append(tok)
    cells, first = [], None
    for no in order:
        toks = by_line[no]
        if any(t.kind == "text" for t in toks) or not any(t.text for t in toks):
            continue
        first = first or no
        if toks[0].table:
            cells.extend(read_cell(t.text) for t in toks)
        else:
            texts = [t.text for t in toks if is_value(t.text)]
            if sum(1 for t in texts if t) == 1:
                texts = [t for t in texts if t]  # one cell per line: edge tabs are indentation
            cells.extend(read_cell(t) for t in texts)
    return cells, first


def _strip(cells: list) -> tuple[list, int, int]:
    lead = 0
    while lead < len(cells) and cells[lead].blank and not cells[lead].text:
        lead += 1
    trail = 0
    while trail < len(cells) - lead and cells[-1 - trail].blank and not cells[-1 - trail].text:
        trail += 1
    return cells[lead : len(cells) - trail], lead, trail
