"""gxbg expectations build: write the GX suites (and pandera schemas) generated from the rules."""

from __future__ import annotations

import argparse
from pathlib import Path

import gxbg
from gxbg.commands.common import USAGE_ERROR, add_rules_argument, load_rules_or_complain
from gxbg.publish.files import write_text

DEFAULT_OUT = Path(gxbg.__file__).resolve().parent.parent / "expectations"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("expectations", help="generate GX suites from the rules", description=__doc__)
    sub = p.add_subparsers(dest="expectations_command", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="write <ruleset>.<table>.json suites and pandera/<ruleset>.<table>.yaml")
    add_rules_argument(build)
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help=f"default: {DEFAULT_OUT}")
    build.set_defaults(run=run_build)


def run_build(args: argparse.Namespace) -> int:
    from gxbg.engines.suites import suite_files  # imports GX: only when building

    ruleset = load_rules_or_complain(args)
    if ruleset is None:
        return USAGE_ERROR
    for name, text in suite_files(ruleset).items():
        write_text(args.out / name, text)
        print(args.out / name)
    return 0
