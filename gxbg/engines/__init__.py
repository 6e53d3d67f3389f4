"""Engines layer: run the compiled checks with pandera and/or Great Expectations over the batch frames."""

from __future__ import annotations

import functools
import importlib
import multiprocessing
import sys
import threading
from collections.abc import Callable, Mapping

import pandas as pd

from gxbg.engines import background
from gxbg.engines.background import Background
from gxbg.engines.common import EXPLAINED_COLUMNS, checks_by_table, concat_failures, engine_frames, explain
from gxbg.kinds.ruleset import RuleSet
from gxbg.report.frames import BatchFrames
from gxbg.rules.tables import expected_rows

ENGINES = ("pandera", "gx")
# What --engine (the CLI) and engine (the flow) accept.
ENGINE_CHOICES = {"both": ENGINES, "pandera": ("pandera",), "gx": ("gx",)}


def engine_module(name: str):
    # Imported on demand: GX alone takes seconds to import, and --engine pandera never needs it.
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; engines are {', '.join(ENGINES)}")
    return importlib.import_module(f"gxbg.engines.{name}_engine")


# Each engine's function that registers every kind with its library (a pandera check, a GX expectation).
_REGISTER = {"pandera": "register_checks", "gx": "register_expectations"}


def load_engine(name: str):
    """The engine's module, imported, with every kind registered."""
    module = engine_module(name)
    getattr(module, _REGISTER[name])()
    return module


_warming: threading.Thread | None = None


def warm_up(engines: tuple[str, ...] = ENGINES) -> None:
    """Import the engines (GX: seconds; pandera: 0.1 s) in a thread of this process, for a caller whose own
    work waits on others (parse workers): the imports then cost no time later, when they would delay the
    batch's validation, and a process forked then has them already. run_engines waits for the thread
    (wait_for_warm_up) before it forks or imports."""
    global _warming
    if "gx" in engines and _warming is None:
        _warming = threading.Thread(target=_import_engines, args=(engines,), name="gxbg-warm-up", daemon=True)
        _warming.start()


def _import_engines(engines: tuple[str, ...]) -> None:
    for name in engines:
        try:
            load_engine(name)
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


# From this many reports on, a forked process shares the tables. Even small batches gain: the checks'
# fixed costs are shared too (measured with GX imported: 5, 20, 60 and 150 reports, 0.5-0.7 s faster).
BACKGROUND_MIN_REPORTS = 1


# What run_engines' caller may apply to each table's explained failures.
Then = Callable[[pd.DataFrame], pd.DataFrame]


def run_engines(
    batch: BatchFrames, ruleset: RuleSet, engines: tuple[str, ...] = ENGINES, gx_results: list | None = None,
    then: Then | None = None,
) -> pd.DataFrame:
    """Every failure each engine reports, located and explained (one row per engine and failure).

    Each table is one job: its frame built (engine_frames builds a table when first asked for), every
    engine run over it, its failures explained. From BACKGROUND_MIN_REPORTS reports on, a forked child
    and this process share the jobs, largest table first: building the frames, the engines and the
    explanations then all use both cores.

    then: applied to each table's explained failures by the process that validated the table (a caller's
    next step, such as making them findings, on both cores too); the tables' outputs are returned instead.

    gx_results: a list that receives GX's validation result of each table (for Data Docs), an
    ExpectationSuiteValidationResult, whether GX ran here or in a child process (which pickles it: ~1 ms
    for the requests table, where its to_json_dict() took ~50 ms; to_json_dict() gives its JSON)."""
    wait_for_warm_up()
    frames = engine_frames(batch, ruleset)
    work = checks_by_table(ruleset.checks())
    job = functools.partial(_table_job, frames, work, engines, ruleset, gx_results is not None, then)
    if len(batch.reports) >= BACKGROUND_MIN_REPORTS and len(work) > 1 and background.available():
        for name in engines:
            load_engine(name)  # before the fork: both processes validate with every engine, imported once
        done = _shared(job, largest_first(work, {table: expected_rows(batch, table) for table in work}))
    else:
        done = [job(table) for table in work]
    tables = list(work)
    done.sort(key=lambda item: tables.index(item[0]))  # the tables' own order, whoever validated which
    if gx_results is not None:
        gx_results.extend(result for _, _, results in done for result in results)
    parts = [output for _, output, _ in done if not output.empty]
    if parts:
        return pd.concat(parts, ignore_index=True)
    none = pd.DataFrame(columns=EXPLAINED_COLUMNS)
    return then(none) if then else none


def _table_job(frames: Mapping[str, pd.DataFrame], work: dict[str, list], engines: tuple[str, ...], ruleset: RuleSet,
               keep: bool, then: Then | None, table: str) -> tuple[str, pd.DataFrame, list]:  # fmt: skip
    """(table, its failures of every engine explained (then applied), GX's validation results)."""
    one = {table: frames[table]}
    memo: dict = {}  # each check's failures, computed by the first engine, read by the other and explain
    raw: list[pd.DataFrame] = []
    results: list = []
    for name in engines:
        if name == "pandera":
            raw.append(engine_module(name).run(one, work[table], memo))
        else:
            raw.append(engine_module(name).run(one, work[table], keep=results if keep else None, memo=memo))
    explained = explain(concat_failures(raw), one, ruleset, memo)
    return table, then(explained) if then else explained, results


def _shared(job: Callable[[str], tuple], order: list[str]) -> list[tuple]:
    """job(table) for every table, taken from one queue by this process and a forked child."""
    queue = TableQueue(order)
    child = Background(_take_all, job, queue)
    try:
        mine = _take_all(job, queue)
        return mine + child.result()
    finally:
        child.stop()


def _take_all(job: Callable[[str], tuple], queue: TableQueue) -> list[tuple]:
    done = []
    while (table := queue.take()) is not None:
        done.append(job(table))
    return done


# A check's fixed cost (GX's bookkeeping, pandera's schema) is about that of this many frame rows
# (measured at 10,000 reports: ~12 ms a check, ~0.1 µs a row and check).
CHECK_ROWS = 100_000


def largest_first(work: dict[str, list], rows: dict[str, int]) -> list[str]:
    """Tables by work, ~ (rows + CHECK_ROWS) x checks, largest first: the last ones taken are short."""
    return sorted(work, key=lambda table: -(rows[table] + CHECK_ROWS) * len(work[table]))


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


__all__ = [
    "BACKGROUND_MIN_REPORTS", "ENGINE_CHOICES", "ENGINES", "engine_frames", "engine_module", "run_engines", "wait_for_warm_up", "warm_up",
]
