"""findings.csv / .parquet / .json and reports.csv, each written atomically (temp file + os.replace),
so a reader never sees half a file and a failed run leaves the previous outputs intact."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_outputs(out_dir: str | Path, findings: pd.DataFrame, reports: pd.DataFrame) -> list[Path]:
    out = Path(out_dir)
    # utf-8-sig: Excel, which many auditors open CSVs with, needs the BOM to show Chinese.
    writers = {
        out / "findings.csv": lambda p: findings.to_csv(p, index=False, encoding="utf-8-sig"),
        out / "findings.parquet": lambda p: findings.to_parquet(p, index=False),
        out / "findings.json": lambda p: p.write_text(records_json(findings), encoding="utf-8"),
        out / "reports.csv": lambda p: reports.to_csv(p, index=False, encoding="utf-8-sig"),
    }
    for path, write in writers.items():
        write_atomic(path, write)
    return list(writers)


def records_json(frame: pd.DataFrame) -> str:
    """One JSON object per row, blanks as null, Chinese and paths left readable."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return json.dumps(records, ensure_ascii=False, indent=1, default=_plain) + "\n"


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)
