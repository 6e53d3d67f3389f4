"""Engines layer: run the compiled checks with pandera and/or Great Expectations over the batch frames."""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import threading

import pandas as pd

from gxbg.engines import background
from gxbg.engines.background import Background
from gxbg.engines.common import concat_failures, engine_frames, explain, table_work
from gxbg.kinds.ruleset import RuleSet
from gxbg.report.frames import BatchFrames

ENGINES = ("pandera", "gx")
# What --engine (the CLI) and engine (the flow) accept.
ENGINE_CHOICES = {"both": ENGINES, "pandera": ("pandera",), "gx": ("gx",)}


def engine_module(name: str):
    # Imported on demand: GX alone takes seconds to import, and --engine pandera never needs it.
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; engines are {', '.join(ENGINES)}")
    return importlib.import_module(f"gxbg.engines.{name}_engine")


_warming: threading.Thread | None = None


def warm_up(engines: tuple[str, ...] = ENGINES) -> None:
    """Import GX (seconds) in a thread of this process, for a caller whose own work waits on others (parse
    workers): GX's import then costs no time later, when it would delay the batch's validation, and a GX
    process forked then has it already. run_engines waits for the thread (wait_for_warm_up) before it
    forks or imports."""
    global _warming
    if "gx" in engines and _warming is None:
        _warming = threading.Thread(target=_import_gx, name="gxbg-warm-up", daemon=True)
        _warming.start()


def _import_gx() -> None:
    try:
        engine_module("gx").register_expectations()
    except Exception:  # noqa: BLE001 - the import proper, later, raises it where it is reported
        pass


def gx_imported() -> bool:
    return f"{__name__}.gx_engine" in sys.modules


def wait_for_warm_up() -> None:
    """Returns once warm_up's import is over. Call before forking: a child forked during the import would
    inherit import locks held by a thread it lacks."""
    global _warming
    thread = _warming  # read once: another thread of this process may clear it meanwhile
    if thread is not None:
        thread.join()
        _warming = None


# From this many reports on, GX runs in a forked process beside pandera (below, forking and GX's
# import in the child cost more than they save).
BACKGROUND_MIN_REPORTS = 300


def run_engines(
    batch: BatchFrames, ruleset: RuleSet, engines: tuple[str, ...] = ENGINES, gx_results: list | None = None
) -> pd.DataFrame:
    """Every failure each engine reports, located and explained (one row per engine and failure).

    gx_results: a list that receives GX's validation result of each table (for Data Docs) as its JSON
    dict (ExpectationSuiteValidationResult.to_json_dict()): the same whether GX ran here or in a child
    process, and readable without importing GX."""
    wait_for_warm_up()
    frames = engine_frames(batch, ruleset)
    checks = ruleset.checks()
    aside = "gx" in engines and len(engines) > 1 and len(batch.reports) >= BACKGROUND_MIN_REPORTS
    memo: dict = {}
    if aside and background.available():
        raw = _both_with_gx_aside(frames, checks, gx_results, memo)
    else:
        raw = {name: _run_one(name, frames, checks, gx_results, memo) for name in engines}
    return explain(concat_failures([raw[name] for name in engines]), frames, ruleset, memo)


def _run_one(name: str, frames: dict[str, pd.DataFrame], checks, gx_results: list | None, memo: dict) -> pd.DataFrame:
    if name == "pandera":
        return engine_module(name).run(frames, checks, memo)  # its failures frames fill explain's memo
    raw, results = _gx_job(frames, checks, gx_results is not None)
    if gx_results is not None:
        gx_results.extend(results)
    return raw


def _gx_job(frames: dict[str, pd.DataFrame], checks, keep: bool) -> tuple[pd.DataFrame, list[dict]]:
    results: list = []
    raw = engine_module("gx").run(frames, checks, keep=results if keep else None)
    return raw, [r.to_json_dict() for r in results]


def _both_with_gx_aside(frames: dict[str, pd.DataFrame], checks, gx_results: list | None, memo: dict) -> dict:
    """pandera here while a forked child validates GX's tables; once pandera is done, this process takes
    GX's tables the child has not started. GX costs more than pandera (and its child sends its results
    back), so a fixed split would leave one core idle: the shared queue balances them whatever the batch.
    Only when GX is imported here already (warm_up): importing it now would cost more than the tables."""
    work = {table: table_checks for table, _, table_checks in table_work(frames, checks)}
    queue = TableQueue(largest_first(work, frames))
    job = Background(_gx_tables, frames, work, queue, gx_results is not None)
    try:
        pandera = _run_one("pandera", frames, checks, None, memo)
        mine = _gx_tables(frames, work, queue, gx_results is not None) if gx_imported() else []
        done = mine + job.result()
    finally:
        job.stop()
    tables = list(work)
    done.sort(key=lambda item: tables.index(item[0]))  # as GX alone orders them, whoever validated which
    if gx_results is not None:
        gx_results.extend(result for _, _, results in done for result in results)
    return {"pandera": pandera, "gx": concat_failures([raw for _, raw, _ in done])}


def largest_first(work: dict[str, list], frames: dict[str, pd.DataFrame]) -> list[str]:
    """Tables by work, ~ rows x checks, largest first: the last tables taken are then the short ones."""
    return sorted(work, key=lambda table: -len(frames[table]) * len(work[table]))


class TableQueue:
    """Tables in order, each taken once by whichever process asks next (a counter in shared memory)."""

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self._next = multiprocessing.get_context("fork").Value("i", 0)

    def take(self) -> str | None:
        with self._next.get_lock():
            position = self._next.value
            self._next.value += 1
        return self.order[position] if position < len(self.order) else None


def _gx_tables(
    frames: dict[str, pd.DataFrame], work: dict[str, list], queue: TableQueue, keep: bool
) -> list[tuple[str, pd.DataFrame, list[dict]]]:
    """(table, failures, results) of each table taken from the queue until it is empty; work: each
    table's checks."""
    done = []
    while (table := queue.take()) is not None:
        done.append((table, *_gx_job(frames, work[table], keep)))
    return done


__all__ = [
    "BACKGROUND_MIN_REPORTS", "ENGINE_CHOICES", "ENGINES", "engine_frames", "engine_module", "run_engines", "wait_for_warm_up", "warm_up",
]
