"""gxbg validate PATH... --out DIR: parse, check every rule with both engines, write the findings.

Exit status: 0 when no finding reaches --fail-on, 1 when one does (a file that could not be parsed, read or
was too large is an error finding), 2 for usage errors (a path that does not exist, bad options) and rule-file
errors. Every input file has its row in reports.csv whatever happens to it (see gxbg.pipeline)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gxbg import collector
from gxbg.commands.common import USAGE_ERROR, add_rules_argument, load_rules_or_complain
from gxbg.documents import MAX_BYTES
from gxbg.engines import ENGINE_CHOICES
from gxbg.findings import reaches
from gxbg.history import ENV_URL, open_history, resolve_url
from gxbg.history.db import DEFAULT_FILE
from gxbg.manifest import ManifestError, load_manifest
from gxbg.pipeline import publish, store_history, validate_paths
from gxbg.publish.summary import summarize



def add_parser(subparsers) -> None:
    p = subparsers.add_parser("validate", help="validate reports and write findings", description=__doc__)
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders (searched recursively)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    add_rules_argument(p)
    p.add_argument("--engine", choices=list(ENGINE_CHOICES), default="both")
    p.add_argument("--fail-on", choices=["error", "warning", "never"], default="error",
                   help="exit 1 when a finding is at least this severe (default: error)")  # fmt: skip
    p.add_argument("--max-bytes", type=_size, default=MAX_BYTES, metavar="N",
                   help=f"larger files are not read (status too_large); accepts 20M, 500K (default: {MAX_BYTES})")  # fmt: skip
    p.add_argument("--db", metavar="URL", default=None,
                   help=f"history database, a SQLAlchemy URL or SQLite file (default: ${ENV_URL}, else DIR/{DEFAULT_FILE}): "
                        "the cross-year and year-coverage rules read earlier runs' reports from it, and this run's "
                        "reports and findings are stored in it")  # fmt: skip
    p.add_argument("--expect", type=Path, default=None, metavar="CSV",
                   help="manifest of the reports due (columns agency,year): missing ones are findings")  # fmt: skip
    p.add_argument("--data-docs", action=argparse.BooleanOptionalAction, default=True,
                   help="write Great Expectations Data Docs to DIR/data_docs/ (default: on; needs the gx engine)")  # fmt: skip
    p.add_argument("--site", action=argparse.BooleanOptionalAction, default=True,
                   help="write the auditors' site to DIR/site/ (default: on)")  # fmt: skip
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ruleset = load_rules_or_complain(args)
    if ruleset is None:
        return USAGE_ERROR
    try:
        expected = load_manifest(args.expect) if args.expect is not None else None
        database = _history_url(args)
        result = validate_paths(args.paths, ruleset, ENGINE_CHOICES[args.engine], progress=_progress,
                                max_bytes=args.max_bytes, exclude=[args.out],  # the outputs are not inputs
                                expected=expected, history=database)  # fmt: skip
    except (FileNotFoundError, ManifestError, HistoryUnavailable) as exc:
        print(f"gxbg: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.exits:
        collector.freeze_for_exit()  # the batch lives until the process ends anyway
    # Published before the history is kept: a database that fails then still leaves the findings files.
    published = publish(args.out, result, data_docs=args.data_docs, site=args.site)
    for reason in published.skipped:
        print(f"gxbg: {reason}", file=sys.stderr)
    stored = store_history(result, database)
    print(f"history {stored.database}: {stored.new_reports} new reports, {stored.new_findings} new findings",
          file=sys.stderr)  # fmt: skip
    _summary(result, args.out)
    return 1 if reaches(result.findings, args.fail_on) else 0


class HistoryUnavailable(Exception):
    """The history database cannot be opened (checked before any file is parsed)."""


def _history_url(args: argparse.Namespace) -> str:
    """--db, else $GXBG_DATABASE_URL, else the SQLite file in --out; opened once here to fail early."""
    url = resolve_url(args.db, out=args.out).render_as_string(hide_password=False)
    try:
        open_history(url).close()
    except Exception as exc:  # noqa: BLE001 - a bad URL, a missing driver, a server that is down
        shown = resolve_url(url).render_as_string(hide_password=True)
        raise HistoryUnavailable(f"history database {shown}: {type(exc).__name__}: {exc}") from exc
    return url


def _size(text: str) -> int:
    """A byte count: 1000, 500K, 20M, 1G (binary multiples)."""
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
    number, unit = text.strip().upper().rstrip("B"), ""
    if number and number[-1] in units:
        number, unit = number[:-1], number[-1]
    try:
        value = int(float(number) * units[unit])
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 20000000, 500K, 20M)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return value


def _progress(done: int, total: int) -> None:
    if total >= 500:
        print(f"parsed {done}/{total} files", file=sys.stderr)


def _summary(result, out: Path) -> None:
    summary = summarize(result.findings, result.reports)
    statuses, severities = summary.statuses, summary.severities
    print(
        f"{summary.files} files ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}); "
        f"findings: {severities['error']} errors, {severities['warning']} warnings, {severities['info']} info -> {out}",
        file=sys.stderr,
    )
