"""Documents layer: files -> numbered lines of cells (see model.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gxbg.documents.inputs import MAX_BYTES, read_limited, unsupported_reason
from gxbg.documents.model import Document, DocumentError, Line
from gxbg.documents.text import read_text

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | HTML_SUFFIXES | {".docx", ".pdf"}


def read_bytes(data: bytes, source: str, suffix: str) -> Document:
    suffix = suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise DocumentError("文件为空 (empty file)")
    if suffix in TEXT_SUFFIXES:
        return read_text(data, source, TEXT_SUFFIXES[suffix], digest)
    if suffix in HTML_SUFFIXES:
        from gxbg.documents.html import read_html

        return read_html(data, source, digest)
    if suffix == ".docx":
        from gxbg.documents.docx import read_docx

        return read_docx(data, source, digest)
    if suffix == ".pdf":
        from gxbg.documents.pdf import read_pdf

        return read_pdf(data, source, digest)
    raise DocumentError(unsupported_reason(suffix), "unsupported")


def read_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """A file's document; DocumentError (with .status) for a file that is not a regular file, cannot be read,
    is over max_bytes or cannot be read as its type."""
    path = Path(path)
    return read_bytes(read_limited(path, max_bytes), str(path), path.suffix)


__all__ = ["Document", "DocumentError", "Line", "MAX_BYTES", "read_bytes", "read_document", "SUPPORTED_SUFFIXES"]
