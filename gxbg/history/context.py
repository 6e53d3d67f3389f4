"""Earlier reports from the history database, as context for a batch's year-coverage and cross-year
rules: validating 2024 this year checks its carry-over against the 2023 report validated last year.
"""

from __future__ import annotations

from gxbg.agency import agency_key
from gxbg.history.db import History, StoredReport, report_hash
from gxbg.report.model import Report

# Years before the batch's earliest that the gap and copy checks see; one after its latest (a year
# validated late still meets the report that follows it).
LOOKBACK = 10


def earlier_reports(history: History, batch: list[Report]) -> list[Report]:
    """Stored reports of the batch's bodies around its years, minus the batch's own reports (so
    validating a batch again never meets itself)."""
    keys = {agency_key(r.agency) for r in batch if r.agency}
    years = [r.year for r in batch if r.year is not None]
    if not keys or not years:
        return []
    own = {report_hash(r) for r in batch}
    wanted = set(range(min(years) - LOOKBACK, max(years) + 2))
    return [as_report(s) for s in history.previous_year(keys, wanted) if s.content_hash not in own]


def as_report(stored: StoredReport) -> Report:
    """A stored report as a Report with its tables (no narrative: the history keeps none)."""
    return Report(
        source=stored.source,
        agency=stored.agency,
        year=stored.year,
        format=stored.format,
        request_values={row: list(values) for row, values in stored.request_values.items()},
        appeal_values=list(stored.appeal_values),
        active_records=[tuple(record) for record in stored.active_records],
        content_hash=stored.content_hash,
    )
