"""gxbg validate PATH... --out DIR: parse, check every rule with both engines, write the findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gxbg.commands.common import USAGE_ERROR, add_rules_argument, load_rules_or_complain
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
        result = validate_paths(args.paths, ruleset, ENGINE_CHOICES[args.engine], progress=_progress)
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
