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
    pending: list[Token] = []  # value tokens of the current line, blanks included; only ever under a row
    for tok in tokens:
        kind = tok.kind  # the commonest kinds first
        if kind == "value":
            if current is None:
                continue
            if tok.glued and not current.cells and current.glued is None and tok.text.isdigit():
                current.glued = tok.text
                current.value_lines.add(tok.line)
                continue
            pending.append(tok)
        elif kind == "newline":
            if pending:
                _add_cells(current, pending)  # type: ignore[arg-type]
                pending = []
        elif kind == "label":
            if pending:
                _add_cells(current, pending)  # type: ignore[arg-type]
                pending = []
            current = RawRow(tok.code, tok.text, tok.line)
            rows.append(current)
        elif kind == "text":
            if current is not None and (current.cells or current.glued) and not _is_header(tok.text, header):
                if pending:
                    _add_cells(current, pending)
                    pending = []
                current = RawRow(None, tok.text, tok.line)
                rows.append(current)
    if pending:
        _add_cells(current, pending)  # type: ignore[arg-type]
    return rows


def _is_header(text: str, header: object) -> bool:
    return bool(header is not None and header.match(text))  # type: ignore[attr-defined]


def _add_cells(row: RawRow, toks: list[Token]) -> None:
    if len(toks) == 1 and toks[0].text:  # one value on its line: the one-cell-per-line layout's every line
        tok = toks[0]
        row.cells.append(read_cell(tok.text))
        if not tok.table:
            row.trail = 0
            row.value_lines.add(tok.line)
        return
    texts = [t.text for t in toks]
    cells = [read_cell(t) for t in texts]
    if not any(texts):
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
    first = next(i for i, t in enumerate(texts) if t)
    last = len(texts) - 1 - next(i for i, t in enumerate(reversed(texts)) if t)
    if not row.cells:
        row.lead += first
    row.cells.extend(cells[first : last + 1])
    row.trail = len(toks) - 1 - last
    row.value_lines.add(toks[0].line)  # pending tokens are flushed line by line
