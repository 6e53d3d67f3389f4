"""gxbg demo [--out DIR] [--reports N]: write a sample batch with injected errors into DIR/reports,
validate it with the Prefect flow validate-batch, and print where the findings, site and Data Docs are.

The batch is a synthetic corpus (as `gxbg synth` writes it): agencies over consecutive years in every
layout and file type, about one report in five with an injected error (DIR/truth.csv says which; a
missing report is one of them), DIR/manifest.csv listing the reports due, plus three bad files.

Embedded defaults: with PREFECT_API_URL unset, Prefect starts a temporary local API on SQLite kept in
DIR/.prefect (unless PREFECT_HOME is set). Results go to DIR/results (findings, reports.csv, site/,
data_docs/ and the history database gxbg-history.sqlite).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import shutil
import sys
import time
from pathlib import Path

import gxbg
from gxbg.commands.common import USAGE_ERROR

MARKER = ".gxbg-demo"  # a folder with it may be cleared by the next demo run
FLOW_FILE = Path(gxbg.__file__).resolve().parent.parent / "flows" / "validate_batch.py"
# Set before Prefect is imported (it reads its settings then). Each only when the user has not set it.
EMBEDDED_SETTINGS = {
    "PREFECT_LOGGING_LEVEL": "WARNING",  # the demo prints its own summary
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # no telemetry from a demo (and it raced the first migration)
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",  # saves seconds per start; the flow uses no blocks
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",  # first start migrates a new database
}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("demo", help="示例：生成样例报告并运行校验流程 (sample batch through the Prefect flow)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--out", type=Path, default=Path("demo-out"), metavar="DIR", help="output folder (default: demo-out)")
    p.add_argument("--reports", type=int, default=60, metavar="N", help="synthetic reports to write (default: 60)")
    p.add_argument("--seed", type=int, default=2024, help="random seed of the sample batch")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.reports < 5:
        print("gxbg: --reports must be at least 5", file=sys.stderr)
        return USAGE_ERROR
    if not FLOW_FILE.is_file():
        print(f"gxbg: the flow {FLOW_FILE} is missing; gxbg demo runs from a checkout of the repository.",
              file=sys.stderr)  # fmt: skip
        return USAGE_ERROR
    started = time.perf_counter()
    out = args.out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        print(f"gxbg: {out} is not empty and not a gxbg demo folder; choose another --out", file=sys.stderr)
        return USAGE_ERROR
    out.mkdir(parents=True, exist_ok=True)
    embedded = _embedded_defaults(out)
    batch = _sample_batch(out, args.reports, args.seed)
    injected = ", ".join(f"{category} {n}" for category, n in sorted(batch.injected.items()))
    print(f"样例批次 sample batch: {len(batch.files)} files in {batch.folder}\n"
          f"  注入的问题 injected: {injected or 'none'} (see {batch.truth})\n"
          f"  问题文件 bad files: {', '.join(p.name for p, _ in batch.bad)}", file=sys.stderr)  # fmt: skip
    where = "an embedded Prefect API (SQLite)" if embedded else os.environ["PREFECT_API_URL"]
    print(f"运行流程 running flow validate-batch on {where} ...", file=sys.stderr)
    flow = _load_flow()
    # GX sets this logger to INFO when imported; its temporary-folder notes are not for operators.
    importlib.import_module("great_expectations.data_context.types.base")
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    outcome = flow(inbox=str(batch.folder), out=str(out / "results"), expected_agencies=str(batch.manifest))
    _print_outcome(outcome, time.perf_counter() - started)
    return 0


def _embedded_defaults(out: Path) -> bool:
    """Quiet settings for an embedded run, with Prefect's database in out/.prefect; False with a server."""
    if os.environ.get("PREFECT_API_URL"):
        return False
    os.environ.setdefault("PREFECT_HOME", str(out / ".prefect"))
    for name, value in EMBEDDED_SETTINGS.items():
        os.environ.setdefault(name, value)
    return True


def _sample_batch(out: Path, reports: int, seed: int):
    from gxbg.synth.batch import write_sample_batch

    # A re-run validates this batch, not the last one's leftovers, and starts a new history.
    for old in ("reports", "results"):
        shutil.rmtree(out / old, ignore_errors=True)
    (out / MARKER).touch()
    return write_sample_batch(out, reports, seed=seed)


def _load_flow():
    # flows/ is beside the package in the checkout, not installed with it.
    root = str(FLOW_FILE.parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module("flows.validate_batch").validate_batch


def _print_outcome(outcome: dict, seconds: float) -> None:
    severities, statuses = outcome["severities"], outcome["statuses"]
    print(f"完成 done in {seconds:.0f} s: {outcome['files']} files, {outcome['parsed']} parsed as reports "
          f"({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}); "
          f"{severities['error']} errors, {severities['warning']} warnings, {severities['info']} info")  # fmt: skip
    outputs = outcome["outputs"]
    shown = {"findings.csv": "findings", "reports.csv": "reports", "site": "site", "data_docs": "Data Docs"}
    for key, label in shown.items():
        if key in outputs:
            print(f"{label + ':':<10} {outputs[key]}")
    for reason in outcome["skipped"]:
        print(f"(not published: {reason})")
