"""Turning a section's lines into a stream of label and value tokens.

The same stream comes out of tab rows, space-separated rows, one cell per line, HTML rows and
text where labels and numbers run together: that is what lets one assembler serve every layout.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from gxbg.documents.model import Line
from gxbg.report.cells import is_value, split_numbers

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"^[\d.,]+$")


class Token(NamedTuple):  # a NamedTuple: hundreds are made per report, and it is cheap to build
    kind: str  # label | value | text | newline
    text: str
    line: int
    code: str | None = None  # label code
    glued: bool = False  # value run stuck to a label with no separator (crawled text)
    table: bool = False  # from an HTML/DOCX row: empty cells are real cells


# tuple.__new__ skips the NamedTuple's Python-level __new__: a third of tokenize's time went there.
_new = tuple.__new__


def tokenize(lines: list[Line], label_re: re.Pattern[str]) -> list[Token]:
    tokens: list[Token] = []
    append, extend = tokens.append, tokens.extend
    for line in lines:
        cells = line.cells
        if not line.text.strip("\t "):
            continue
        no, table = line.no, line.table
        if "".join(cells).isdigit():  # a line of plain numbers (blank cells allowed): the common case
            extend([_new(Token, ("value", c, no, None, False, table)) for c in cells])
        else:
            for cell in _expand(cells) if " " in line.text else cells:
                if not cell or cell.isdigit():
                    append(_new(Token, ("value", cell, no, None, False, table)))
                    continue
                shape = _SHAPES.get((id(label_re), cell)) or _cell_shapes(cell, label_re)
                extend([_new(Token, (kind, text, no, code, glued, table)) for kind, text, code, glued in shape])
        append(_new(Token, ("newline", "", no, None, False, table)))
    return tokens


def _expand(cells: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        parts = split_numbers(cell) if " " in cell else None
        out.extend(parts if parts else [cell])
    return out


_LABEL_THEN_NUMBERS = re.compile(r"^(?P<label>.*?[^\d\s.,/-])\s+(?P<nums>[-\d.,/]+(?:\s+[-\d.,/]+)*)$")


Shape = tuple[tuple[str, str, str | None, bool], ...]
# Keyed by (id of the label pattern, cell): hashing a compiled pattern hashes its whole program,
# which made an lru_cache keyed by the pattern slower than no cache at all.
_SHAPES: dict[tuple[int, str], Shape] = {}


def _cell_shapes(cell: str, label_re: re.Pattern[str]) -> Shape:
    """What a cell holds (a value, or labels, text and values), independent of where it stands: cached, as
    labels repeat in every report."""
    key = (id(label_re), cell)
    shape = _SHAPES.get(key)
    if shape is None:
        if len(_SHAPES) > 20000:
            _SHAPES.clear()
        if is_value(cell):
            shape = (("value", cell.strip(), None, False),)
        else:
            line = Line(0, cell, (cell,))
            shape = tuple((t.kind, t.text, t.code, t.glued) for t in _split_cell(cell, line, label_re))
        _SHAPES[key] = shape
    return shape


def _split_cell(cell: str, line: Line, label_re: re.Pattern[str]) -> list[Token]:
    m = _LABEL_THEN_NUMBERS.match(cell.strip())
    if m and all(is_value(n) for n in m["nums"].split()):
        # "规章 0 0 0": a label and its numbers separated by single spaces
        head = _split_cell(m["label"], line, label_re)
        return head + [Token("value", n, line.no, table=line.table) for n in m["nums"].split()]
    text = _WS.sub("", cell)
    found = [m for m in label_re.finditer(text) if m.end() > m.start()]
    if not found:
        return [Token("text", text, line.no, table=line.table)]
    out: list[Token] = []
    pos = 0
    for m in found:
        out.extend(_between(text[pos : m.start()], line, glued=pos > 0))
        out.append(Token("label", m.group(), line.no, code=m.lastgroup, table=line.table))
        pos = m.end()
    out.extend(_between(text[pos:], line, glued=True))
    return out


_LEADING_NUMBER = re.compile(r"^(\d[\d.,]*)(\D.*)$")


def _between(piece: str, line: Line, glued: bool) -> list[Token]:
    if not piece:
        return []
    if _DIGITS.match(piece):
        return [Token("value", piece, line.no, glued=glued, table=line.table)]
    m = _LEADING_NUMBER.match(piece) if glued else None
    if m:  # "2629第二十条第(六)项...": numbers, then the next block's header text
        return [Token("value", m[1], line.no, glued=True, table=line.table), Token("text", m[2], line.no)]
    # "258元" etc. after a label in the same cell
    if is_value(piece):
        return [Token("value", piece, line.no, glued=glued, table=line.table)]
    return [Token("text", piece, line.no, table=line.table)]
