"""DOCX and PDF readers: the same synthetic report as text, HTML, DOCX and PDF parses to the same numbers;
merged cells, page furniture, scans and broken files."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from gxbg.codes import APPEAL_CODES
from gxbg.documents import DocumentError, read_bytes, read_document
from gxbg.documents.pdf import PAGE_STRIDE
from gxbg.documents.text import normalise
from gxbg.report import ParseError, parse_file
from gxbg.synth.formats import PAGE_NUMBER_STYLES, request_grid, to_docx, to_html, to_pdf
from gxbg.synth.writer import ReportData, fee_sentence, random_report, render

# Both formats, small and busy reports, long agency names whose PDF title wraps (seeds 8, 21).
SEEDS = (0, 1, 5, 8, 21, 36)


def _write(data: ReportData, folder: Path, page_numbers: str = "dash") -> dict[str, Path]:
    files = {
        "txt": render(data, "tabs").encode("utf-8"),
        "html": to_html(data).encode("utf-8"),
        "docx": to_docx(data),
        "pdf": to_pdf(data, page_numbers=page_numbers),
    }
    out = {}
    for suffix, content in files.items():
        out[suffix] = folder / f"report.{suffix}"
        out[suffix].write_bytes(content)
    return out


def _numbers(report) -> dict:
    active = {(r.item, r.measure): r.value for r in report.active.itertuples(index=False)}
    return {
        "meta": (report.agency, report.year, report.format, report.published),
        "requests": report.requests,
        "appeals": list(report.appeals["value"]),
        "active": active,
    }


def _plain(values) -> list:
    return [None if pd.isna(v) else v for v in values]


def _assert_written(report, data: ReportData) -> None:
    """The parsed report holds exactly what the writer wrote."""
    assert (report.agency, report.year, report.format, report.published) == (
        data.agency, data.year, data.format, data.published)
    for row, cols in data.requests.items():
        assert _plain(report.requests.loc[row]) == list(cols.values()), row
    assert _plain(report.appeals["value"]) == [data.appeals[c] for c in APPEAL_CODES]
    written = {(i, m): float(v) for i, ms in data.active.items() for m, v in ms.items()}
    parsed = {(r.item, r.measure): None if pd.isna(r.value) else float(r.value)
              for r in report.active.itertuples(index=False)}
    assert parsed == written


@pytest.mark.parametrize("seed", SEEDS)
def test_same_numbers_in_every_format(seed, tmp_path):
    data = random_report(random.Random(seed))
    reports = {suffix: parse_file(path) for suffix, path in _write(data, tmp_path).items()}
    base = _numbers(reports["txt"])
    for suffix, report in reports.items():
        got = _numbers(report)
        assert got["meta"] == base["meta"], suffix
        pd.testing.assert_frame_equal(got["requests"], base["requests"], obj=f"{suffix} requests")
        assert got["appeals"] == base["appeals"], suffix
        assert got["active"] == base["active"], suffix
        _assert_written(report, data)
        warnings = [(n.code, n.line, n.message) for n in report.layout if n.severity == "warning"]
        assert not warnings, (suffix, warnings)


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_narrative_facts_survive(suffix, tmp_path):
    """Wrapped PDF paragraphs are joined again: the sentences that restate figures stay whole."""
    data = random_report(random.Random(11), format="2021")
    report = parse_file(_write(data, tmp_path)[suffix])
    received = data.requests["new_received"]["total"]
    assert f"本年度共收到政府信息公开申请{received}件" in report.narrative["overview"].text
    assert normalise(fee_sentence(data)) in report.narrative["other"].text
    assert "(二)改进情况" in report.narrative["problems"].text.split("\n")  # a heading is not glued to a paragraph


# --- line shapes ------------------------------------------------------------------------------------------------


def _table_rows(doc) -> list[tuple[str, ...]]:
    return [line.cells for line in doc.lines if line.table]


@pytest.mark.parametrize("suffix", ["docx", "pdf", "html"])
def test_merged_cells_come_once_like_html(suffix, tmp_path):
    data = random_report(random.Random(3), format="2021")
    doc = read_document(_write(data, tmp_path)[suffix])
    rows = _table_rows(doc)
    values = tuple(str(v) for v in data.requests["granted"].values())
    assert ("三、本年度办理结果", "(一) 予以公开", *values) in rows  # rowspan cell in its first row only
    values = tuple(str(v) for v in data.requests["denied_other_law"].values())
    assert ("2.其他法律行政法规禁止公开", *values) in rows  # both merged label columns left out
    assert ("自然人", "法人或其他组织", "总计") in rows  # colspan 5 once
    assert ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他") in rows
    assert ("行政复议", "行政诉讼") in rows
    assert ("第二十条第(五)项",) in rows and ("信息内容", "本年处理决定数量") in rows


def test_request_grid_follows_the_official_form():
    grid = request_grid(random_report(random.Random(3), format="2021"))
    spans = {s.text: s for s in grid.spans if not s.text.isdigit()}
    assert (spans["申请人情况"].cols, spans["法人或其他组织"].cols, spans["自然人"].rows) == (7, 5, 2)
    assert spans["三、本年度办理结果"].rows == 22  # (一), (二), 8 + 3 + 5 + 3 sub-rows, (七)总计
    assert spans["(三) 不予公开"].rows == 8 and spans["(四) 无法提供"].rows == 3
    assert spans["一、本年新收政府信息公开申请数量"].cols == 3 and spans["(七) 总计"].cols == 2


def test_docx_numbers_paragraphs_and_rows_in_body_order(tmp_path):
    data = random_report(random.Random(4))
    doc = read_document(_write(data, tmp_path)["docx"])
    assert doc.kind == "docx" and len(doc.content_hash) == 64
    numbers = [line.no for line in doc.lines]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert doc.lines[0].text == data.title
    heading = next(line for line in doc.lines if line.text == "三、收到和处理政府信息公开申请情况")
    first_row = next(line for line in doc.lines if line.table and line.no > heading.no)
    assert first_row.no == heading.no + 1


def test_pdf_line_numbers_are_page_and_line(tmp_path):
    data = random_report(random.Random(1))
    doc = read_document(_write(data, tmp_path)["pdf"])
    assert doc.kind == "pdf"
    assert doc.lines[0].no == 1 * PAGE_STRIDE + 1 and doc.lines[0].text == data.title
    pages = [line.no // PAGE_STRIDE for line in doc.lines]
    assert pages == sorted(pages) and pages[-1] >= 2
    numbers = [line.no for line in doc.lines]
    assert len(set(numbers)) == len(numbers)


# --- PDFs exported by an office suite ---------------------------------------------------------------------------

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["word-export-3", "word-export-5"])
def test_office_export_with_rows_broken_across_pages(name):
    """LibreOffice 7.4's PDF export of to_docx(random_report(Random(seed))) (`soffice --convert-to pdf`), as
    Word and WPS export too: embedded subset fonts, autospace between Chinese and digits, table rows broken
    across pages ("2.其他法律行政法规禁止公" / "开") and merged cells restarted on the next page."""
    import json

    want = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    data = ReportData(**want)
    report = parse_file(DATA / f"{name}.pdf")
    _assert_written(report, data)
    assert not [n for n in report.layout if n.severity == "warning"]
    doc = read_document(DATA / f"{name}.pdf")
    assert all(line.cells[0] for line in doc.lines if line.table)  # no restarted empty label cells
    labels = [line.cells[0] for line in doc.lines if line.table]
    assert not [x for x in labels if len(x) <= 2 and x != "规章" and not x.isdigit()]  # no "开" left alone
    assert f"本年度共收到政府信息公开申请{data.requests['new_received']['total']}件" in report.narrative["overview"].text


# --- page furniture ------------------------------------------------------------------------------------------------

_FOOTER = re.compile(r"^(?:-\s*\d+\s*-|第\s*\d+\s*页|\d+)$")


def _padded(seed: int, extra: int) -> ReportData:
    """A report whose narrative grows by `extra` paragraphs, so the page breaks fall at other table rows."""
    data = random_report(random.Random(seed), format="2021" if seed % 2 else "2019")
    filler = "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。" * 3
    data.overview += "".join(f"\n{filler[: 40 + 17 * i]}" for i in range(extra))
    return data


@pytest.mark.slow
@pytest.mark.parametrize("style", PAGE_NUMBER_STYLES)
def test_page_numbers_never_become_values(style, tmp_path):
    split_tables = 0
    for extra in range(0, 16, 3):
        data = _padded(extra, extra)
        path = tmp_path / f"r{extra}.pdf"
        path.write_bytes(to_pdf(data, page_numbers=style))
        doc = read_document(path)
        texts = [line.text for line in doc.lines if not line.table]
        assert not [t for t in texts if _FOOTER.match(t.strip())], (style, extra)
        assert "政府信息公开工作年度报告" not in texts  # the running header
        split_tables += len({line.no // PAGE_STRIDE for line in doc.lines if line.table}) > 1
        _assert_written(parse_file(path), data)
    assert split_tables  # some page break fell inside a table, with its footer between two rows


def _canvas_pdf(pages: list[list[tuple[float, str]]], **canvas_args) -> bytes:
    """A PDF whose pages hold the given (y from the bottom, text) lines, drawn at x = 72."""
    from reportlab.pdfgen import canvas

    from gxbg.synth.formats import FONT, register_font

    register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, **canvas_args)
    for lines in pages:
        pdf.setFont(FONT, 11)
        for y, text in lines:
            pdf.drawString(72, y, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_value_ending_a_page_is_not_a_page_number():
    # Page 2's last line "7" sits in the footer band, but the numbering (page n prints n) says it is text.
    pages = [[(700, "第一页正文"), (30, "1")], [(700, "第二页正文"), (75, "7"), (30, "2")],
             [(700, "第三页正文"), (30, "3")]]
    doc = read_bytes(_canvas_pdf(pages), "x.pdf", ".pdf")
    assert [line.text for line in doc.lines] == ["第一页正文", "第二页正文", "7", "第三页正文"]


def test_running_headers_are_dropped_but_a_title_in_their_words_is_kept():
    title = "某某局2021年政府信息公开工作年度报告"
    pages = [[(760, title), (700, "正文一")], [(800, title), (700, "正文二")], [(800, title), (700, "正文三")]]
    doc = read_bytes(_canvas_pdf(pages), "x.pdf", ".pdf")
    assert [line.text for line in doc.lines] == [title, "正文一", "正文二", "正文三"]


def _fill(text: str, width: float, size: float) -> str:
    """text padded with Chinese characters to about `width` points, as a justified line ends."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from gxbg.synth.formats import FONT

    while stringWidth(text + "文", FONT, size) <= width:
        text += "文"
    return text


