"""pandera engine: each kind is a registered check method (gxbg_<kind>), so generated schemas
serialise to YAML and load back; one DataFrameSchema per table validates the whole batch frame."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera import errors, extensions

from gxbg.engines.common import concat_failures, failure_rows, table_work
from gxbg.kinds import Kind, kinds
from gxbg.kinds.cells import shared_tables
from gxbg.kinds.ruleset import Check

PREFIX = "gxbg_"
NAME = "pandera"


def check_name(kind_name: str) -> str:
    return PREFIX + kind_name


def register_checks() -> None:
    """Register every known kind as a pandera check method (before building or loading schemas)."""
    for kind in kinds().values():
        if not hasattr(pa.Check, check_name(kind.name)):
            stats = [*kind.param_names(), "target"]
            extensions.register_check_method(_check_function(kind, stats), statistics=stats, supported_types=pd.DataFrame)


# While run() is given a memo: each check's failures frame by _memo_key, so explaining the failures
# afterwards reads them instead of computing every rule a second time (a second at 10,000 reports).
# A context variable, not a global: runs in two threads (a flow's concurrent tasks) keep theirs apart.
_found: ContextVar[dict[tuple[str, str], pd.DataFrame] | None] = ContextVar("gxbg_pandera_found", default=None)


def _memo_key(kind_name: str, statistics: dict[str, Any]) -> tuple[str, str]:
    return kind_name, json.dumps(statistics, sort_keys=True, default=str)


def _check_function(kind: Kind, stats: list[str]):
    def check(frame: pd.DataFrame, **statistics) -> pd.Series:
        found = _found.get()
        key = _memo_key(kind.name, statistics) if found is not None else None
        target = statistics.pop("target")
        failures = kind.failures(frame, kind.make_params(statistics), target)
        if found is not None:
            found[key] = failures
        return kind.passes_from(frame, failures)

    check.__name__ = check_name(kind.name)
    # register_check_method reads the statistics off the signature.
    params = [inspect.Parameter("frame", inspect.Parameter.POSITIONAL_ONLY)]
    params += [inspect.Parameter(s, inspect.Parameter.KEYWORD_ONLY) for s in stats]
    check.__signature__ = inspect.Signature(params)
    return check


def build_schema(name: str, checks: list[Check]) -> pa.DataFrameSchema:
    register_checks()
    return pa.DataFrameSchema(
        checks=[
            getattr(pa.Check, check_name(c.kind))(**c.statistics, ignore_na=False, error=f"{c.rule_id} [{c.target}]")
            for c in checks
        ],
        name=name,
    )


def load_schema_yaml(text: str) -> pa.DataFrameSchema:
    register_checks()
    return pa.DataFrameSchema.from_yaml(text)


def run(frames: Mapping[str, pd.DataFrame], checks: list[Check], memo: dict | None = None) -> pd.DataFrame:
    """Failing (rule_id, target, frame index) of every check, one validation per table frame.

    memo: a dict that receives each check's failures frame (kind.failures) by (rule_id, target), as
    gxbg.engines.common.explain reads it."""
    failed, found = [], {} if memo is not None else None
    token = _found.set(found)
    try:
        with shared_tables():
            for table, frame, table_checks in table_work(frames, checks):
                try:
                    # inplace: the checks see the frame itself (no copy; the schema coerces nothing)
                    build_schema(table, table_checks).validate(frame, lazy=True, inplace=True)
                except errors.SchemaErrors as exc:
                    failed.append(_failures(exc.failure_cases, table_checks))
    finally:
        _found.reset(token)
    if memo is not None:
        for c in checks:
            key = _memo_key(c.kind, c.statistics)
            if key in found:
                memo[c.rule_id, c.target] = found[key]
    return concat_failures(failed)


def _failures(cases: pd.DataFrame, checks: list[Check]) -> pd.DataFrame:
    broken = cases[cases["index"].isna()]
    if not broken.empty:  # a check raised instead of answering: never read that as "passed"
        raise RuntimeError(f"pandera check failed to run: {broken['check'].iloc[0]}: {broken['failure_case'].iloc[0]}")
    hits = cases[["check_number", "index"]].drop_duplicates()
    rows = [
        {"rule_id": checks[n].rule_id, "table": checks[n].table, "target": checks[n].target, "index": int(i)}
        for n, i in zip(hits["check_number"].astype(int), hits["index"])
    ]
    return failure_rows(rows, NAME)
