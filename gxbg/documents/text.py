"""Plain text and Markdown: detect the encoding, normalise, split lines into cells."""

from __future__ import annotations

import codecs
import re
import unicodedata

from gxbg.documents.model import Document, DocumentError, Line

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# NFKC already turns full-width and no-break spaces, digits and punctuation into ASCII; these it keeps.
_INVISIBLE = ("\ufeff", "\u200b", "\u200c", "\u200d")
_CELL_SPLIT = re.compile(r"\t| {2,}")


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Never raises on bad bytes: falls back with replacement."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if guess:
        return data.decode(guess, errors="replace"), guess
    return data.decode("utf-8", errors="replace"), "utf-8?replaced"


def _guess(data: bytes) -> str | None:
    # charset-normalizer is the maintained detector pip itself vendors; only used for rare encodings.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return best.encoding if best else None


def normalise(text: str) -> str:
    """Full-width digits, letters, punctuation and spaces -> ASCII; keeps CJK as is."""
    text = unicodedata.normalize("NFKC", text)
    for char in _INVISIBLE:
        if char in text:  # str.translate with a dict costs more than NFKC itself
            text = text.replace(char, "")
    return text


def split_lines(text: str) -> list[str]:
    # Only \n, \r\n and \r end a line, so numbers match what an editor shows.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_cells(line: str) -> tuple[str, ...]:
    if "\t" not in line and "  " not in line:
        return (line.strip(),)
    return tuple(c.strip() for c in _CELL_SPLIT.split(line))


def text_lines(text: str, markdown: bool = False) -> list[Line]:
    """Normalised, numbered lines of cells. Normalising the whole text at once is several times
    faster than line by line, and NFKC never creates or removes a line break."""
    out = []
    for no, norm in enumerate(split_lines(normalise(text)), start=1):
        norm = norm.rstrip(" \f\v")  # trailing tabs are empty cells: keep them
        if markdown:
            norm = _strip_markdown(norm)
        out.append(Line(no, norm, split_cells(norm)))
    return out


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample or sample.startswith(tuple(bom for bom, _ in BOMS)):
        return False  # UTF-16/32 text is full of NUL bytes; decode() reads it by its BOM
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.05


def read_text(data: bytes, source: str, kind: str = "text", content_hash: str = "") -> Document:
    if looks_binary(data):
        raise DocumentError("二进制内容，不是文本文件 (binary content, not a text file)", "unsupported")
    text, encoding = decode(data)
    doc = Document(source=source, kind=kind, encoding=encoding, lines=[], content_hash=content_hash)
    if encoding.endswith("?replaced"):
        doc.notes.append(("decode_replaced", "文件编码无法确定，部分字符已替换", None))
    doc.lines = text_lines(text, markdown=kind == "markdown")
    return doc


_MD_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[*+-]\s+(?=\S))")


def _strip_markdown(line: str) -> str:
    line = _MD_PREFIX.sub("", line)
    if line.startswith("|") and line.endswith("|"):
        inner = line.strip("|")
        if re.fullmatch(r"[\s:|-]*", inner):
            return ""  # table rule |---|---|
        return "\t".join(c.strip() for c in inner.split("|"))
    return line
