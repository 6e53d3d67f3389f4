"""What every reader produces: a document as numbered lines of cells.

Plain text, HTML, DOCX and PDF readers all end here, so the report parser sees one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Line(NamedTuple):  # a NamedTuple: cheap to build, one per source line
    no: int  # 1-based line in the source file (HTML: line of the element)
    text: str  # normalised text of the whole line
    cells: tuple[str, ...]  # normalised cells; a line without separators is one cell
    table: bool = False  # cells come from a real table structure (HTML/DOCX row)


@dataclass
class Document:
    source: str
    kind: str  # text | markdown | html | docx | pdf
    encoding: str | None
    lines: list[Line]
    content_hash: str  # sha256 of the raw bytes
    notes: list[tuple[str, str, int | None]] = field(default_factory=list)  # (code, message, line)


class DocumentError(Exception):
    """A file that cannot be turned into a document; the message is the one-line reason."""

    def __init__(self, reason: str, status: str = "parse_error"):
        super().__init__(reason)
        self.reason = reason
        self.status = status  # parse_error | unsupported | needs_ocr | too_large | unreadable
