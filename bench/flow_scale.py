"""The validate-batch flow end to end on many synthetic reports: local task runner vs Dask. Prints JSON.

Reports (a gxbg.synth.corpus in the text layouts, a third with an injected error) are written to a
temporary folder first (not timed); a small warm-up run starts the embedded Prefect API and imports
everything, so each timed run is discovery, parsing, validation, history and publishing of the whole
batch, plus (for Dask) starting and stopping the local cluster. task_seconds come from Prefect's task
runs: "sum" adds their run times, "wall" spans the first start to the last end.
Usage: .venv/bin/python bench/flow_scale.py [--reports 10000] [--runners local,dask] [--chunk-size 250]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--runners", default="local,dask")
    parser.add_argument("--chunk-size", type=int, default=250)
    parser.add_argument("--engine", default="both", choices=["both", "pandera", "gx"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gxbg-flow-scale-") as tmp:
        work = Path(tmp)
        _embedded(work)
        from gxbg.synth.corpus import TEXT_KINDS, build_corpus, write_corpus

        started = time.perf_counter()
        # Text layouts only: writing 10,000 DOCX/PDF files would take longer than validating them.
        write_corpus(build_corpus(args.reports, args.seed, kinds=TEXT_KINDS), work / "batch")
        generated = time.perf_counter() - started
        write_corpus(build_corpus(20, args.seed + 1, kinds=TEXT_KINDS), work / "warmup")

        sys.path.insert(0, str(ROOT))
        from flows.validate_batch import validate_batch

        validate_batch(inbox=str(work / "warmup" / "reports"), out=str(work / "out-warmup"), engine=args.engine)
        runs = {}
        for runner in args.runners.split(","):
            out = work / f"out-{runner}"
            since = datetime.now(timezone.utc)
            t0 = time.perf_counter()
            outcome = validate_batch(inbox=str(work / "batch" / "reports"), out=str(out), engine=args.engine,
                                     task_runner=runner, chunk_size=args.chunk_size)  # fmt: skip
            seconds = time.perf_counter() - t0
            runs[runner] = {
                "seconds": round(seconds, 2),
                "reports_per_s": round(args.reports / seconds, 1),
                "parsed": outcome["parsed"],
                "findings": outcome["severities"],
                "task_seconds": _task_seconds(since),
            }
    result = {
        "benchmark": "flow_scale",
        "reports": args.reports,
        "chunk_size": args.chunk_size,
        "engine": args.engine,
        "cpus": os.cpu_count(),
        "generate_seconds": round(generated, 2),
        "runs": runs,
    }
    if "local" in runs and "dask" in runs:
        result["dask_speedup"] = round(runs["local"]["seconds"] / runs["dask"]["seconds"], 2)
        local_parse = runs["local"]["task_seconds"].get("parse-chunk", {}).get("wall")
        dask_parse = runs["dask"]["task_seconds"].get("parse-chunk", {}).get("wall")
        if local_parse and dask_parse:
            result["parse_speedup"] = round(local_parse / dask_parse, 2)
    print(json.dumps(result, indent=1))


def _embedded(work: Path) -> None:
    """The embedded defaults of `gxbg demo`, with Prefect's database in the temporary folder."""
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_HOME"] = str(work / ".prefect")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_API_BLOCKS_REGISTER_ON_START", "false")


def _task_seconds(since: datetime) -> dict[str, dict[str, float]]:
    """Per task name: summed run time, and wall time from the first start to the last end (from Prefect)."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterStartTime

    async def read():
        async with get_client() as client:
            return await client.read_task_runs(
                task_run_filter=TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since)), limit=200
            )

    spans: dict[str, list] = defaultdict(list)
    for run in asyncio.run(read()):
        if run.start_time and run.end_time:
            spans[run.name.rsplit("-", 1)[0]].append(run)
    return {
        name: {
            "runs": len(runs),
            "sum": round(sum(r.total_run_time.total_seconds() for r in runs), 2),
            "wall": round((max(r.end_time for r in runs) - min(r.start_time for r in runs)).total_seconds(), 2),
        }
        for name, runs in sorted(spans.items())
    }


if __name__ == "__main__":
    main()
