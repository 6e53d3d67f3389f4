"""Grouping a token stream into labelled rows of value cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from gxbg.report.cells import Cell, read_cell
from gxbg.report.tokens import Token


@dataclass
class RawRow:
    code: str | None  # None: a text label the tables do not know
    label: str
    line: int
    cells: list[Cell] = field(default_factory=list)
    lead: int = 0  # blank cells between the label and the first value on the label's line
    trail: int = 0  # blank cells after the last value
    glued: str | None = None  # digits that ran into the label with no separator
    value_lines: set[int] = field(default_factory=set)

    @property
    def core(self) -> list[Cell]:
        return self.cells


def group_rows(tokens: list[Token], header: object = None) -> list[RawRow]:
    """Labels start rows; values that follow (on the label's line, or on the lines after it when the
    label stands alone) belong to that row; unknown text after a row's values starts an unknown row."""
    rows: list[RawRow] = []
    current: RawRow | None = None
    pending: list[Token] = []  # value tokens of the current line, blanks included
    label_line_has_values = False

    def flush_line() -> None:
        nonlocal pending
        if current is not None and pending:
            _add_cells(current, pending, on_label_line=current.line == pending[0].line and label_line_has_values)
        pending = []

    for tok in tokens:
        if tok.kind == "label":
            flush_line()
            current = RawRow(tok.code, tok.text, tok.line)
            rows.append(current)
            label_line_has_values = False
        elif tok.kind == "value":
            if current is None:
                continue
            if tok.glued and not current.cells and current.glued is None and tok.text.isdigit():
                current.glued = tok.text
                current.value_lines.add(tok.line)
                continue
            pending.append(tok)
            if tok.line == current.line and tok.text:
                label_line_has_values = True
        elif tok.kind == "newline":
            flush_line()
        elif tok.kind == "text":
            if current is not None and (current.cells or current.glued) and not _is_header(tok.text, header):
                flush_line()
                current = RawRow(None, tok.text, tok.line)
                rows.append(current)
    flush_line()
    return rows


def _is_header(text: str, header: object) -> bool:
    return bool(header is not None and header.match(text))  # type: ignore[attr-defined]


def _add_cells(row: RawRow, toks: list[Token], on_label_line: bool) -> None:
    cells = [read_cell(t.text) for t in toks]
    if not any(t.text for t in toks):
        # Only empty cells: real blanks in table rows and on the label's own line, else padding.
        if toks[0].table:
            row.cells.extend(cells)
        elif toks[0].line == row.line and not row.cells:
            row.lead += len(toks)
        return
    if toks[0].table:
        row.cells.extend(cells)
        return
    # Empty cells at the edges of a text line may be padding from merged label columns:
    # remember how many, let the aligner decide.
    first = next(i for i, t in enumerate(toks) if t.text)
    last = max(i for i, t in enumerate(toks) if t.text)
    if not row.cells:
        row.lead += first
    row.cells.extend(cells[first : last + 1])
    row.trail = len(toks) - 1 - last
    row.value_lines.update(t.line for t in toks)