def test_wide_gaps_separate_cells_and_wrapped_lines_join():
    from reportlab.pdfgen import canvas

    from gxbg.synth.formats import FONT, register_font

    register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont(FONT, 10)
    for i, cell in enumerate(("规章", "0", "3", "12")):
        pdf.drawString(72 + 90 * i, 720, cell)
    wrapped = [_fill("本年度共收到政府信息公开申请1", 400, 10), _fill("2件，其中予以公开5件", 400, 10), "结束。"]
    for i, text in enumerate(wrapped):
        pdf.drawString(72, 700 - 14 * i, text)
    pdf.drawString(92, 650, _fill("新的段落首行缩进", 380, 10))
    pdf.drawString(72, 636, "（二）编号的小标题不接在上一行后面")
    pdf.showPage()
    pdf.save()
    lines = read_bytes(out.getvalue(), "x.pdf", ".pdf").lines
    assert lines[0].cells == ("规章", "0", "3", "12")
    assert lines[1].text == normalise("".join(wrapped))
    assert lines[1].no == 1002  # numbered by its first line
    assert lines[2].text.startswith("新的段落首行缩进")
    assert lines[3].text == "(二)编号的小标题不接在上一行后面"


# --- files that cannot be read -------------------------------------------------------------------------------------


def _parse_error(path: Path) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert info.value.reason and "\n" not in info.value.reason
    return info.value


