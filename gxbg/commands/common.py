"""Helpers shared by commands (not a command itself)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gxbg.kinds.ruleset import RuleSet, load_ruleset
from gxbg.rules import RuleSetError, default_rules_dir

USAGE_ERROR = 2


def add_rules_argument(parser: argparse.ArgumentParser, positional: bool = False) -> None:
    help_text = f"rules folder (default: {default_rules_dir()})"
    if positional:
        parser.add_argument("rules", nargs="?", type=Path, default=None, help=help_text)
    else:
        parser.add_argument("--rules", type=Path, default=None, help=help_text)


def rules_dir(args: argparse.Namespace) -> Path:
    return args.rules if args.rules is not None else default_rules_dir()


def load_rules_or_complain(args: argparse.Namespace) -> RuleSet | None:
    """The rule set, or None after printing every problem (file:line:column: message) on stderr."""
    folder = rules_dir(args)
    if args.rules is None and not folder.is_dir():
        print(f"gxbg: the default rules folder {folder} is missing; this happens when gxbg is installed "
              "without its repository checkout. Pass --rules DIR.", file=sys.stderr)  # fmt: skip
        return None
    try:
        return load_ruleset(folder)
    except RuleSetError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"gxbg: {len(exc.problems)} problem(s) in rule files under {folder}", file=sys.stderr)
        return None
