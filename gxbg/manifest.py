"""The manifest of a batch: which agency's report of which year is due.

A CSV file with the columns agency and year, one row per report due (UTF-8 with or without BOM, or
GB18030 as Excel saves it on Chinese Windows; other columns are ignored). The year-coverage rules
(rules/annual_report/coverage.yaml) report what is missing from a batch and what is not in its manifest;
findings about a manifest row point at its line.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd


class ManifestError(ValueError):
    """A manifest that cannot be read; the message names the file and line."""


def load_manifest(path: str | Path) -> pd.DataFrame:
    """Reports due: columns agency, year, line (of the manifest, for findings) and source (its path)."""
    path = Path(path)
    text = _decode(path)
    if not text.strip():
        raise ManifestError(f"{path}:1: empty; expected a header line: agency,year")
    # Blank lines kept as empty rows, so row i is line i + 2 (line 1 is the header).
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
                        skip_blank_lines=False)  # fmt: skip
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = {"agency", "year"} - set(frame.columns)
    if missing:
        raise ManifestError(f"{path}:1: the header must name the columns agency and year (missing: "
                            f"{', '.join(sorted(missing))})")  # fmt: skip
    frame["line"] = range(2, len(frame) + 2)
    frame["agency"] = frame["agency"].str.strip()
    frame = frame[frame["agency"] != ""]
    years = pd.to_numeric(frame["year"].str.strip().str.removesuffix("年"), errors="coerce")
    bad = frame[years.isna() | (years % 1 != 0)]
    if not bad.empty:
        row = bad.iloc[0]
        raise ManifestError(f"{path}:{row['line']}: year {row['year']!r} is not a year")
    return frame.assign(year=years.astype("int64"), source=str(path))[["agency", "year", "line", "source"]]


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path}:1: neither UTF-8 nor GB18030 text")
