"""pandera engine: each kind is a registered check method (gxbg_<kind>), so generated schemas
serialise to YAML and load back; one DataFrameSchema per table validates the whole batch frame."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa
from pandera import errors, extensions

from gxbg.engines.common import concat_failures, failure_rows, kind_failures, memo_failures, table_work
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


def _check_function(kind: Kind, stats: list[str]):
    def check(frame: pd.DataFrame, **statistics) -> pd.Series:
        return kind.passes_from(frame, kind_failures(kind, frame, statistics))

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

    memo: each check's failures frame (kind.failures) by (rule_id, target), over these frames: read when
    there (the GX engine's run fills it too), added to when not; gxbg.engines.common.explain reads it."""
    failed = []
    with memo_failures(checks, memo), shared_tables():
        for table, frame, table_checks in table_work(frames, checks):
            try:
                # inplace: the checks see the frame itself (no copy; the schema coerces nothing)
                build_schema(table, table_checks).validate(frame, lazy=True, inplace=True)
            except errors.SchemaErrors as exc:
                failed.append(_failures(exc.failure_cases, table_checks))
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
