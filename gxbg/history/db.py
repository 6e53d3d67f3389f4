"""The history database: parsed reports, their findings and validation runs, kept across batches.

Which database:

- ``open_history(url)`` with an explicit SQLAlchemy URL (or a plain file path, taken as SQLite) wins;
- else the environment variable ``GXBG_DATABASE_URL``, e.g.
  ``postgresql://user:password@host:5432/gxbg`` (needs the ``postgres`` extra: ``pip install 'gxbg[postgres]'``;
  ``postgresql://`` and ``postgres://`` URLs are driven by psycopg 3);
- else a SQLite file ``gxbg-history.sqlite`` in the run's output folder, or in the current folder.

Tables are created on open. Reports are keyed by the content hash of their source bytes, so storing a
batch again stores nothing twice; findings are unique per report and finding (see ``finding_key``).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url

from gxbg.agency import agency_key
from gxbg.codes import REQUEST_COLUMNS
from gxbg.report.model import Report

ENV_URL = "GXBG_DATABASE_URL"
DEFAULT_FILE = "gxbg-history.sqlite"
# IN lists are sent in chunks: SQLite caps bound parameters per statement.
CHUNK = 500

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("report_id", String(16), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("agency", Text),
    Column("agency_key", Text),
    Column("year", Integer),
    Column("format", String(8)),
    Column("published", String(32)),  # ISO date as the parser gives it
    Column("request_values", JSON, nullable=False),
    Column("appeal_values", JSON, nullable=False),
    Column("active_records", JSON, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    # Cross-year rules look reports up by body and year.
    Index("ix_reports_agency_key_year", "agency_key", "year"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), ForeignKey("reports.content_hash", ondelete="CASCADE"), nullable=False),
    # sha1 of what makes a finding (rule, place, values): NULL-safe uniqueness on every dialect.
    Column("finding_key", String(40), nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("category", Text),
    Column("severity", Text),
    Column("section", Text),
    Column("row", Text),
    Column("column", Text),
    Column("observed", JSON(none_as_null=True)),
    Column("expected", JSON(none_as_null=True)),
    Column("message", Text),
    Column("line", Integer),
    Column("engine", Text),
    UniqueConstraint("content_hash", "finding_key", name="uq_findings_report_finding"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("files", Integer, nullable=False),
    Column("reports", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
)

FINDING_FIELDS = ("rule_id", "category", "severity", "section", "row", "column", "observed", "expected", "message",
                  "line", "engine")
# What identifies a finding of one report; engine, message, severity and category describe it.
FINDING_IDENTITY = ("rule_id", "section", "row", "column", "line", "observed", "expected")
# Findings frames may name the section "table" (the rules' word for it).
FINDING_ALIASES = {"section": ("section", "table")}
LIST_COLUMNS = ["agency", "year", "format", "source", "stored_at", "agency_key", "report_id", "content_hash",
                "published"]


@dataclass(frozen=True)
class StoredReport:
    """A report as the history keeps it: enough for the cross-year checks."""

    agency: str | None
    agency_key: str | None
    year: int | None
    format: str | None
    request_values: dict[str, list]
    appeal_values: list
    active_records: list[tuple[str, str, float | int | None, int | None]]
    source: str
    content_hash: str
    report_id: str

    def request(self, row: str, column: str) -> int | None:
        """A 三 cell by stable codes."""
        values = self.request_values.get(row)
        return None if values is None else values[list(REQUEST_COLUMNS).index(column)]

    def active_value(self, item: str, measure: str) -> float | None:
        for rec_item, rec_measure, value, _ in self.active_records:
            if (rec_item, rec_measure) == (item, measure):
                return None if value is None else float(value)
        return None


# --- where the database is ---------------------------------------------------------------------


def default_url(out: str | Path | None = None) -> str:
    """GXBG_DATABASE_URL when set, else a SQLite file in `out` (or the current folder)."""
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env
    folder = Path(out) if out is not None else Path.cwd()
    return URL.create("sqlite", database=str((folder / DEFAULT_FILE).resolve())).render_as_string()


def resolve_url(url: str | Path | None = None, out: str | Path | None = None) -> URL:
    """An explicit URL or file path, else the default; Postgres URLs get the psycopg 3 driver."""
    text = str(url) if url is not None else default_url(out)
    if "://" not in text:  # a plain path: a SQLite file
        text = URL.create("sqlite", database=str(Path(text).resolve())).render_as_string()
    parsed = make_url(text)
    # Plain postgresql:// would mean psycopg2, which the postgres extra does not install.
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for other databases and in-memory SQLite)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


# --- the history -------------------------------------------------------------------------------


class History:
    """A connection to the history database; open it with `open_history`."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.url = engine.url

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return self.url.render_as_string(hide_password=True)

    def store_reports(self, batch: list[Report]) -> int:
        """Store reports not stored yet (by content hash); returns how many were new."""
        rows = _first_of_each(map(_report_row, batch), ("content_hash",))
        if not rows:
            return 0
        stmt = _insert_ignoring(self.engine, reports, ["content_hash"]).returning(reports.c.content_hash)
        with self.engine.begin() as conn:
            return len(conn.execute(stmt, rows).all())

    def store_findings(self, frame: pd.DataFrame, hashes: dict[str, str]) -> int:
        """Store findings (one per frame row, by report_id) not stored yet; returns how many were new.

        `hashes` maps each report_id to its content hash (see `report_hashes`); the reports must be
        stored first. Rows without a report_id (batch-level findings) belong to no report and are skipped.
        """
        rows = _first_of_each(_finding_rows(frame, hashes), ("content_hash", "finding_key"))
        if not rows:
            return 0
        stmt = _insert_ignoring(self.engine, findings, ["content_hash", "finding_key"]).returning(findings.c.id)
        with self.engine.begin() as conn:
            return len(conn.execute(stmt, rows).all())

    def record_run(self, *, files: int, reports: int, errors: int, warnings: int,
                   started_at: datetime | None = None) -> int:
        """Record one validation run; returns its id."""
        values = {"started_at": started_at or datetime.now(UTC), "files": files, "reports": reports,
                  "errors": errors, "warnings": warnings}
        with self.engine.begin() as conn:
            return int(conn.execute(insert(runs).values(values).returning(runs.c.id)).scalar_one())

    def previous_year(self, agency_keys: set[str], years: set[int]) -> list[StoredReport]:
        """Stored reports of these agency keys in these years (all copies: one per content hash)."""
        out: list[StoredReport] = []
        year_list = sorted(years)
        if not year_list:
            return out
        with self.engine.connect() as conn:
            for keys in _chunks(sorted(agency_keys)):
                query = (select(reports)
                         .where(reports.c.agency_key.in_(keys), reports.c.year.in_(year_list))
                         .order_by(reports.c.agency_key, reports.c.year, reports.c.stored_at, reports.c.source))
                out += [_stored(row) for row in conn.execute(query).mappings()]
        return out

    def list_reports(self) -> pd.DataFrame:
        """Every stored report's metadata (no values), by agency key, year and source."""
        columns = [reports.c[name] for name in LIST_COLUMNS]
        query = select(*columns).order_by(reports.c.agency_key, reports.c.year, reports.c.source)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=LIST_COLUMNS)
        return frame.astype({"year": "Int64"})

    def list_findings(self) -> pd.DataFrame:
        """Every stored finding with its report's content hash."""
        columns = [findings.c[name] for name in ("content_hash", *FINDING_FIELDS)]
        query = select(*columns).order_by(findings.c.content_hash, findings.c.id)
        with self.engine.connect() as conn:
            # object columns: observed/expected mix ints, decimals, text and None; pandas would make them float.
            frame = pd.DataFrame(conn.execute(query).all(), columns=["content_hash", *FINDING_FIELDS], dtype=object)
        return frame.astype({"line": "Int64"})

    def list_runs(self) -> pd.DataFrame:
        query = select(runs).order_by(runs.c.id)
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).all(), columns=[c.name for c in runs.columns])


