"""Engines layer: run the compiled checks with pandera and/or Great Expectations over the batch frames."""

from __future__ import annotations

import importlib

import pandas as pd

from gxbg.engines.common import concat_failures, engine_frames, explain
from gxbg.kinds.ruleset import RuleSet
from gxbg.report.frames import BatchFrames

ENGINES = ("pandera", "gx")


def engine_module(name: str):
    # Imported on demand: GX alone takes seconds to import, and --engine pandera never needs it.
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; engines are {', '.join(ENGINES)}")
    return importlib.import_module(f"gxbg.engines.{name}_engine")


def run_engines(
    batch: BatchFrames, ruleset: RuleSet, engines: tuple[str, ...] = ENGINES, gx_results: list | None = None
) -> pd.DataFrame:
    """Every failure each engine reports, located and explained (one row per engine and failure).

    gx_results: a list that receives GX's validation result of each table (for Data Docs)."""
    frames = engine_frames(batch, ruleset)
    checks = ruleset.checks()
    raw = concat_failures([_run_one(name, frames, checks, gx_results) for name in engines])
    return explain(raw, frames, ruleset)


def _run_one(name: str, frames: dict[str, pd.DataFrame], checks, gx_results: list | None) -> pd.DataFrame:
    if name == "gx" and gx_results is not None:
        return engine_module(name).run(frames, checks, keep=gx_results)
    return engine_module(name).run(frames, checks)


__all__ = ["ENGINES", "engine_frames", "engine_module", "run_engines"]