def test_scanned_pdf_needs_ocr(tmp_path):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for _ in range(2):
        pdf.rect(72, 72, 450, 700, fill=1)  # where a scan would put its page image
        pdf.showPage()
    pdf.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(out.getvalue())
    error = _parse_error(path)
    assert error.status == "needs_ocr" and "OCR" in error.reason


def test_scan_with_only_page_numbers_needs_ocr():
    with pytest.raises(DocumentError) as info:
        read_bytes(_canvas_pdf([[(30, "- 1 -")], [(30, "- 2 -")]]), "x.pdf", ".pdf")
    assert info.value.status == "needs_ocr"


def test_pages_that_are_only_images_are_noted():
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from gxbg.synth.formats import FONT, register_font

    register_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont(FONT, 11)
    pdf.drawString(72, 700, "正文")
    pdf.showPage()
    pdf.drawImage(ImageReader(Image.new("L", (40, 60), 200)), 72, 72, 450, 700)  # a scanned page
    pdf.showPage()
    pdf.showPage()  # a blank page is nothing to note
    pdf.save()
    doc = read_bytes(out.getvalue(), "x.pdf", ".pdf")
    assert [line.text for line in doc.lines] == ["正文"]
    assert [(code, line) for code, _, line in doc.notes] == [("pdf_pages_without_text", 2 * PAGE_STRIDE)]


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = _canvas_pdf([[(700, "正文")]], encrypt=StandardEncryption("secret", canPrint=0))
    with pytest.raises(DocumentError) as info:
        read_bytes(locked, "x.pdf", ".pdf")
    assert info.value.status == "parse_error" and "加密" in info.value.reason
    # Only an owner password ("no copying"): opens without one, and the text is read.
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=StandardEncryption("", "owner", canCopy=0))
    pdf.drawString(72, 700, "Report 2021")
    pdf.showPage()
    pdf.save()
    assert [line.text for line in read_bytes(out.getvalue(), "x.pdf", ".pdf").lines] == ["Report 2021"]


