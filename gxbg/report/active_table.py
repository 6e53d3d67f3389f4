"""Section 二: proactive disclosure, as a long frame (item, measure, value, line)."""

from __future__ import annotations

import difflib
import itertools

from gxbg.codes import ACTIVE_ITEMS, MONEY_MEASURES, SIGNED_MEASURES
from gxbg.documents.model import Line
from gxbg.report.cells import MAX_VALUE, Cell, read_cell
from gxbg.report.labels import ACTIVE_HEADER, ACTIVE_HEADERS, ACTIVE_LABEL_RE, KNOWN_TYPOS, last_char_hint
from gxbg.report.model import Report
from gxbg.report.rows import RawRow, group_rows
from gxbg.report.tokens import Token, tokenize

SECTION = "active"


def parse_active(lines: list[Line], report: Report) -> None:
    tokens = tokenize(lines, ACTIVE_LABEL_RE)
    _note_typos(tokens, report)
    rows = {}
    for row in group_rows(tokens, ACTIVE_HEADER):
        if row.code and row.code not in rows:
            rows[row.code] = row
    items = ACTIVE_ITEMS.get(report.format or "2021", ACTIVE_ITEMS["2021"])
    for item, measures in items.items():
        row = rows.get(item)
        if row is None:
            report.note("missing_row", f"表二缺少“{item}”行", section=SECTION, row=item)
            continue
        for measure, cell in zip(measures, _values(row, len(measures), report)):
            report.active_records.append(_record(item, measure, cell, row, report))


def _values(row: RawRow, n: int, report: Report) -> list[Cell | None]:
    if row.glued is not None:
        return _split_glued(row, n, report)
    cells: list[Cell | None] = list(row.cells)
    if len(cells) < n and len(cells) + row.trail + row.lead >= n:
        cells += [read_cell("")] * (n - len(cells))  # blank cells at the row's end
    if len(cells) > n:
        report.note("extra_cell", f"该行有 {len(cells)} 个数值（应为 {n}），只取前 {n} 个", line=row.line,
                    section=SECTION, row=row.code)
        cells = cells[:n]
    elif len(cells) < n:
        report.note("missing_cell", f"该行只有 {len(cells)} 个数值（应为 {n}），缺少的按未知处理", line=row.line,
                    section=SECTION, row=row.code)
        cells += [None] * (n - len(cells))
    return cells


def _split_glued(row: RawRow, n: int, report: Report) -> list[Cell | None]:
    digits = row.glued or ""
    if n == 1:
        return [read_cell(digits)]
    splits = []
    for cuts in itertools.combinations(range(1, len(digits)), n - 1):
        bounds = (0, *cuts, len(digits))
        parts = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        if not any(len(p) > 1 and p.startswith("0") for p in parts):
            splits.append(parts)
    if len(splits) == 1:
        return [read_cell(p) for p in splits[0]]
    report.note("not_assessable", f"该行数字连写为“{digits}”，有 {len(splits)} 种拆分方式，无法确定，不予评估",
                line=row.line, section=SECTION, row=row.code)
    return [None] * n


def _record(item: str, measure: str, cell: Cell | None, row: RawRow, report: Report) -> tuple:
    value = None if cell is None or cell.value is None or abs(cell.value) > MAX_VALUE else cell.value
    if cell is not None:
        if cell.blank:
            report.note("blank_cell", f"{item}.{measure} 为空白（“{cell.text}”），未按 0 处理", line=row.line,
                        section=SECTION, row=item, column=measure, severity="info")
        if cell.unit:
            report.note("unit_in_cell", f"单元格“{cell.text}”含单位，已去掉单位", line=row.line,
                        section=SECTION, row=item, column=measure)
        if cell.decimal and measure not in MONEY_MEASURES:
            report.note("non_integer", f"{item}.{measure} 应为整数，实为“{cell.text}”", line=row.line,
                        section=SECTION, row=item, column=measure)
        if cell.negative and measure not in SIGNED_MEASURES:
            report.note("non_integer", f"{item}.{measure} 不应为负数，实为“{cell.text}”", line=row.line,
                        section=SECTION, row=item, column=measure)
    return (item, measure, value, row.line)


def _note_typos(tokens: list[Token], report: Report) -> None:
    for tok in tokens:
        if tok.kind != "text" or not 3 <= len(tok.text) <= 10 or tok.text in ACTIVE_HEADERS:
            continue
        official = KNOWN_TYPOS.get(tok.text)
        if official is None and tok.text[-1] in "数量额减":  # every header ends so; skips row labels
            close = difflib.get_close_matches(tok.text, list(ACTIVE_HEADERS), n=1, cutoff=0.8)
            official = close[0] if close else None
        if official:
            report.note("label_typo", f"表头“{tok.text}”应为“{official}”", line=tok.line, section=SECTION)


_ROWS_2019 = ("其他对外管理服务事项", "政府集中采购")  # rows only the 2019 format has in 二
_ROWS_2021 = ("逾期不补正", "收费通知")  # words only the 2021 format's 三 uses
_ACTIVE_HINT = last_char_hint((*ACTIVE_HEADERS, *_ROWS_2019))  # rejects the lines of numbers cheaply
_REQUEST_HINT = last_char_hint(_ROWS_2021)


def detect_format(active: list[Line], requests: list[Line]) -> str | None:
    """'2019' or '2021' from the headers and rows the report actually uses; None when silent."""
    votes = {"2019": 0, "2021": 0}
    for line in active:
        if not _ACTIVE_HINT.search(line.text):
            continue
        for cell in line.cells:
            text = "".join(cell.split())
            for header, fmt in ACTIVE_HEADERS.items():
                if header in text and not (header == "处理决定数量" and "本年处理决定数量" in text):
                    votes[fmt] += 1
            if any(row in text for row in _ROWS_2019):
                votes["2019"] += 1
    for line in requests:
        if not _REQUEST_HINT.search(line.text):
            continue
        text = "".join(line.text.split())
        if any(word in text for word in _ROWS_2021):
            votes["2021"] += 2
    if votes["2019"] == votes["2021"]:
        return None
    return max(votes, key=votes.get)
