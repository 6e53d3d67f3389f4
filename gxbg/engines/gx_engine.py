"""Great Expectations engine: each kind becomes a custom MulticolumnMapExpectation
(expect_gxbg_<kind>) whose metric calls the kind's `passes`; one suite per table validates the
whole batch frame in one call (one validation per batch, not per report: ~0.2 s per 1,000 reports
against ~120 ms per report with a checkpoint each).

GX has no built-in for sums with blank cells, cross-row totals or whole-number checks on decimals,
and UnexpectedRowsExpectation is SQL-only, so every kind is a custom expectation. Custom
expectations exist only once their classes are defined: `register_expectations()` runs before any
suite is built or loaded (a suite loaded without it silently drops the unknown expectations).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd

from gxbg.engines.deferred import deferred

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

with deferred("scipy.stats", "altair"):  # read only by code gxbg never runs (deferred.py)
    import great_expectations as gx  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine import PandasExecutionEngine  # noqa: E402
from great_expectations.expectations.expectation import MulticolumnMapExpectation  # noqa: E402
from great_expectations.expectations.expectation_configuration import parse_result_format  # noqa: E402
from great_expectations.expectations.metrics.map_metric_provider import MulticolumnMapMetricProvider  # noqa: E402
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (  # noqa: E402
    multicolumn_condition_partial,
)

from gxbg.engines.common import concat_failures, failure_rows, kind_failures, memo_failures, table_work  # noqa: E402
from gxbg.kinds import Kind, kinds  # noqa: E402
from gxbg.kinds.cells import shared_tables  # noqa: E402
from gxbg.kinds.ruleset import Check  # noqa: E402

NAME = "gx"
DATASOURCE = "gxbg"
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}


class GxbgMetric(MulticolumnMapMetricProvider):
    """Metric body shared by every kind; subclasses set condition_metric_name and kind."""

    kind: ClassVar[Kind]
    condition_domain_keys = ("batch_id", "table", "column_list", "row_condition", "condition_parser", "ignore_row_if")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, **kwargs: Any) -> pd.Series:
        statistics = {name: kwargs[name] for name in cls.condition_value_keys}
        return cls.kind.passes_from(column_list, kind_failures(cls.kind, column_list, statistics))


class OneConfiguration(MulticolumnMapExpectation):
    """GX's kwargs lookups, building the expectation's configuration once per lookup instead of once per
    key: GX rebuilds it (a pydantic .dict()) for every key, ~300 times per expectation per validation,
    a second of a 10,000-report run (the runtime kwargs: another 0.1 s). Same values as GX's own methods
    (tests/engines compare them)."""

    def _get_domain_kwargs(self) -> dict[str, Any]:
        kwargs = self.configuration.kwargs
        return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}

    def _get_success_kwargs(self) -> dict[str, Any]:
        kwargs = self.configuration.kwargs
        found = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
        return found | {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}

    def _get_runtime_kwargs(self, runtime_configuration: dict | None = None) -> dict[str, Any]:
        given, kwargs = runtime_configuration or {}, self.configuration.kwargs
        found = {key: given.get(key, kwargs.get(key, self._get_default_value(key))) for key in self.runtime_keys}
        found |= self._get_success_kwargs()
        found["result_format"] = parse_result_format(found["result_format"])
        return found


def expectation_type(kind_name: str) -> str:
    return f"expect_gxbg_{kind_name}"


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@functools.cache
def _expectation_class(kind: Kind) -> type:
    stats = (*kind.param_names(), "target")
    metric = f"gxbg.{kind.name}"
    type(f"Gxbg{_camel(kind.name)}Metric", (GxbgMetric,),
         {"condition_metric_name": metric, "condition_value_keys": stats, "kind": kind, "__module__": __name__})
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": f"gxbg rule kind {kind.name}: {type(kind).__doc__ or ''}",
        # parameters are checked by gxbg's rule loader; here they only travel
        "__annotations__": {**{s: Any for s in stats}, "ignore_row_if": Literal["all_values_are_missing", "any_value_is_missing", "never"]},
        **{s: None for s in stats},
        "ignore_row_if": "never",  # blanks are the kind's business, not GX's
        "map_metric": metric,
        "success_keys": ("mostly", *stats),
    }
    return type(f"ExpectGxbg{_camel(kind.name)}", (OneConfiguration,), namespace)


def register_expectations() -> dict[str, type]:
    """Define (once) the custom expectation of every known kind; call before loading suites."""
    return {expectation_type(k.name): _expectation_class(k) for k in kinds().values()}


def build_suite(name: str, checks: list[Check]) -> gx.ExpectationSuite:
    classes = register_expectations()
    expectations = [
        classes[expectation_type(c.kind)](
            column_list=list(c.reads),
            **c.statistics,
            meta={"rule_id": c.rule_id, "target": c.target},
            severity=GX_SEVERITY[c.severity],
        )
        for c in checks
    ]
    return gx.ExpectationSuite(name=name, expectations=expectations)


def suite_json(suite: gx.ExpectationSuite) -> str:
    return json.dumps(suite.to_json_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def load_suite(path: str | Path) -> gx.ExpectationSuite:
    register_expectations()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**data)
    if len(suite.expectations) != len(data.get("expectations", [])):
        raise RuntimeError(f"{path}: some expectations did not load (unknown expectation types?)")
    return suite


@functools.cache
def project_context():
    """This process's GX project (ephemeral, made once). GX's suite and validation internals need a current
    project: the Data Docs builder calls this too, since GX may have run in another process."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


@functools.cache
def _batch_definition(table: str):
    context = project_context()
    source = context.data_sources.all().get(DATASOURCE) or context.data_sources.add_pandas(DATASOURCE)
    return source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("batch")


def validate_suite(
    table: str, frame: pd.DataFrame, suite: gx.ExpectationSuite, keep: list | None = None
) -> pd.DataFrame:
    """Failing (rule_id, target, frame index) of one suite over one table frame.

    keep: a list that receives GX's ExpectationSuiteValidationResult (for Data Docs)."""
    batch = _batch_definition(table).get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format="COMPLETE")
    if keep is not None:
        keep.append(result)
    rows = []
    for item in result.results:
        if _raised(item.exception_info):  # a metric that raised must not read as "passed"
            raise RuntimeError(f"GX expectation {item.expectation_config.meta} failed to run: {item.exception_info}")
        meta = item.expectation_config.meta
        rows += [
            {"rule_id": meta["rule_id"], "table": table, "target": meta["target"], "index": int(i)}
            for i in item.result.get("unexpected_index_list") or []
        ]
    return failure_rows(rows, NAME)


def _raised(info: Any) -> bool:
    if isinstance(info, dict):
        return bool(info.get("raised_exception")) or any(_raised(v) for v in info.values() if isinstance(v, dict))
    return False


def run(
    frames: Mapping[str, pd.DataFrame], checks: list[Check], keep: list | None = None, memo: dict | None = None
) -> pd.DataFrame:
    """Failures of every table's suite; keep (a list) also receives each table's validation result.

    memo: each check's failures frame by (rule_id, target), over these frames, read and added to as by
    the pandera engine's run."""
    with memo_failures(checks, memo), shared_tables():
        found = [
            validate_suite(table, frame, build_suite(table, table_checks), keep)
            for table, frame, table_checks in table_work(frames, checks)
        ]
    return concat_failures(found)
