"""gxbg history list [--db URL]: what the history database holds."""

from __future__ import annotations

import sys
import unicodedata

import pandas as pd

from gxbg.history import ENV_URL, open_history, resolve_url
from gxbg.history.db import sqlite_file

SHOWN = ("agency", "year", "format", "source", "stored_at")
HEADERS = ("机关 agency", "年度 year", "格式 format", "来源 source", "入库 stored_at")


def add_parser(sub) -> None:
    p = sub.add_parser("history", help="历史库：已入库的报告 (the history database)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = actions.add_parser("list", help="列出已入库的报告 (list stored reports)")
    ls.add_argument("--db", metavar="URL",
                    help=f"SQLAlchemy URL or SQLite file (default: ${ENV_URL}, else ./gxbg-history.sqlite)")
    ls.set_defaults(run=run)


def run(args) -> int:
    url = resolve_url(args.db)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        # Listing must not leave an empty database file behind.
        print(f"gxbg: no history database at {path}", file=sys.stderr)
        return 1
    with open_history(url) as history:
        frame = history.list_reports()
        print(format_reports(frame))
        print(f"{len(frame)} reports in {history.describe()}")
    return 0


def format_reports(frame: pd.DataFrame) -> str:
    records = frame[list(SHOWN)].itertuples(index=False)
    rows = [list(HEADERS)] + [[_text(value) for value in record] for record in records]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(SHOWN))]
    return "\n".join("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
