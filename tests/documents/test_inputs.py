"""Finding and reading input files defensively: folder walks that cannot loop, files that are not regular
files, size limits, and zip batches with hostile members."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import pytest

from gxbg.documents import SUPPORTED_SUFFIXES
from gxbg.documents import inputs
from gxbg.documents.inputs import find_files, read_input, shown


def read(path: Path, max_bytes: int = inputs.MAX_BYTES) -> list[inputs.Input]:
    return list(read_input(path, SUPPORTED_SUFFIXES, max_bytes))


def only(path: Path, max_bytes: int = inputs.MAX_BYTES) -> inputs.Input:
    items = read(path, max_bytes)
    assert len(items) == 1, items
    return items[0]


def read_with_timeout(path: Path, seconds: float = 10) -> inputs.Input:
    """read_input in a thread: a reader that opened a named pipe would block forever instead of failing."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(only(path)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"reading {path} blocked"
    return box[0]


# --- walking folders -------------------------------------------------------------------------------------------


def test_walk_is_sorted_depth_first_and_skips_hidden_files(tmp_path):
    for name in ("b.txt", "a/z.txt", "a/y.txt", "a.txt", ".hidden.txt", ".git/config", "c/.DS_Store"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    names = [p.relative_to(tmp_path).as_posix() for p in find_files([tmp_path])]
    assert names == ["a/y.txt", "a/z.txt", "a.txt", "b.txt"]


def test_folder_symlink_loop_is_listed_once_not_walked(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to("..")  # sub/loop/sub/loop/... forever if followed
    (tmp_path / "sub" / "self").symlink_to(".")
    files = find_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["sub/loop", "sub/r.txt", "sub/self"]
    loop = only(tmp_path / "sub" / "loop")
    assert loop.status == "unreadable" and "循环" in loop.reason and "loop" in loop.reason


def test_folder_symlink_followed_once(tmp_path):
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "elsewhere"
    inbox.mkdir()
    elsewhere.mkdir()
    (elsewhere / "r.txt").write_text("x", encoding="utf-8")
    (inbox / "a-link").symlink_to(elsewhere)
    (inbox / "b-link").symlink_to(elsewhere)  # a second way into the same folder
    files = find_files([inbox])
    assert files == [inbox / "a-link" / "r.txt", inbox / "b-link"]
    second = only(inbox / "b-link")
    assert second.status == "duplicate" and str(elsewhere) in second.reason


def test_excluded_folder_is_not_read(tmp_path):
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "findings.csv").write_text("x", encoding="utf-8")
    assert find_files([tmp_path], exclude=[tmp_path / "out"]) == [tmp_path / "r.txt"]


def test_special_files_are_listed_and_missing_paths_raise(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "broken.txt").symlink_to("nowhere.txt")
    assert find_files([tmp_path]) == [tmp_path / "broken.txt", tmp_path / "pipe.txt"]
    assert find_files([tmp_path / "pipe.txt"]) == [tmp_path / "pipe.txt"]  # named explicitly: still a row
    with pytest.raises(FileNotFoundError):
        find_files([tmp_path / "missing.txt"])


# --- reading one file ------------------------------------------------------------------------------------------


def test_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    item = read_with_timeout(tmp_path / "pipe.txt")
    assert (item.status, item.data) == ("unreadable", None)
    assert item.reason == "不是普通文件（命名管道），未读取 (not a regular file: named pipe)"


def test_broken_and_looping_symlinks(tmp_path):
    (tmp_path / "broken.txt").symlink_to("nowhere.txt")
    (tmp_path / "self.txt").symlink_to("self.txt")
    broken, looping = only(tmp_path / "broken.txt"), only(tmp_path / "self.txt")
    assert broken.status == "unreadable" and "nowhere.txt" in broken.reason and "broken symlink" in broken.reason
    assert looping.status == "unreadable" and "symlink loop" in looping.reason


def refuse_reading(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Permission denied on path: chmod 000 where that works; root reads anything, so there os.open refuses."""
    if os.geteuid() != 0:
        path.chmod(0)
        return
    real_open = os.open

    def refuse(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("x", encoding="utf-8")
    refuse_reading(monkeypatch, path)
    item = only(path)
    assert (item.status, item.reason) == ("unreadable", "没有读取权限 (permission denied)")


def test_size_limit(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(b"x" * 1000)
    assert only(path, max_bytes=1000).data == b"x" * 1000  # at the limit: read
    item = only(path, max_bytes=999)
    assert item.status == "too_large" and item.data is None and "1,000" in item.reason and "999" in item.reason


def test_unsupported_type_is_judged_by_name_before_reading(tmp_path):
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff" + bytes(5000))
    item = only(path, max_bytes=10)  # not too_large: it is never read
    assert item.status == "unsupported" and ".jpg" in item.reason


def test_shown_names_are_one_line_and_encodable():
    assert shown("a\nb\tc\x1bd.txt") == "a\\nb\\tc\\x1bd.txt"
    weird = os.fsdecode(b"\xff\xfe\xe6\x8a\xa5.txt")  # bytes that are not UTF-8, then 报 (UTF-8) in a name
    assert shown(weird) == "\\xff\\xfe报.txt"
    shown(weird).encode("utf-8")  # can be written to CSV, JSON, Parquet
    assert shown("正常/报告.txt") == "正常/报告.txt"


# --- zip batches -----------------------------------------------------------------------------------------------


REPORT = "某某局2021年政府信息公开工作年度报告\n".encode()


def make_zip(path: Path, members: dict[str, bytes], **kwargs) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def by_member(items: list[inputs.Input]) -> dict[str, inputs.Input]:
    return {item.source.split("!", 1)[1]: item for item in items}


def test_zip_members_are_read_in_memory_with_their_archive_in_the_source(tmp_path):
    archive = make_zip(tmp_path / "batch.zip", {"2021/a.txt": REPORT, "b.md": REPORT, "notes.xlsx": b"PK",
                                               "__MACOSX/2021/._a.txt": b"junk", ".DS_Store": b"junk",
                                               "inner.zip": b"PK\x03\x04"})  # fmt: skip
    members = by_member(read(archive))
    assert list(members) == ["2021/a.txt", "b.md", "notes.xlsx", "inner.zip"]
    assert members["2021/a.txt"].source == f"{archive}!2021/a.txt"
    assert members["2021/a.txt"].data == REPORT and members["2021/a.txt"].suffix == ".txt"
    assert members["notes.xlsx"].status == "unsupported"
    assert members["inner.zip"].status == "unsupported" and "zip" in members["inner.zip"].reason
    assert not list(tmp_path.glob("*.txt")) and not (tmp_path / "2021").exists()  # nothing extracted


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "..\\..\\evil.txt",
                                  "C:\\Windows\\evil.txt", "C:evil.txt"])  # fmt: skip
def test_zip_member_paths_that_escape_are_refused(tmp_path, name):
    archive = make_zip(tmp_path / "batch.zip", {name: REPORT, "ok.txt": REPORT})
    members = by_member(read(archive))
    assert members["ok.txt"].data == REPORT
    bad = members[name]
    assert bad.status == "unreadable" and bad.data is None and "unsafe member path" in bad.reason
    assert not list(tmp_path.rglob("evil.txt")) and not Path("/etc/evil.txt").exists()


def test_zip_symlink_and_encrypted_members_are_refused(tmp_path):
    path = tmp_path / "batch.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = 0o120777 << 16  # a symlink, as Info-ZIP stores one
        archive.writestr(link, "/etc/passwd")
        archive.writestr("secret.txt", b"\x00" * 20)
    data = bytearray(path.read_bytes())
    # Mark secret.txt encrypted (general purpose flag bit 0) in its local and central headers
    # (zipfile.writestr resets flag_bits, so it cannot write the bit itself).
    local, central = data.find(b"PK\x03\x04", 1), data.rfind(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))
    members = by_member(read(path))
    assert members["link.txt"].status == "unreadable" and "symlink" in members["link.txt"].reason
    assert members["secret.txt"].status == "unreadable" and "encrypted" in members["secret.txt"].reason


def test_zip_bombs(tmp_path, monkeypatch):
    zeros = b"0" * (3 * 1024 * 1024)  # compresses about 1000 times
    members = by_member(read(make_zip(tmp_path / "ratio.zip", {"bomb.txt": zeros, "ok.txt": REPORT})))
    assert members["bomb.txt"].status == "too_large" and "zip bomb" in members["bomb.txt"].reason
    assert members["ok.txt"].data == REPORT
    big = by_member(read(make_zip(tmp_path / "big.zip", {"big.txt": zeros}), max_bytes=1024 * 1024))
    assert big["big.txt"].status == "too_large" and "size limit" in big["big.txt"].reason

    monkeypatch.setattr(inputs, "MAX_ARCHIVE_BYTES", 1000)
    total = read(make_zip(tmp_path / "total.zip", {"a.txt": REPORT * 10, "b.txt": REPORT * 10}))
    assert len(total) == 1 and total[0].status == "too_large" and total[0].source == str(tmp_path / "total.zip")
    monkeypatch.setattr(inputs, "MAX_MEMBERS", 2)
    many = read(make_zip(tmp_path / "many.zip", {f"{i}.txt": REPORT for i in range(3)}))
    assert len(many) == 1 and many[0].status == "too_large" and "too many files" in many[0].reason


def test_header_that_understates_the_size_cannot_unpack_more(tmp_path):
    path = make_zip(tmp_path / "lying.zip", {"r.txt": b"x" * 5000})
    data = bytearray(path.read_bytes())
    # Shrink the declared size in both headers (local at 22, central at offset+24): zipfile then stops at
    # the declared size and reports the CRC mismatch instead of reading on.
    central = data.rfind(b"PK\x01\x02")
    for at in (22, central + 24):
        data[at:at + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    item = only(path)
    assert item.status == "unreadable" and "corrupt zip member" in item.reason


def test_corrupt_and_empty_zips_give_one_row(tmp_path):
    (tmp_path / "corrupt.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    corrupt = only(tmp_path / "corrupt.zip")
    assert corrupt.status == "unreadable" and "corrupt or not a zip" in corrupt.reason
    empty = only(make_zip(tmp_path / "empty.zip", {}))
    assert empty.status == "parse_error" and "no files" in empty.reason


def test_gbk_member_names_from_chinese_windows_are_decoded(tmp_path):
    placeholder, name = "XXXX.txt", "报告.txt"  # same length in bytes as the GBK name
    path = make_zip(tmp_path / "gbk.zip", {placeholder: REPORT})
    path.write_bytes(path.read_bytes().replace(placeholder.encode(), name.encode("gbk")))
    assert list(by_member(read(path))) == [name]


def test_read_document_refuses_a_named_pipe_without_blocking(tmp_path):
    from gxbg.documents import DocumentError, read_document

    os.mkfifo(tmp_path / "pipe.txt")
    box: list = []

    def attempt():
        try:
            read_document(tmp_path / "pipe.txt")
        except DocumentError as exc:
            box.append(exc)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(10)
    assert box and box[0].status == "unreadable" and "named pipe" in box[0].reason


def _understated(monkeypatch, size: int) -> None:
    """fstat reports `size` bytes: a file that grows while it is read (or a /proc file, which says 0)."""
    real = os.fstat

    def fstat(fd):
        info = real(fd)
        return os.stat_result((info.st_mode, *info[1:6], size, *info[7:]))

    monkeypatch.setattr(inputs.os, "fstat", fstat)


@pytest.mark.parametrize("said", [0, 5])
def test_a_file_larger_than_its_size_said_is_read_whole(tmp_path, monkeypatch, said):
    path = tmp_path / "r.txt"
    path.write_bytes(b"x" * 100)
    _understated(monkeypatch, said)
    assert inputs.read_limited(path, max_bytes=1000) == b"x" * 100


def test_a_file_past_the_limit_is_refused_even_when_its_size_said_less(tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    path.write_bytes(b"x" * 101)
    _understated(monkeypatch, 10)
    with pytest.raises(inputs.DocumentError) as refused:
        inputs.read_limited(path, max_bytes=100)
    assert refused.value.status == "too_large"
    path.write_bytes(b"x" * 100)
    assert inputs.read_limited(path, max_bytes=100) == b"x" * 100
