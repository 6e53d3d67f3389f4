"""What both engines share: the frames they validate and the shape of what they report."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pandas as pd

from gxbg.kinds.base import KEY_COLUMNS, Kind
from gxbg.kinds.cells import shared_tables
from gxbg.kinds.ruleset import Check, RuleSet
from gxbg.report.frames import BatchFrames
from gxbg.rules.tables import LazyTables, lazy_table_frames

# Raw engine output: which check failed on which frame row.
FAILURE_COLUMNS = ["rule_id", "table", "target", "index", "engine"]
# After `explain`: located in the report and with the values auditors read; `details` holds a dict of
# the kind's extra fields and of the frame's CONTEXT_COLUMNS for each failure.
EXPLAINED_COLUMNS = [*FAILURE_COLUMNS, "report_id", "row", "line", "observed", "expected", "details"]
# Frame columns a failure carries when its frame has them: where a statement sits (facts), or the
# report of a row without one in the batch (a manifest entry).
CONTEXT_COLUMNS = ("source", "agency", "year", "section")


def failure_rows(rows: list[dict], engine: str) -> pd.DataFrame:
    """Raw failures from dicts of rule_id, table, target, index."""
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS[:-1]).assign(engine=engine)


def concat_failures(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FAILURE_COLUMNS)


def checks_by_table(checks: list[Check]) -> dict[str, list[Check]]:
    out: dict[str, list[Check]] = {}
    for check in checks:
        out.setdefault(check.table, []).append(check)
    return out


# While an engine runs with a memo (memo_failures): each check's failures frame by (kind, statistics), the
# only identity an engine's check callback sees. An engine then computes no check that the other engine
# or an earlier call over the same frames already did, and explain reads them too (each rule computed once
# per table instead of three times: a second of CPU at 10,000 reports). A context variable, not a global:
# runs in two threads (a flow's concurrent tasks) keep theirs apart.
_found: ContextVar[dict[tuple[str, str], pd.DataFrame] | None] = ContextVar("gxbg_found_failures", default=None)


def _check_key(kind_name: str, statistics: dict[str, Any]) -> tuple[str, str]:
    return kind_name, json.dumps(statistics, sort_keys=True, default=str)


@contextmanager
def memo_failures(checks: list[Check], memo: dict | None) -> Iterator[None]:
    """Inside, kind_failures reads the checks' failures from memo (by rule_id, target) and adds the ones
    it computes; memo None: nothing kept. memo must belong to the same frames."""
    keys = {(c.rule_id, c.target): _check_key(c.kind, c.statistics) for c in checks} if memo is not None else {}
    found = {key: memo[check] for check, key in keys.items() if check in memo} if memo is not None else None
    token = _found.set(found)
    try:
        yield
    finally:
        _found.reset(token)
    if memo is not None and found is not None:
        memo.update({check: found[key] for check, key in keys.items() if key in found})


def kind_failures(kind: Kind, frame: pd.DataFrame, statistics: dict[str, Any]) -> pd.DataFrame:
    """kind.failures for one check given as the engines carry it (parameters and target), from the memo
    when memo_failures holds them."""
    found = _found.get()
    if found is None:
        return _failures(kind, frame, statistics)
    key = _check_key(kind.name, statistics)
    if key not in found:
        found[key] = _failures(kind, frame, statistics)
    return found[key]


def _failures(kind: Kind, frame: pd.DataFrame, statistics: dict[str, Any]) -> pd.DataFrame:
    params = {k: v for k, v in statistics.items() if k != "target"}
    return kind.failures(frame, kind.make_params(params), statistics["target"])


def table_work(frames: Mapping[str, pd.DataFrame], checks: list[Check]):
    """(table, frame, its checks) for every table with rows and checks: one validation each."""
    for table, table_checks in checks_by_table(checks).items():
        if not frames[table].empty:
            yield table, frames[table], table_checks


def engine_frames(batch: BatchFrames, ruleset: RuleSet) -> LazyTables:
    """One frame per table for the whole batch, with the helper columns the rules ask for; each built when
    first asked for, with the keyed tables its helper columns are computed from."""
    tables = lazy_table_frames(batch)
    keyed = LazyTables(tables, lambda name: _keyed(tables[name].reset_index(drop=True)))
    helpers = ruleset.helpers()
    return LazyTables(tables, lambda name: _with_helpers(keyed[name], helpers.get(name, {}), keyed))


def _with_helpers(frame: pd.DataFrame, helpers: dict, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    values = {name: fn(tables) for name, fn in helpers.items()}  # all read before any is added
    for name, by_report in values.items():
        frame[name] = frame["report_id"].map(by_report).astype("Float64")
    return frame


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    # The key columns every kind groups, filters and matches on, as categoricals: those work on integer
    # codes, not strings (pandera and explanation ~25% faster at 10,000 reports, the same failures).
    keys = {c: "category" for c in KEY_COLUMNS if c in frame.columns}
    return frame.astype(keys) if keys else frame


def explain(
    raw: pd.DataFrame, frames: Mapping[str, pd.DataFrame], ruleset: RuleSet, memo: dict | None = None
) -> pd.DataFrame:
    """Add report_id, row, line and the kind's observed/expected values to raw engine failures.

    memo: the kinds' failures by (rule_id, target), kept across calls on the same frames."""
    parts = []
    memo = {} if memo is None else memo
    with shared_tables():
        for (rule_id, target), group in raw.groupby(["rule_id", "target"], sort=False):
            parts.append(_explained(rule_id, target, group, frames, ruleset, memo))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=EXPLAINED_COLUMNS)


def _explained(rule_id: str, target: str, group: pd.DataFrame, frames: Mapping[str, pd.DataFrame], ruleset: RuleSet,
               memo: dict) -> pd.DataFrame:  # fmt: skip
    bound = ruleset.rule(rule_id)
    frame = frames[bound.rule.table]
    if (rule_id, target) not in memo:
        memo[rule_id, target] = bound.kind.failures(frame, bound.params, target)
    values = memo[rule_id, target].reindex(group["index"].to_numpy())
    where = frame.loc[group["index"].to_numpy(), ["report_id", "row", "line"]]
    return group.reset_index(drop=True).assign(
        report_id=where["report_id"].to_numpy(),
        row=where["row"].to_numpy(),
        line=_lines(where["line"], values),
        observed=values["observed"].to_numpy(),
        expected=values["expected"].to_numpy(),
        details=_details(frame.loc[group["index"].to_numpy()], values, bound.kind.extra_fields),
    )


def _lines(rows: pd.Series, values: pd.DataFrame) -> pd.array:
    """The frame row's line, unless the kind located the failure on another source line."""
    lines = pd.array(rows.to_numpy(), dtype="Int64")
    if "line" not in values:
        return lines
    own = pd.array(pd.to_numeric(values["line"], errors="coerce").to_numpy(), dtype="Float64").round().astype("Int64")
    return pd.array(pd.Series(own).fillna(pd.Series(lines)).to_numpy(), dtype="Int64")


def _details(rows: pd.DataFrame, values: pd.DataFrame, extra: tuple[str, ...]) -> list[dict]:
    context = [c for c in CONTEXT_COLUMNS if c in rows]
    mine = [c for c in extra if c in values]
    records = zip(rows[context].to_dict("records"), values[mine].to_dict("records"))
    return [{k: v for k, v in {**a, **b}.items() if v is not None and v is not pd.NA} for a, b in records]
