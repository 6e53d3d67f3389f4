"""findings.csv / .parquet / .json and reports.csv, each written atomically (temp file + os.replace),
so a reader never sees half a file and a failed run leaves the previous outputs intact; whole
folders (the site, Data Docs) are built aside and swapped in with replace_dir."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    write_all_atomic({Path(path): write})


def write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def replace_dir(path: Path, build: Callable[[Path], None]) -> Path:
    """Build a whole folder (site, Data Docs) beside path, then swap it in: readers see the old
    folder or the new one, never half of one, and a failed build leaves the old one intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        build(tmp)
        tmp.chmod(0o755)  # mkdtemp makes it private; a published folder is read like any other
        _swap(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def _swap(new: Path, path: Path) -> None:
    if not path.exists():
        os.replace(new, path)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
    try:
        os.replace(path, trash / path.name)
        try:
            os.replace(new, path)
        except BaseException:
            os.replace(trash / path.name, path)  # put the previous folder back
            raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def write_outputs(out_dir: str | Path, findings: pd.DataFrame, reports: pd.DataFrame) -> list[Path]:
    out = Path(out_dir)
    # utf-8-sig: Excel, which many auditors open CSVs with, needs the BOM to show Chinese.
    writers = {
        out / "findings.csv": lambda p: findings.to_csv(p, index=False, encoding="utf-8-sig"),
        out / "findings.parquet": lambda p: findings.to_parquet(p, index=False),
        out / "findings.json": lambda p: p.write_text(records_json(findings), encoding="utf-8"),
        out / "reports.csv": lambda p: reports.to_csv(p, index=False, encoding="utf-8-sig"),
    }
    return write_all_atomic(writers)


def write_all_atomic(writers: dict[Path, Callable[[Path], None]]) -> list[Path]:
    """Several files that belong together (a run's findings and reports): each is written in full to a temp
    file beside it first, and only when all are written are they renamed into place, so a failure or an
    interruption while writing leaves every previous file as it was."""
    temps: dict[Path, Path] = {}
    try:
        for path, write in writers.items():
            temps[path] = _temp_beside(path)
            write(temps[path])
        for path, tmp in temps.items():
            os.replace(tmp, path)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return list(writers)


def _temp_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; published files are read by others
    return Path(tmp)


def records_json(frame: pd.DataFrame) -> str:
    """A JSON array of one object per row, each on its own line; blanks as null, Chinese and paths left
    readable. Row by row: json's C encoder does it, where indent= takes its pure-Python one (0.14 s against
    0.09 s for 10,000 findings)."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(record, ensure_ascii=False, default=_plain) for record in records) + "\n]\n"


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)
