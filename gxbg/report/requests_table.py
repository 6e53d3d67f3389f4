"""Section 三: requests received and handled, 25 rows x 7 columns."""

from __future__ import annotations

from gxbg.codes import REQUEST_COLUMNS, REQUEST_ROWS, RESULT_ROWS, ROWS_ABSENT_2019
from gxbg.documents.model import Line
from gxbg.report.cells import count_or_none
from gxbg.report.align import Candidate, Padding, Values, balance_ok, padding_of, row_candidates, solve, split_candidates, sum_ok
from gxbg.report.labels import REQUEST_HEADER, REQUEST_LABEL_RE
from gxbg.report.model import Report
from gxbg.report.rows import RawRow, group_rows
from gxbg.report.tokens import tokenize

WIDTH = len(REQUEST_COLUMNS)
TOTAL = WIDTH - 1
SECTION = "requests"


def parse_requests(lines: list[Line], report: Report) -> dict[str, RawRow]:
    rows = _by_code(group_rows(tokenize(lines, REQUEST_LABEL_RE), REQUEST_HEADER), report)
    fixed, options = _readings(rows, report)
    solution = solve(options, fixed, violations)
    table = dict(fixed)
    table.update({code: cand.values for code, cand in solution.choice.items()})
    for code, cand in solution.choice.items():
        if code not in solution.uncertain:  # an unsettled row gets the ambiguous_alignment note alone
            _note_repair(report, rows[code], cand)
    for code, positions in solution.uncertain.items():
        table[code] = tuple(None if i in positions else v for i, v in enumerate(table[code]))
        cols = "、".join(REQUEST_COLUMNS[i] for i in sorted(positions))
        report.note("ambiguous_alignment", f"该行单元格错位且无法唯一确定对齐方式，{cols} 列不予评估",
                    line=rows[code].line, section=SECTION, row=code)
    _fill(report, table, rows, solution.uncertain)
    return rows


def _by_code(raw: list[RawRow], report: Report) -> dict[str, RawRow]:
    rows: dict[str, RawRow] = {}
    unknown: list[tuple[int, RawRow]] = []
    for row in raw:
        if row.code is None:
            if row.cells or row.glued:
                unknown.append((len(rows), row))
            continue
        if row.code in rows:
            if row.cells or row.glued:
                report.note("duplicate_row", f"行标签重复出现：{row.label}", line=row.line, section=SECTION, row=row.code)
            continue
        rows[row.code] = row
    _place_unknown(rows, unknown, report)
    _fold_other_group(rows)
    return rows


def _place_unknown(rows: dict[str, RawRow], unknown: list[tuple[int, RawRow]], report: Report) -> None:
    """A row whose label was not recognised takes the first missing row code after the row before it."""
    seen = list(rows)
    for position, row in unknown:
        before = seen[position - 1] if position else None
        start = REQUEST_ROWS.index(before) + 1 if before in REQUEST_ROWS else 0
        free = [c for c in REQUEST_ROWS[start:] if c not in rows]
        if not free:
            continue
        row.code = free[0]
        rows[free[0]] = row
        report.note("label_unrecognised", f"未识别的行标签“{row.label}”，按位置视为 {free[0]}",
                    line=row.line, section=SECTION, row=free[0])


def _fold_other_group(rows: dict[str, RawRow]) -> None:
    """2019 format: (六)其他处理 is one row with values; it is other_misc."""
    group = rows.pop("group_other", None)
    subrows = ("other_no_correction", "other_unpaid_fee", "other_misc")
    if group and (group.cells or group.glued or group.lead) and not any(c in rows for c in subrows):
        group.code = "other_misc"
        rows["other_misc"] = group