def test_text_without_a_unicode_map_needs_ocr():
    import pdfplumber
    from reportlab.lib.pdfencrypt import StandardEncryption

    # pdfminer cannot map reportlab's encrypted CID-font text back to Unicode: it only sees "(cid:N)",
    # as with the subset fonts without ToUnicode that some PDF exporters write.
    data = _canvas_pdf([[(700, "政府信息公开工作年度报告")]], encrypt=StandardEncryption("", "owner"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if not pdf.pages[0].chars[0]["text"].startswith("(cid:"):
            pytest.skip("this pdfminer maps the font: no (cid:N) text to test with")
    with pytest.raises(DocumentError) as info:
        read_bytes(data, "x.pdf", ".pdf")
    assert info.value.status == "needs_ocr" and "Unicode" in info.value.reason


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n" + bytes(random.Random(1).randbytes(4000)),
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n",  # truncated
    b"<html><body>not a pdf</body></html>",
])
def test_corrupt_pdf_is_a_clean_parse_error(content, tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    assert _parse_error(path).status == "parse_error"


@pytest.mark.parametrize("content", [
    random.Random(2).randbytes(5000),
    b"PK\x03\x04" + random.Random(3).randbytes(3000),  # a zip header, then garbage
])
def test_corrupt_docx_is_a_clean_parse_error(content, tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    error = _parse_error(path)
    assert error.status == "parse_error" and ".docx" in error.reason


def test_zip_that_is_not_a_word_file(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "sheet.docx"
    path.write_bytes(buffer.getvalue())
    assert _parse_error(path).status == "parse_error"


def test_docx_zip_bomb_is_refused_before_loading(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert _parse_error(path).status == "too_large"


def test_old_word_files(tmp_path):
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    error = _parse_error(doc)
    assert error.status == "unsupported" and ".docx" in error.reason
    renamed = tmp_path / "report.docx"  # the same bytes under the new name
    renamed.write_bytes(doc.read_bytes())
    assert _parse_error(renamed).status == "unsupported"
    # A password-protected .docx is a compound file holding an "EncryptedPackage" stream.
    locked = tmp_path / "locked.docx"
    locked.write_bytes(doc.read_bytes() + "EncryptedPackage".encode("utf-16-le") + bytes(100))
    error = _parse_error(locked)
    assert error.status == "parse_error" and "加密" in error.reason


# --- DOCX structures Word writes --------------------------------------------------------------------------------


def _docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_layout_table_is_read_as_its_content():
    def build(document):
        frame = document.add_table(rows=1, cols=1).cell(0, 0)
        frame.paragraphs[0].text = "某某局2021年政府信息公开工作年度报告"
        frame.add_paragraph("一、总体情况")
        frame.add_paragraph("本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，" * 3)
        inner = frame.add_table(rows=1, cols=2)
        inner.cell(0, 0).text, inner.cell(0, 1).text = "规章", "3"

    lines = read_bytes(_docx_bytes(build), "x.docx", ".docx").lines
    assert [line.text for line in lines[:2]] == ["某某局2021年政府信息公开工作年度报告", "一、总体情况"]
    assert lines[-1].cells == ("规章", "3") and lines[-1].table
    assert not any(line.table and len(line.cells) == 1 for line in lines)


def test_docx_cell_paragraphs_join_and_tracked_changes():
    from docx.oxml import OxmlElement

    def build(document):
        table = document.add_table(rows=1, cols=2)
        label = table.cell(0, 0)
        label.paragraphs[0].text = "(二)部分公开(区分处理的,"
        label.add_paragraph("只计这一情形,不计其他情形)")
        value = table.cell(0, 1).paragraphs[0]
        value.add_run("1")
        inserted = OxmlElement("w:ins")  # a tracked insertion: its text counts
        inserted.append(value.add_run("2")._r)
        value._p.append(inserted)
        deleted = OxmlElement("w:del")  # a tracked deletion: its text does not
        run = OxmlElement("w:r")
        gone = OxmlElement("w:delText")
        gone.text = "9"
        run.append(gone)
        deleted.append(run)
        value._p.append(deleted)
        para = document.add_paragraph("规章\t0\t3")
        para.runs[0].add_break()
        para.add_run("第二行")
        field = OxmlElement("w:instrText")  # field codes are not text
        field.text = " PAGE "
        para.add_run()._r.append(field)

    lines = read_bytes(_docx_bytes(build), "x.docx", ".docx").lines
    assert lines[0].cells == ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "12")
    assert [(line.no, line.cells) for line in lines[1:]] == [(2, ("规章", "0", "3")), (2, ("第二行",))]


def test_empty_docx_body():
    with pytest.raises(DocumentError) as info:
        read_bytes(_docx_bytes(lambda document: None), "x.docx", ".docx")
    assert info.value.status == "parse_error"
