"""The input files of a batch, found and read defensively: folders walked without looping, only regular files
read, size limits, and zip batches read member by member in memory.

Every path found gives one Input per file: its bytes, or the status and one-line reason (Chinese, then English)
why they were not read. Nothing here raises for a bad file, so a batch run can account for every file.

Statuses of inputs that are not read: unreadable (not a regular file, broken or looping symlink, I/O error,
an unsafe, symlinked or encrypted zip member, a corrupt zip), too_large (over max_bytes; a zip with too many
members or too much to unpack), unsupported (a file type gxbg does not read, judged by the name), duplicate
(a folder symlink to a folder already read).

Zip batches: nothing is ever extracted to disk, so a member name cannot place a file anywhere; names with ".."
or an absolute path are still refused, and shown with their control characters escaped.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from gxbg.documents.model import DocumentError

MAX_BYTES = 20 * 1024 * 1024  # per file: no real report is near this; protects memory on bad input
ARCHIVE_SUFFIXES = {".zip"}
MAX_MEMBERS = 20_000  # files in one zip batch
MAX_ARCHIVE_BYTES = 4 * 1024**3  # what one zip batch may unpack to in all
MAX_RATIO = 200  # uncompressed/compressed size of a member: text reports compress about 3-10 times
RATIO_FLOOR = 1024 * 1024  # the ratio is only judged for members larger than this
_SKIPPED_PARTS = ("__MACOSX",)  # the resource forks macOS puts in every zip it makes

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Input:
    """One input file: its bytes, or why they were not read (status and one-line reason)."""

    source: str  # shown in reports.csv and findings: the path, or "batch.zip!folder/member.txt"
    suffix: str  # lower-case extension, e.g. ".txt"
    data: bytes | None = None
    status: str | None = None
    reason: str | None = None


def shown(name: str) -> str:
    """A file name as it can be written anywhere (CSV, JSON, Parquet, HTML, one line): bytes that are not UTF-8
    (kept by Python as surrogates) become \\xNN, control characters \\n, \\t, \\x1b..."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _refused(source: str, suffix: str, status: str, reason: str) -> Input:
    return Input(source, suffix, status=status, reason=reason)


# --- finding the files -----------------------------------------------------------------------------------------