def _readings(rows: dict[str, RawRow], report: Report) -> tuple[dict[str, Values], dict[str, list[Candidate]]]:
    fixed: dict[str, Values] = {}
    options: dict[str, list[Candidate]] = {}
    is_2019 = report.format == "2019"
    padding = padding_of((r.lead, r.trail) for r in rows.values() if r.glued is None and len(r.cells) == WIDTH)
    for code in REQUEST_ROWS:
        row = rows.get(code)
        if row is None:
            fixed[code] = (None,) * WIDTH
            if not (is_2019 and code in ROWS_ABSENT_2019):
                report.note("missing_row", f"表三缺少行 {code}", section=SECTION, row=code)
            continue
        cands = _row_readings(row, padding)
        if len(cands) == 1:
            fixed[code] = cands[0].values
            _note_repair(report, row, cands[0])
        elif cands:
            options[code] = cands
        else:
            fixed[code] = (None,) * WIDTH
            report.note("not_assessable", f"该行有 {len(row.cells)} 个数值单元格，无法对齐到 7 列，不予评估",
                        line=row.line, section=SECTION, row=code)
    return fixed, options


def _row_readings(row: RawRow, padding: Padding) -> list[Candidate]:
    if row.glued is not None:
        return split_candidates(row.glued, WIDTH, lambda v: sum_ok(v[:TOTAL], v[TOTAL]))
    values = [c.value for c in row.cells]
    cands = row_candidates(values, row.lead, row.trail, WIDTH, TOTAL, padding=padding)
    # Rows as written come first; when they exist, two repairs in one row are not plausible.
    return [c for c in cands if c.cost <= 1] or cands


def violations(table: dict[str, Values]) -> int:
    bad = 0
    for code in REQUEST_ROWS:
        vals = table.get(code)
        if vals and not sum_ok(vals[:TOTAL], vals[TOTAL]):
            bad += 1
    results = [table[c] for c in RESULT_ROWS if c in table]
    for col in range(WIDTH):
        column = [r[col] for r in results]
        if not sum_ok(column, table["results_total"][col]):
            bad += 1
        left = [table["new_received"][col], table["carried_over"][col]]
        right = [table["results_total"][col], table["carried_forward"][col]]
        if not balance_ok(left, right):
            bad += 1
    return bad


def _note_repair(report: Report, row: RawRow, cand: Candidate) -> None:
    op = cand.op[0]
    if op == "drop":
        dropped = "、".join(str(row.cells[i].text or "空") for i in cand.op[1])
        report.note("extra_cell", f"该行有 {len(row.cells)} 个单元格（应为 7），按表内勾稽关系去掉多余的单元格（{dropped}）",
                    line=row.line, section=SECTION, row=row.code)
    elif op == "miss":
        cols = "、".join(REQUEST_COLUMNS[i] for i in cand.op[1])
        guessed = "，缺失值按行合计推定为 " + "、".join(str(cand.values[i]) for i in cand.imputed) if cand.imputed else "，缺失值未知"
        report.note("missing_cell", f"该行只有 {len(row.cells)} 个单元格（应为 7），按表内勾稽关系对齐（缺 {cols} 列）{guessed}",
                    line=row.line, section=SECTION, row=row.code)
    elif op == "split":
        report.note("run_together", f"该行数字连写为“{row.glued}”，已按 7 列及勾稽关系拆分为 {list(cand.values)}",
                    line=row.line, section=SECTION, row=row.code, severity="info")


def _fill(report: Report, table: dict[str, Values], rows: dict[str, RawRow], uncertain: dict[str, set[int]]) -> None:
    for code in REQUEST_ROWS:
        report.request_values[code] = [count_or_none(v) for v in table[code]]
        row = rows.get(code)
        if row is not None:
            report.request_line[code] = row.line
            _note_cells(report, row, table[code], uncertain.get(code, set()))


def _note_cells(report: Report, row: RawRow, values: Values, unknown: set[int]) -> None:
    # Cells left unknown by an unsettled alignment are not blank in the source: their note says so.
    blanks = [REQUEST_COLUMNS[i] for i, v in enumerate(values) if v is None and i not in unknown]
    if blanks and any(c.blank for c in row.cells) or len(blanks) == WIDTH and row.lead:
        report.note("blank_cell", f"该行 {'、'.join(blanks)} 列为空白，未按 0 处理",
                    line=row.line, section=SECTION, row=row.code, severity="info")
    for cell in row.cells:
        if cell.unit:
            report.note("unit_in_cell", f"单元格“{cell.text}”含单位，已去掉单位", line=row.line, section=SECTION, row=row.code)
        if cell.decimal or cell.negative:
            report.note("non_integer", f"单元格“{cell.text}”不是非负整数", line=row.line, section=SECTION, row=row.code)