def open_history(url: str | Path | None = None, *, out: str | Path | None = None) -> History:
    """Connect (see the module docstring for which database) and create missing tables."""
    resolved = resolve_url(url, out)
    path = sqlite_file(resolved)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(resolved)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    metadata.create_all(engine)
    return History(engine)


def report_hash(report: Report) -> str:
    """The report's content hash; for a report built without one, a hash of its parsed content and source."""
    if report.content_hash:
        return report.content_hash
    content = json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def report_hashes(batch: Iterable[Report]) -> dict[str, str]:
    """report_id -> content hash, what `store_findings` needs."""
    return {r.report_id: report_hash(r) for r in batch}


def finding_key(values: dict[str, Any]) -> str:
    """sha1 of a finding's identity: rule, section, row, column, line, observed and expected.

    A finding with neither observed nor expected value (a layout note) is told apart by its message.
    """
    # 5 and 5.0 are one observation: engines differ in whether they hand back ints or floats.
    identity = [_integral(values.get(name)) for name in FINDING_IDENTITY]
    if values.get("observed") is None and values.get("expected") is None:
        identity.append(values.get("message"))
    return hashlib.sha1(json.dumps(identity, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


# --- helpers -----------------------------------------------------------------------------------


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless each connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _insert_ignoring(engine: Engine, table: Table, keys: list[str]):
    """INSERT ... ON CONFLICT (keys) DO NOTHING, in the engine's dialect."""
    dialects = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
    make = dialects.get(engine.dialect.name)
    if make is None:
        raise ValueError(f"history database must be SQLite or PostgreSQL, not {engine.dialect.name}")
    return make(table).on_conflict_do_nothing(index_elements=keys)


def _report_row(report: Report) -> dict[str, Any]:
    return {
        "content_hash": report_hash(report),
        "report_id": report.report_id,
        "source": report.source,
        "agency": report.agency,
        "agency_key": agency_key(report.agency) if report.agency else None,
        "year": report.year,
        "format": report.format,
        "published": report.published,
        "request_values": {row: [_plain(v) for v in values] for row, values in report.request_values.items()},
        "appeal_values": [_plain(v) for v in report.appeal_values],
        "active_records": [[_plain(v) for v in record] for record in report.active_records],
        "stored_at": datetime.now(UTC),
    }


def _finding_rows(frame: pd.DataFrame, hashes: dict[str, str]) -> Iterator[dict[str, Any]]:
    if frame is None or frame.empty:
        return
    if "report_id" not in frame.columns or "rule_id" not in frame.columns:
        raise ValueError("findings need the columns report_id and rule_id")
    for record in frame.to_dict("records"):
        report_id = _plain(record["report_id"])
        if report_id is None:
            continue
        if report_id not in hashes:
            raise KeyError(f"finding of report {report_id} ({record.get('rule_id')}): no content hash given for it")
        values = {name: _plain(_field(record, name)) for name in FINDING_FIELDS}
        values["line"] = None if values["line"] is None else int(values["line"])
        yield values | {"content_hash": hashes[report_id], "finding_key": finding_key(values)}


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def _field(record: dict[str, Any], name: str) -> Any:
    for alias in FINDING_ALIASES.get(name, (name,)):
        if alias in record:
            return record[alias]
    return None


def _plain(value: Any) -> Any:
    """JSON- and driver-safe Python values: NA/NaN -> None, numpy scalars -> int/float, tuples -> lists."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):  # NaN is no JSON, and PostgreSQL rejects it
        return None
    return value


def _stored(row: Any) -> StoredReport:
    return StoredReport(
        agency=row["agency"],
        agency_key=row["agency_key"],
        year=row["year"],
        format=row["format"],
        request_values=row["request_values"],
        appeal_values=row["appeal_values"],
        active_records=[tuple(record) for record in row["active_records"]],
        source=row["source"],
        content_hash=row["content_hash"],
        report_id=row["report_id"],
    )


def _first_of_each(rows: Iterable[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows with duplicate keys dropped, the first kept (one statement must not insert a key twice)."""
    seen: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in keys), row)
    return list(seen.values())


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
