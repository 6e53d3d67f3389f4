"""Prefect flow `validate-batch`: discover -> parse (in chunks) -> validate -> history -> publish.

Each task is a library step of gxbg.pipeline; this file only wires them, with retries on the steps
that do I/O, and reports progress and results as Prefect artifacts. A file that cannot be parsed is a
row in reports.csv (and a parse.error finding), never a failed run.

Run it directly (an embedded Prefect API with SQLite starts on its own when PREFECT_API_URL is unset):

    python flows/validate_batch.py INBOX --out DIR [--task-runner dask]

or deploy it with prefect.yaml (entrypoint flows/validate_batch.py:validate_batch).
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from gxbg import pipeline
from gxbg.engines import ENGINE_CHOICES
from gxbg.manifest import load_manifest
from gxbg.publish.summary import findings_rows, summarize, summary_markdown

DASK_ADDRESS_ENV = "GXBG_DASK_ADDRESS"
CHUNK_SIZE = 250
TABLE_ROWS = 1000  # findings shown in the table artifact; the files hold them all
# Artifact keys: lowercase letters, digits and dashes (Prefect's rule).
KEYS = {"progress": "validate-batch-progress", "summary": "validate-batch-summary",
        "findings": "validate-batch-findings"}  # fmt: skip

# The task functions are the library's own (not wrappers defined here), so Dask workers unpickle
# them by importing gxbg, whichever way this file was loaded. No caching: inputs are whole batches.
IO = {"retries": 2, "retry_delay_seconds": [2, 10], "cache_policy": NO_CACHE}
discover = task(pipeline.discover, name="discover", **IO)
load_history = task(pipeline.history_context, name="load-history", **IO)
check_rules = task(pipeline.check_rules, name="check-rules", cache_policy=NO_CACHE)
check_manifest = task(load_manifest, name="check-manifest", cache_policy=NO_CACHE)
parse_chunk = task(pipeline.parse_chunk, name="parse-chunk", cache_policy=NO_CACHE)
validate = task(pipeline.validate_parsed, name="validate", cache_policy=NO_CACHE)
store_history = task(pipeline.store_history, name="store-history", **IO)
publish = task(pipeline.publish, name="publish", **IO)


@flow(name="validate-batch")
def validate_batch(
    inbox: str,
    out: str,
    rules: str | None = None,
    engine: Literal["both", "pandera", "gx"] = "both",
    expected_agencies: str | None = None,
    task_runner: Literal["local", "dask"] = "local",
    dask_address: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    history_url: str | None = None,
) -> dict:
    """Validate every report in inbox (folder, file or glob) and publish the results in out.

    rules: rules folder (default: the repository's rules/annual_report); expected_agencies: CSV manifest
    (agency, year) for the coverage check; task_runner "dask" parses on a local Dask cluster, or on the
    cluster at dask_address (or $GXBG_DASK_ADDRESS); history_url: history database (default:
    $GXBG_DATABASE_URL, else SQLite in out).
    """
    rules = check_rules(rules)  # bad rule files or manifest: stop before parsing, saying file:line
    if expected_agencies:
        check_manifest(expected_agencies)
    progress_id = create_progress_artifact(0.0, key=KEYS["progress"], description="finding files")
    # The task runner is a parameter, so the steps run as a subflow given that runner. It gets the inbox,
    # not the file list: Prefect refuses flow parameters over 512 KB (about 8,000 paths).
    runner = _task_runner(task_runner, dask_address or os.environ.get(DASK_ADDRESS_ENV) or None)
    steps = validate_files.with_options(task_runner=runner)
    outcome, summary, table = steps(inbox, out, rules, list(ENGINE_CHOICES[engine]), expected_agencies, history_url,
                                    chunk_size, str(progress_id))  # fmt: skip
    create_markdown_artifact(summary, key=KEYS["summary"], description="run summary")
    create_table_artifact(table, key=KEYS["findings"],
                          description=f"findings, most severe first (at most {TABLE_ROWS}; all in findings.csv)")  # fmt: skip
    return outcome


@flow(name="validate-files")
def validate_files(
    inbox: str,
    out: str,
    rules: str,
    engines: list[str],
    expected_agencies: str | None,
    history_url: str | None,
    chunk_size: int,
    progress_id: str,
) -> tuple[dict, str, list[dict]]:
    """Find the files, parse them in chunks in parallel on the task runner; validate the whole batch as one
    frame per table, keep it in the history, publish. Returns the outcome, the summary as Markdown and the
    top findings: the batch itself stays inside this flow."""
    logger = get_run_logger()
    files = [str(f) for f in discover(inbox)]
    logger.info("%d files in %s", len(files), inbox)
    chunks = pipeline.chunked(files, chunk_size)
    total = len(files)
    if not total:
        update_progress_artifact(progress_id, 100.0, description="no files")
    futures = [parse_chunk.submit(chunk) for chunk in chunks]
    position = {id(f): i for i, f in enumerate(futures)}
    parts: dict[int, tuple] = {}
    for future in as_completed(futures):
        parts[position[id(future)]] = future.result()
        done = sum(len(chunks[i]) for i in parts)
        update_progress_artifact(progress_id, 100.0 * done / total, description=f"parsed {done}/{total} files")
        logger.info("parsed %d/%d files", done, total)
    reports, statuses = pipeline.merge_parsed(parts[i] for i in range(len(chunks)))
    logger.info("%d files, %d distinct reports: validating", len(statuses), len(reports))
    # quote(): Prefect would otherwise walk every field of every report looking for futures (seconds per
    # thousand reports).
    context = load_history(quote(reports), history_url, out)
    logger.info("%d earlier reports of these agencies from the history", len(context))
    # One validation over the whole batch, run here rather than submitted to the task runner: on Dask,
    # shipping every report to one worker would only add the transfer.
    result = validate(quote(reports), quote(statuses), rules, tuple(engines), expected_agencies, quote(context))
    history = store_history(quote(result), history_url, out)
    logger.info("history %s: %d new reports, %d new findings", history.database, history.new_reports,
                history.new_findings)  # fmt: skip
    published = publish(out, quote(result))
    for reason in published.skipped:
        logger.info("not published: %s", reason)
    summary = summarize(result.findings, result.reports)
    links = {name: published.paths[name] for name in ("site", "data_docs", "findings.csv", "reports.csv")
             if name in published.paths}  # fmt: skip
    outcome = {
        "files": summary.files,
        "parsed": summary.parsed,
        "statuses": summary.statuses,
        "severities": summary.severities,
        "outputs": {name: str(path) for name, path in published.paths.items()},
        "skipped": published.skipped,
        "history": history.database,
    }
    return outcome, summary_markdown(summary, links), findings_rows(result.findings, TABLE_ROWS)


def _task_runner(kind: str, address: str | None):
    """One thread for "local" (parsing holds the GIL: threads would not help); Dask processes otherwise."""
    if kind == "local":
        return ThreadPoolTaskRunner(max_workers=1)
    if kind != "dask":
        raise ValueError(f"task_runner must be 'local' or 'dask', not {kind!r}")
    from prefect_dask import DaskTaskRunner  # imports distributed: only when asked for

    if address:  # an existing cluster: its workers need gxbg installed and PREFECT_API_URL set
        return DaskTaskRunner(address=address)
    # Dask's INFO lines (workers starting and stopping) are not the run's log. Workers are new processes
    # that read their logging settings from the environment when they import distributed.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    with get_client(sync_client=True) as client:
        # Workers report their task runs to this run's API; without it each would start its own
        # temporary server when the flow runs on the embedded one.
        api_url = str(client.api_url)
    cluster = {
        "n_workers": os.cpu_count() or 1, "threads_per_worker": 1, "processes": True,  # parsing holds the GIL
        "env": {"PREFECT_API_URL": api_url}, "silence_logs": logging.WARNING, "dashboard_address": ":0",
    }  # fmt: skip
    return DaskTaskRunner(cluster_kwargs=cluster)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Run the validate-batch flow once, here.")
    parser.add_argument("inbox", help="folder, file or glob of reports")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--rules", default=None, help="rules folder")
    parser.add_argument("--engine", choices=list(ENGINE_CHOICES), default="both")
    parser.add_argument("--expected-agencies", default=None, metavar="CSV", help="manifest: agency,year per row")
    parser.add_argument("--task-runner", choices=["local", "dask"], default="local")
    parser.add_argument("--dask-address", default=None)
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
    args = parser.parse_args(argv)
    if not os.environ.get("PREFECT_API_URL"):  # the embedded API: it has no one to send telemetry to
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return validate_batch(inbox=args.inbox, out=str(Path(args.out)), rules=args.rules, engine=args.engine,
                          expected_agencies=args.expected_agencies, task_runner=args.task_runner,
                          dask_address=args.dask_address, chunk_size=args.chunk_size)  # fmt: skip


if __name__ == "__main__":
    print(main())
