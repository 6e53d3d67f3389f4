"""What both engines share: the frames they validate and the shape of what they report."""

from __future__ import annotations

import pandas as pd

from gxbg.kinds.ruleset import Check, RuleSet
from gxbg.report.frames import BatchFrames
from gxbg.rules.tables import table_frames

# Raw engine output: which check failed on which frame row.
FAILURE_COLUMNS = ["rule_id", "table", "target", "index", "engine"]
# After `explain`: located in the report and with the values auditors read.
EXPLAINED_COLUMNS = [*FAILURE_COLUMNS, "report_id", "row", "line", "observed", "expected"]


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


def table_work(frames: dict[str, pd.DataFrame], checks: list[Check]):
    """(table, frame, its checks) for every table with rows and checks: one validation each."""
    for table, table_checks in checks_by_table(checks).items():
        if not frames[table].empty:
            yield table, frames[table], table_checks


def engine_frames(batch: BatchFrames, ruleset: RuleSet) -> dict[str, pd.DataFrame]:
    """One frame per table for the whole batch, with the helper columns the rules ask for."""
    frames = {name: frame.reset_index(drop=True) for name, frame in table_frames(batch).items()}
    helper_values = {
        (table, name): fn(frames) for table, helpers in ruleset.helpers().items() for name, fn in helpers.items()
    }
    for (table, name), by_report in helper_values.items():
        frames[table][name] = frames[table]["report_id"].map(by_report).astype("Float64")
    return frames


def explain(raw: pd.DataFrame, frames: dict[str, pd.DataFrame], ruleset: RuleSet) -> pd.DataFrame:
    """Add report_id, row, line and the kind's observed/expected values to raw engine failures."""
    parts = []
    for (rule_id, target), group in raw.groupby(["rule_id", "target"], sort=False):
        bound = ruleset.rule(rule_id)
        frame = frames[bound.rule.table]
        values = bound.kind.failures(frame, bound.params, target).reindex(group["index"].to_numpy())
        where = frame.loc[group["index"].to_numpy(), ["report_id", "row", "line"]]
        parts.append(
            group.reset_index(drop=True).assign(
                report_id=where["report_id"].to_numpy(),
                row=where["row"].to_numpy(),
                line=where["line"].to_numpy(),
                observed=values["observed"].to_numpy(),
                expected=values["expected"].to_numpy(),
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=EXPLAINED_COLUMNS)
