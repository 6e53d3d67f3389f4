"""gxbg validate PATH... --out DIR: parse, check every rule with both engines, write the findings.

Exit status: 0 when no finding reaches --fail-on, 1 when one does (a file that could not be parsed, read or
was too large is an error finding), 2 for usage errors (a path that does not exist, bad options) and rule-file
errors. Every input file has its row in reports.csv whatever happens to it (see gxbg.pipeline)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gxbg.commands.common import USAGE_ERROR, add_rules_argument, load_rules_or_complain
from gxbg.documents import MAX_BYTES
from gxbg.findings import reaches
from gxbg.pipeline import validate_paths
from gxbg.publish.files import write_outputs

ENGINE_CHOICES = {"both": ("pandera", "gx"), "pandera": ("pandera",), "gx": ("gx",)}


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
        result = validate_paths(args.paths, ruleset, ENGINE_CHOICES[args.engine], progress=_progress,
                                max_bytes=args.max_bytes, exclude=[args.out])  # the outputs are not inputs
    except FileNotFoundError as exc:
        print(f"gxbg: {exc}", file=sys.stderr)
        return USAGE_ERROR
    write_outputs(args.out, result.findings, result.reports)
    _publish(result, args)
    _summary(result, args.out)
    return 1 if reaches(result.findings, args.fail_on) else 0


def _publish(result, args: argparse.Namespace) -> None:
    """Data Docs first, so that the site links them."""
    if args.data_docs and "gx" in ENGINE_CHOICES[args.engine]:
        from gxbg.publish.datadocs import build_data_docs  # imports GX: only when asked for

        build_data_docs(result.gx_results, args.out)
    elif args.data_docs:
        print("gxbg: no Data Docs: they show the gx engine's results and --engine pandera ran without it", file=sys.stderr)
    if args.site:
        from gxbg.publish.site import build_site

        build_site(result, args.out)


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
    status = result.reports["status"].value_counts().to_dict()
    severity = result.findings["severity"].value_counts().to_dict()
    print(
        f"{len(result.reports)} files ({', '.join(f'{k} {v}' for k, v in sorted(status.items()))}); "
        f"findings: {severity.get('error', 0)} errors, {severity.get('warning', 0)} warnings, "
        f"{severity.get('info', 0)} info -> {out}",
        file=sys.stderr,
    )
