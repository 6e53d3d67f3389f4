"""gxbg synth --out DIR -n N: a synthetic corpus with injected errors and the truth about them.

Writes DIR/reports/ (every layout and file type the parser reads, UTF-8 and GB18030), DIR/truth.csv (file,
agency, year, category, severity, section, row, column, note: what a validator should find) and
DIR/manifest.csv (agency, year of every report due, for --expect). Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from gxbg.commands.common import USAGE_ERROR
from gxbg.synth.corpus import DEFAULT_YEARS, KINDS, MANIFEST_FILE, REPORTS_DIR, TRUTH_FILE, build_corpus, write_corpus


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("synth", help="write synthetic reports with injected errors", description=__doc__)
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument("-n", "--reports", type=int, default=100, metavar="N", help="reports due (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--inject-rate", type=float, default=0.33, metavar="R",
                   help="share of reports given one injected error (default 0.33; 0 for a clean corpus)")  # fmt: skip
    p.add_argument("--years", type=_years, default=DEFAULT_YEARS, metavar="Y1-Y2",
                   help=f"consecutive report years (default {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[-1]})")  # fmt: skip
    p.add_argument("--types", type=_kinds, default=None, metavar="LIST",
                   help=f"layouts and file types, comma-separated, from {','.join(KINDS)} (default: all available)")  # fmt: skip
    p.set_defaults(run=run)


def _years(text: str) -> tuple[int, ...]:
    try:
        first, _, last = text.partition("-")
        start, end = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year or a range such as 2019-2023, not {text!r}") from None
    if not 1990 <= start <= end <= 2100:
        raise argparse.ArgumentTypeError(f"expected a range of years such as 2019-2023, not {text!r}")
    return tuple(range(start, end + 1))


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown layout or file type {', '.join(unknown) or text!r}; "
                                         f"choose from {', '.join(KINDS)}")  # fmt: skip
    return kinds


def run(args: argparse.Namespace) -> int:
    try:
        corpus = build_corpus(args.reports, args.seed, years=args.years, inject_rate=args.inject_rate, kinds=args.types)
    except ValueError as exc:
        print(f"gxbg synth: {exc}", file=sys.stderr)
        return USAGE_ERROR
    write_corpus(corpus, args.out, progress=_progress)
    injected = collections.Counter(s.injected for s in corpus.slots if s.injected)
    print(
        f"{len(corpus.written())} files in {args.out / REPORTS_DIR} ({len(corpus.manifest())} reports due); "
        f"injected errors: {sum(injected.values())} ({', '.join(f'{k} {v}' for k, v in sorted(injected.items())) or 'none'}); "
        f"truth: {args.out / TRUTH_FILE}; manifest: {args.out / MANIFEST_FILE}",
        file=sys.stderr,
    )
    return 0


def _progress(done: int, total: int) -> None:
    if total >= 2000:
        print(f"wrote {done}/{total} files", file=sys.stderr)
