from __future__ import annotations

import pytest

from gxbg.manifest import ManifestError, load_manifest


def test_manifest_rows_keep_their_line_for_findings(tmp_path):
    path = tmp_path / "expected.csv"
    path.write_text("agency, year ,note\n 新乡市财政局 ,2023,\n\n新乡市财政局,2024年,补报\n", encoding="utf-8-sig")
    frame = load_manifest(path)
    assert frame.to_dict("records") == [
        {"agency": "新乡市财政局", "year": 2023, "line": 2, "source": str(path)},
        {"agency": "新乡市财政局", "year": 2024, "line": 4, "source": str(path)},
    ]


def test_manifest_saved_by_excel_on_chinese_windows_is_gb18030(tmp_path):
    path = tmp_path / "expected.csv"
    path.write_bytes("agency,year\n卫辉市教育局,2022\n".encode("gb18030"))
    assert load_manifest(path)["agency"].tolist() == ["卫辉市教育局"]


@pytest.mark.parametrize(
    ("text", "where"),
    [("机关,年度\n卫辉市教育局,2022\n", ":1: the header must name"), ("agency,year\n卫辉市教育局,明年\n", ":2: year '明年'"),
     ("", ":1: empty")],
)
def test_bad_manifest_says_file_and_line(tmp_path, text, where):
    path = tmp_path / "expected.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=f"{path}{where}"):
        load_manifest(path)
