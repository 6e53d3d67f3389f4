"""pandera engine: each kind is a registered check method (gxbg_<kind>), so generated schemas
serialise to YAML and load back; one DataFrameSchema per table validates the whole batch frame."""

from __future__ import annotations

import inspect

import pandas as pd
import pandera.pandas as pa
from pandera import errors, extensions

from gxbg.engines.common import concat_failures, failure_rows, table_work
from gxbg.kinds import Kind, kinds
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
        target = statistics.pop("target")
        return kind.passes(frame, kind.make_params(statistics), target)

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


def run(frames: dict[str, pd.DataFrame], checks: list[Check]) -> pd.DataFrame:
    """Failing (rule_id, target, frame index) of every check, one validation per table frame."""
    found = []
    for table, frame, table_checks in table_work(frames, checks):
        try:
            build_schema(table, table_checks).validate(frame, lazy=True)
        except errors.SchemaErrors as exc:
            found.append(_failures(exc.failure_cases, table_checks))
    return concat_failures(found)


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
