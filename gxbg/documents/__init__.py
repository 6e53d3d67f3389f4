"""Documents layer: files -> numbered lines of cells (see model.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gxbg.documents.model import Document, DocumentError, Line
from gxbg.documents.text import read_text

MAX_BYTES = 20 * 1024 * 1024  # no real report is near this; protects memory on bad input

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | HTML_SUFFIXES | {".docx", ".pdf"}
OLD_WORD = ("旧版 Word 文档 (.doc) 不受支持，请在 Word/WPS 中另存为 .docx 后再提交 "
            "(old binary Word .doc is not supported: save it as .docx)")


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
    if suffix == ".doc":
        raise DocumentError(OLD_WORD, "unsupported")
    raise DocumentError(f"不支持的文件类型 {suffix or '(无扩展名)'} (unsupported file type)", "unsupported")


def read_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                f"文件过大 {size} 字节，上限 {MAX_BYTES} (file over the size limit)", "too_large"
            )
        data = path.read_bytes()
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(f"无法读取文件 (unreadable: {exc.strerror or exc})") from exc
    return read_bytes(data, str(path), path.suffix)


__all__ = ["Document", "DocumentError", "Line", "read_bytes", "read_document", "SUPPORTED_SUFFIXES"]
