"""Reading one table cell: numbers, blanks, units; and splitting cells out of a line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

BLANK_MARKERS = frozenset({"", "/", "-", "--", "—", "——", "–", "无", "空", "\\", "×"})
_NUMBER = re.compile(r"^(?P<sign>[-+])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>元|万元|件|个|条|项|份|次)?$")


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | int | None  # None: blank or unreadable
    blank: bool = False
    unit: str | None = None
    decimal: bool = False
    negative: bool = False


@lru_cache(maxsize=4096)  # cells repeat a lot ("0", "", "1"): worth caching on large batches
def is_value(text: str) -> bool:
    """A cell that holds a value (or a blank marker) rather than a label."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return True
    return text in BLANK_MARKERS or bool(_NUMBER.match(text.replace(" ", "")))


@lru_cache(maxsize=4096)
def read_cell(text: str) -> Cell:
    raw = text.strip()
    if raw.isascii() and raw.isdigit():
        return Cell(raw, int(raw))
    if raw in BLANK_MARKERS:
        return Cell(raw, None, blank=True)
    m = _NUMBER.match(raw.replace(" ", ""))
    if not m:
        return Cell(raw, None)
    whole = int(m["num"].replace(",", ""))
    negative = m["sign"] == "-"
    if m["frac"]:
        value: float | int = float(f"{whole}{m['frac']}")
    else:
        value = whole
    if negative:
        value = -value
    return Cell(raw, value, unit=m["unit"], decimal=bool(m["frac"]), negative=negative)


# Larger than any count a report can hold; beyond int64 it would not even fit the frames.
MAX_VALUE = 10**12


def count_or_none(value: float | int | None) -> int | None:
    """A table count, or None when it cannot be one (decimal, absurdly large)."""
    if type(value) is int and -MAX_VALUE <= value <= MAX_VALUE:  # nearly every cell
        return value
    if value is None or abs(value) > MAX_VALUE or not float(value).is_integer():
        return None
    return int(value)


def split_numbers(text: str) -> list[str] | None:
    """'0 0 12' (single spaces between numbers) -> ['0','0','12']; None when not all numbers."""
    parts = text.split()
    if len(parts) > 1 and all(is_value(p) for p in parts):
        return parts
    return None
