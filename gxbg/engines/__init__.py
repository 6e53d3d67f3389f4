"""Engines layer: run the compiled checks with pandera and/or Great Expectations over the batch frames."""

from __future__ import annotations

import importlib

import pandas as pd

from gxbg.engines import background
from gxbg.engines.background import Background
from gxbg.engines.common import concat_failures, engine_frames, explain
from gxbg.kinds.ruleset import RuleSet
from gxbg.report.frames import BatchFrames

ENGINES = ("pandera", "gx")


def engine_module(name: str):
    # Imported on demand: GX alone takes seconds to import, and --engine pandera never needs it.
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; engines are {', '.join(ENGINES)}")
    return importlib.import_module(f"gxbg.engines.{name}_engine")


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
    frames = engine_frames(batch, ruleset)
    checks = ruleset.checks()
    aside = "gx" if "gx" in engines and len(engines) > 1 and len(batch.reports) >= BACKGROUND_MIN_REPORTS else None
    job = Background(_gx_job, frames, checks, gx_results is not None) if aside and background.available() else None
    memo: dict = {}
    try:
        raw = {name: _run_one(name, frames, checks, gx_results) for name in engines if not (job and name == aside)}
        if job:
            explain(concat_failures(list(raw.values())), frames, ruleset, memo)  # while GX runs
            raw[aside], results = job.result()
            if gx_results is not None:
                gx_results.extend(results)
    finally:
        if job:
            job.stop()
    return explain(concat_failures([raw[name] for name in engines]), frames, ruleset, memo)


def _run_one(name: str, frames: dict[str, pd.DataFrame], checks, gx_results: list | None) -> pd.DataFrame:
    if name != "gx":
        return engine_module(name).run(frames, checks)
    raw, results = _gx_job(frames, checks, gx_results is not None)
    if gx_results is not None:
        gx_results.extend(results)
    return raw


def _gx_job(frames: dict[str, pd.DataFrame], checks, keep: bool) -> tuple[pd.DataFrame, list[dict]]:
    results: list = []
    raw = engine_module("gx").run(frames, checks, keep=results if keep else None)
    return raw, [r.to_json_dict() for r in results]


__all__ = ["BACKGROUND_MIN_REPORTS", "ENGINES", "engine_frames", "engine_module", "run_engines"]
