"""Command line: thin commands over the library. Each command lives in gxbg/commands/<name>.py
and provides add_parser(subparsers) and run(args) -> exit status."""

from __future__ import annotations

import argparse
import importlib
import sys

from gxbg import __version__

# Module names under gxbg.commands, in the order shown by --help.
COMMANDS = ["parse", "validate", "rules", "expectations", "history", "demo", "synth"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxbg", description="政府信息公开工作年度报告数据质量校验 (gxbg)")
    parser.add_argument("--version", action="version", version=f"gxbg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"gxbg.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None, exits: bool = False) -> int:
    """Run one command. exits: the process ends when the command does (the console script), which lets a
    command skip work only a process that runs on needs (gxbg.collector.freeze_for_exit)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.exits = exits
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def console() -> int:
    """The gxbg console script and `python -m gxbg`."""
    return main(exits=True)


if __name__ == "__main__":
    raise SystemExit(console())
