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
# The only characters NFKC changes in most reports (counted over the seeds, the real corpus and synthetic
# batches), each with what NFKC makes of it. Replacing them first leaves most texts already in NFKC, which
# unicodedata.is_normalized confirms in a fraction of what normalize costs (0.01 against 0.16 ms a report).
_COMMON_NFKC = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，（）：；\u3000\xa0！？")
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
    """Full-width digits, letters, punctuation and spaces -> ASCII; keeps CJK as is (NFKC)."""
    # Exact: NFKC of a text is NFKC of the text with any character replaced by its own NFKC form.
    for char, plain in _COMMON_NFKC:
        if char in text:
            text = text.replace(char, plain)
    if not unicodedata.is_normalized("NFKC", text):
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
    append, new = out.append, tuple.__new__  # tuple.__new__: no Python-level call per line
    for no, norm in enumerate(split_lines(normalise(text)), start=1):
        norm = norm.rstrip(" \f\v")  # trailing tabs are empty cells: keep them
        if markdown:
            norm = _strip_markdown(norm)
        append(new(Line, (no, norm, split_cells(norm), False)))
    return out


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample or sample.startswith(tuple(bom for bom, _ in BOMS)):
        return False  # UTF-16/32 text is full of NUL bytes; decode() reads it by its BOM
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    return control / len(sample) > 0.05


# Binary files most often misnamed as text (a scan saved as .txt, a Word file renamed): named in the reason.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", " PNG 图片", "a PNG image"), (b"\xff\xd8\xff", " JPEG 图片", "a JPEG image"),
    (b"GIF8", " GIF 图片", "a GIF image"), (b"II*\x00", " TIFF 图片", "a TIFF image"), (b"MM\x00*", " TIFF 图片", "a TIFF image"),
    (b"%PDF-", " PDF 文件", "a PDF file"), (b"PK\x03\x04", " zip 压缩包或 Word/Excel 文件", "a zip, .docx or .xlsx file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件 (.doc/.xls)", "an old Office file (.doc/.xls)"),
    (b"Rar!", " RAR 压缩包", "a RAR archive"), (b"7z\xbc\xaf\x27\x1c", " 7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", " gzip 压缩文件", "a gzip file"),
)  # fmt: skip


def binary_reason(data: bytes, expected: str, expected_en: str) -> str:
    """Why binary bytes are not the text file their name says: what they are, when the magic bytes tell."""
    for magic, chinese, english in _MAGIC:
        if data.startswith(magic):
            return f"内容是{chinese}，不是{expected} (the content is {english}, not {expected_en})"
    return f"二进制内容，不是{expected} (binary content, not {expected_en})"


def read_text(data: bytes, source: str, kind: str = "text", content_hash: str = "") -> Document:
    if looks_binary(data):
        raise DocumentError(binary_reason(data, "文本文件", "a text file"), "unsupported")
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
