"""gxbg rules check [DIR] | gxbg rules list [DIR]: lint the rule files, or print the rule set."""

from __future__ import annotations

import argparse
import sys

from gxbg.commands.common import USAGE_ERROR, add_rules_argument, load_rules_or_complain


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("rules", help="check or list rule files", description=__doc__)
    sub = p.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="report bad rules as file:line:column: message")
    add_rules_argument(check, positional=True)
    check.set_defaults(run=run_check)
    listing = sub.add_parser("list", help="print id, kind, severity and category of every rule")
    add_rules_argument(listing, positional=True)
    listing.set_defaults(run=run_list)


def run_check(args: argparse.Namespace) -> int:
    ruleset = load_rules_or_complain(args)
    if ruleset is None:
        return USAGE_ERROR
    print(f"{len(ruleset.rules)} rules OK ({len(ruleset.checks())} checks)", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    ruleset = load_rules_or_complain(args)
    if ruleset is None:
        return USAGE_ERROR
    rows = [("id", "kind", "table", "severity", "category")]
    rows += [(b.rule.id, b.rule.kind, b.rule.table, b.rule.severity, b.rule.category) for b in ruleset.rules]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return 0
