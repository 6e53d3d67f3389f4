"""Publishing speed: the auditor site and GX Data Docs of a batch of synthetic reports. Prints JSON.

Reports are generated, parsed and validated in memory first (not timed; every third one unbalanced so
pages have failing cells); then build_data_docs and build_site run into an empty output folder, and the
site once more over the first, once that is on disk (replacing a site deletes the old one).
Goal: 10,000 reports published in under 30 s.
Usage: .venv/bin/python bench/publish.py [--reports 10000] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

GOAL_SECONDS = 30.0
LAYOUTS = ("tabs", "spaces", "markdown")


def batch(count: int, seed: int):
    from gxbg.kinds.ruleset import load_ruleset
    from gxbg.pipeline import REPORT_COLUMNS, Result, check_reports, report_table
    from gxbg.report import parse_text
    from gxbg.rules import default_rules_dir
    from gxbg.synth import random_report, render

    rng = random.Random(seed)
    reports = []
    for i in range(count):
        data = random_report(rng)
        if i % 3 == 0:
            data.requests["new_received"]["natural_person"] += 1
        reports.append(parse_text(render(data, LAYOUTS[i % 3]), source=f"inbox/report-{i:05d}.txt"))
    unique = list({r.report_id: r for r in reports}.values())
    gx_results: list = []
    findings = check_reports(unique, load_ruleset(default_rules_dir()), gx_results=gx_results)
    statuses = pd.DataFrame(
        [{"source": r.source, "report_id": r.report_id, "agency": r.agency, "year": r.year, "format": r.format,
          "status": "ok", "reason": None} for r in reports],  # fmt: skip
        columns=REPORT_COLUMNS[:-2],
    )
    return Result(findings, report_table(statuses, findings), unique, gx_results)


def timed(step) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from gxbg.publish.datadocs import build_data_docs
    from gxbg.publish.site import build_site

    started = time.perf_counter()
    result = batch(args.reports, args.seed)
    prepared = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="gxbg-publish-") as tmp:
        out = Path(tmp)
        docs_wall, docs_cpu = timed(lambda: build_data_docs(result.gx_results, out))
        site_wall, site_cpu = timed(lambda: build_site(result, out))
        # The previous site on disk, as it is by a scheduled run: deleting files the kernel is still
        # writing back waits for the disk (seconds per thousand files on a busy VM), which is not ours.
        os.sync()
        again_wall, again_cpu = timed(lambda: build_site(result, out))
        size = sum(p.stat().st_size for p in (out / "site").rglob("*") if p.is_file())
        pages = len(list((out / "site" / "reports").iterdir()))
    total = docs_wall + site_wall
    print(json.dumps({
        "reports": args.reports,
        "findings": len(result.findings),
        "report_pages": pages,
        "site_mb": round(size / 1e6, 1),
        "prepare_seconds": round(prepared, 1),
        "data_docs": {"seconds": docs_wall, "cpu_seconds": docs_cpu},
        "site": {"seconds": site_wall, "cpu_seconds": site_cpu},
        "site_replacing_previous": {"seconds": again_wall, "cpu_seconds": again_cpu},
        "publish_seconds": round(total, 2),
        "goal_seconds": GOAL_SECONDS,
        "meets_goal": total < GOAL_SECONDS,
    }, indent=1))  # fmt: skip
    sys.exit(0 if total < GOAL_SECONDS else 1)


if __name__ == "__main__":
    main()