def find_files(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """Files named and every file under folders named, in order (each folder sorted, depth first).

    Hidden files and folders (name starting with ".") are not inputs. A folder symlink is followed once: a link
    back into its own ancestors (a loop) or to a folder already walked is listed itself instead, so it gets its
    row. Files that cannot be read (broken links, pipes...) are listed too: read_input says why. Nothing in the
    folders in exclude (e.g. the output folder inside the inbox) is an input. Raises FileNotFoundError for a
    path named that does not exist."""
    skip = {os.path.realpath(p) for p in exclude}
    seen: set[str] = set()
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            real = os.path.realpath(path)
            if real not in skip and real not in seen:
                seen.add(real)
                _walk(path, real, seen, skip, out)
        elif os.path.lexists(path):
            if not any(_inside(os.path.realpath(path.parent), folder) for folder in skip):
                out.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return list(dict.fromkeys(out))


def _walk(folder: Path, real: str, seen: set[str], skip: set[str], out: list[Path]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        out.append(folder)  # read_input says why it cannot be listed
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            child = os.path.join(real, entry.name)
            if child not in skip:
                seen.add(child)
                _walk(path, child, seen, skip, out)
        elif entry.is_symlink() and _is_dir(path):
            target = os.path.realpath(path)
            if target in skip:
                continue
            if target in seen or _inside(real, target):
                out.append(path)  # a loop or a second way into a folder: listed, not walked again
            else:
                seen.add(target)
                _walk(path, target, seen, skip, out)
        else:
            out.append(path)


def through_symlink_loop(path: str | Path) -> bool:
    """Whether path goes through a folder symlink that points back at one of its own ancestors (as glob's "**"
    follows: a/loop/a/loop/...); such a path is another name of a file reached without the loop."""
    for folder in list(Path(path).parents)[:-1]:
        if folder.is_symlink() and _inside(os.path.realpath(folder.parent), os.path.realpath(folder)):
            return True
    return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # ELOOP and the like: not a folder we can walk
        return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# --- reading one path ------------------------------------------------------------------------------------------


def read_input(path: str | Path, supported: Iterable[str], max_bytes: int = MAX_BYTES) -> Iterator[Input]:
    """The Input of a file, or one per member of a zip batch (one Input for a zip that cannot be opened)."""
    path = Path(path)
    source, suffix = shown(str(path)), path.suffix.lower()
    problem = _not_a_file(path)
    if problem:
        yield _refused(source, suffix, *problem)
        return
    if suffix in ARCHIVE_SUFFIXES:
        yield from _read_zip(path, source, set(supported), max_bytes)
        return
    if suffix not in supported:
        yield _refused(source, suffix, "unsupported", unsupported_reason(suffix))
        return
    try:
        yield Input(source, suffix, data=read_limited(path, max_bytes))
    except DocumentError as exc:
        yield _refused(source, suffix, exc.status, exc.reason)


def unsupported_reason(suffix: str) -> str:
    if suffix == ".doc":
        return ("旧版 Word 文档 (.doc) 不受支持，请在 Word/WPS 中另存为 .docx 后再提交 "
                "(old binary Word .doc is not supported: save it as .docx)")  # fmt: skip
    return f"不支持的文件类型 {suffix or '(无扩展名)'}，未读取 (unsupported file type {suffix or '(no extension)'})"


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A regular file's bytes; DocumentError (unreadable, too_large) otherwise. Never reads more than
    max_bytes + 1 bytes, even from a file that grows while it is read."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DocumentError(_kind_reason(info.st_mode), "unreadable")
            if info.st_size > max_bytes:
                raise DocumentError(too_large(info.st_size, max_bytes), "too_large")
            # As many bytes as the file has, plus one to see it grew: read(n) allocates all n bytes first.
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:  # it grew while read: the rest, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise DocumentError(_os_reason(path, exc), "unreadable") from exc
    if len(data) > max_bytes:
        raise DocumentError(too_large(len(data), max_bytes), "too_large")
    return data


def too_large(size: int, limit: int) -> str:
    return f"文件过大：{size:,} 字节，上限 {limit:,} 字节 (file over the size limit: {size:,} > {limit:,} bytes)"


def _not_a_file(path: Path) -> tuple[str, str] | None:
    """(status, reason) for a path that is not a readable regular file, checked without opening it (a named
    pipe would block the run)."""
    try:
        info = path.stat()
    except OSError as exc:
        return "unreadable", _os_reason(path, exc)
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        return _folder_reason(path)
    return "unreadable", _kind_reason(info.st_mode)


def _folder_reason(path: Path) -> tuple[str, str]:
    """A folder in the file list: find_files lists a folder symlink it did not follow, or a folder it could
    not list."""
    target = os.path.realpath(path)
    if path.is_symlink():
        if _inside(os.path.realpath(path.parent), target):
            return "unreadable", (f"文件夹符号链接循环：指向上级文件夹 {shown(target)}，未跟随 "
                                  f"(folder symlink loop: points back to {shown(target)}; not followed)")  # fmt: skip
        return "duplicate", (f"文件夹符号链接指向已读取的文件夹 {shown(target)}，未重复读取 "
                             f"(folder symlink to a folder already read: {shown(target)})")  # fmt: skip
    try:
        os.listdir(path)
    except OSError as exc:
        return "unreadable", f"无法列出文件夹内容 (cannot list the folder: {exc.strerror or exc})"
    return "unreadable", "是文件夹而不是文件 (a folder, not a file)"


_KINDS = ((stat.S_ISFIFO, "命名管道", "named pipe"), (stat.S_ISSOCK, "套接字", "socket"),
          (stat.S_ISCHR, "字符设备", "character device"), (stat.S_ISBLK, "块设备", "block device"))  # fmt: skip


def _kind_reason(mode: int) -> str:
    for test, chinese, english in _KINDS:
        if test(mode):
            return f"不是普通文件（{chinese}），未读取 (not a regular file: {english})"
    return "不是普通文件，未读取 (not a regular file)"


def _os_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "符号链接循环，无法读取 (symlink loop: too many levels of symbolic links)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        target = shown(os.readlink(path))
        return f"符号链接指向不存在的文件 {target} (broken symlink to {target})"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限 (permission denied)"
    return f"无法读取文件 (unreadable: {shown(exc.strerror or str(exc))})"


# --- zip batches -----------------------------------------------------------------------------------------------


def _read_zip(path: Path, source: str, supported: set[str], max_bytes: int) -> Iterator[Input]:
    suffix = path.suffix.lower()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        yield _refused(source, suffix, "unreadable", f"压缩包损坏或不是 zip 文件 (corrupt or not a zip archive: "
                                                     f"{type(exc).__name__})")  # fmt: skip
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(_member_name(m))]
        problem = _archive_problem(members)
        if problem:
            yield _refused(source, suffix, "too_large", problem)
            return
        if not members:
            yield _refused(source, suffix, "parse_error", "压缩包中没有文件 (the zip archive holds no files)")
            return
        for member in members:
            yield _read_member(archive, member, source, supported, max_bytes)


def _archive_problem(members: list[zipfile.ZipInfo]) -> str | None:
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS:
        return (f"压缩包内文件过多：{len(members):,} 个，上限 {MAX_MEMBERS:,} "
                f"(too many files in the zip: {len(members):,} > {MAX_MEMBERS:,})")  # fmt: skip
    if total > MAX_ARCHIVE_BYTES:
        return (f"压缩包解压后过大：{total:,} 字节，上限 {MAX_ARCHIVE_BYTES:,}，疑似压缩炸弹 "
                f"(the zip unpacks to {total:,} bytes > {MAX_ARCHIVE_BYTES:,}: a zip bomb?)")  # fmt: skip
    return None


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, source: str, supported: set[str],
                 max_bytes: int) -> Input:  # fmt: skip
    name = _member_name(member)
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    where = f"{source}!{shown(name)}"
    problem = _member_problem(member, name, suffix, supported, max_bytes)
    if problem:
        return _refused(where, suffix, *problem)
    try:
        with archive.open(member) as handle:
            data = handle.read(max_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        return _refused(where, suffix, "unreadable", f"压缩包成员损坏，无法解压 (corrupt zip member: "
                                                     f"{type(exc).__name__}: {shown(str(exc))})")  # fmt: skip
    if len(data) > max_bytes:  # the header understated the size
        return _refused(where, suffix, "too_large", too_large(len(data), max_bytes))
    return Input(where, suffix, data=data)


def _member_problem(member: zipfile.ZipInfo, name: str, suffix: str, supported: set[str],
                    max_bytes: int) -> tuple[str, str] | None:  # fmt: skip
    if not _safe_name(name):
        return "unreadable", ("压缩包成员路径不安全（绝对路径或含 ..），拒绝读取 "
                              "(unsafe member path: absolute or with '..'; refused)")  # fmt: skip
    if stat.S_ISLNK(member.external_attr >> 16):
        return "unreadable", "压缩包成员是符号链接，未跟随 (the zip member is a symlink; not followed)"
    if member.flag_bits & 0x1:
        return "unreadable", "压缩包成员已加密，需要密码 (the zip member is encrypted)"
    if suffix in ARCHIVE_SUFFIXES:
        return "unsupported", "压缩包内的压缩包不展开 (a zip inside the zip is not opened)"
    if suffix not in supported:
        return "unsupported", unsupported_reason(suffix)
    if member.file_size > max_bytes:
        return "too_large", too_large(member.file_size, max_bytes)
    if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
        return "too_large", (f"压缩比异常（{member.file_size // max(member.compress_size, 1):,} 倍），疑似压缩炸弹，"
                             f"未解压 (compression ratio over {MAX_RATIO}: a zip bomb? not unpacked)")  # fmt: skip
    return None


def _member_name(member: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: zips made on Chinese Windows store GBK names without the
    UTF-8 flag, which zipfile decodes as cp437."""
    name = member.orig_filename
    if member.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    absolute = name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) is not None
    return not absolute and ".." not in parts and "\x00" not in name


def _hidden(name: str) -> bool:
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return any(p.startswith(".") or p in _SKIPPED_PARTS for p in parts)
