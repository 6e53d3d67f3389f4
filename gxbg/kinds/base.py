"""What a rule kind is: its parameters (a dataclass named Params, fields = YAML keys), the columns it
checks one at a time, and the failures it finds. Engines compile a kind into a pandera check and a
GX expectation that both read its `failures` (computed once, gxbg.engines.common.kind_failures) as
`passes_from` gives them, so the two engines share one meaning of every rule."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any, Callable, ClassVar, Literal, Union

import pandas as pd

from gxbg.rules.tables import Table

# Frame columns every check may read, besides the values it names.
KEY_COLUMNS = ("report_id", "row")
VALUE_COLUMNS = ("observed", "expected")  # of a kind's failures frame


@dataclass(frozen=True)
class Ref:
    """A parameter whose value(s) must be codes of a table's rows or columns."""

    param: str
    table: str
    axis: Literal["row", "column"]


class Kind:
    """Base of every rule kind; a kind module defines a subclass and `KIND = Subclass()`."""

    name: ClassVar[str]
    Params: ClassVar[type]
    # Message fields a kind adds besides its parameters (balance: left, right). A kind may also return
    # them as columns of its failures frame, one value per failure (cross_year: previous_source).
    extra_fields: ClassVar[tuple[str, ...]] = ()
    # Tables a rule of this kind may name; None: any table.
    tables: ClassVar[tuple[str, ...] | None] = None

    def references(self, p: Any, table: str) -> list[Ref]:
        return []

    def problems(self, p: Any) -> list[tuple[str, str]]:
        """(parameter, message) for combinations the types alone cannot rule out."""
        return []

    def targets(self, p: Any, table: Table) -> list[str]:
        """Value columns checked one at a time; each failure is located in one of them."""
        raise NotImplementedError

    def reads(self, p: Any, target: str) -> list[str]:
        """Value (and helper) columns the check of one target reads."""
        raise NotImplementedError

    def helpers(self, p: Any) -> dict[str, Callable[[Mapping[str, pd.DataFrame]], pd.Series]]:
        """Helper columns from other tables: name -> function(table frames) -> Series by report_id."""
        return {}

    def failures(self, frame: pd.DataFrame, p: Any, target: str) -> pd.DataFrame:
        """Failing frame rows (index is a subset of frame.index) with observed and expected values;
        optionally a `line` column (the source line, when not the frame row's own) and columns named
        in extra_fields."""
        raise NotImplementedError

    def message_values(self, p: Any, observed: Any, expected: Any) -> dict[str, Any]:
        return {}

    @staticmethod
    def passes_from(frame: pd.DataFrame, failures: pd.DataFrame) -> pd.Series:
        """True where the rule holds or cannot be assessed (what both engines check), from its failures."""
        ok = pd.Series(True, index=frame.index, dtype=bool)
        ok.loc[failures.index] = False
        return ok

    # Parameters <-> plain dicts (what pandera statistics and GX kwargs hold).
    def param_names(self) -> list[str]:
        return [f.name for f in fields(self.Params)]

    def make_params(self, values: dict[str, Any]) -> Any:
        return self.Params(**{k: values[k] for k in self.param_names() if k in values})

    def param_dict(self, p: Any) -> dict[str, Any]:
        return {name: _plain(getattr(p, name)) for name in self.param_names()}


def per_axis_problems(p: Any) -> list[tuple[str, str]]:
    """rows goes with per: row, columns with per: column (kinds with a `per` parameter)."""
    out = []
    if p.per == "column" and p.rows is not None:
        out.append(("rows", "rows applies to per: row; use columns with per: column"))
    if p.per == "row" and p.columns is not None:
        out.append(("columns", "columns applies to per: column; use rows with per: row"))
    return out


def failure_frame(observed: pd.Series, expected: pd.Series | Any) -> pd.DataFrame:
    return pd.DataFrame({"observed": observed, "expected": expected}, index=observed.index).astype(object)


def no_failures() -> pd.DataFrame:
    return pd.DataFrame(columns=list(VALUE_COLUMNS), dtype=object)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# --- parameter types -------------------------------------------------------------------------


def check_params(kind: Kind, raw: dict[str, Any]) -> list[tuple[str, int | None, str]]:
    """(parameter, list index or None, message) for unknown, missing and mistyped parameters."""
    hints = typing.get_type_hints(kind.Params)
    problems: list[tuple[str, int | None, str]] = []
    known = {f.name: f for f in fields(kind.Params)}
    for key in raw:
        if key not in known:
            problems.append((key, None, f"unknown parameter '{key}' for kind {kind.name} (parameters: {', '.join(known)})"))
    for name, f in known.items():
        if name not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                problems.append((name, None, f"missing parameter '{name}' for kind {kind.name}"))
            continue
        problems += _type_problems(name, raw[name], hints[name])
    return problems


def _type_problems(name: str, value: Any, tp: Any) -> list[tuple[str, int | None, str]]:
    if _conforms(value, tp):
        if isinstance(value, list) and len(set(map(repr, value))) != len(value):
            return [(name, None, f"'{name}' lists a value twice")]
        if isinstance(value, list) and not value:
            return [(name, None, f"'{name}' must not be empty")]
        return []
    item = _list_item_type(tp)
    if item is not None and isinstance(value, list):
        return [(name, i, f"'{name}' item must be {describe(item)} (got {v!r})") for i, v in enumerate(value) if not _conforms(v, item)]
    return [(name, None, f"'{name}' must be {describe(tp)} (got {value!r})")]


def _conforms(value: Any, tp: Any) -> bool:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return True
    if origin in (Union, types.UnionType):
        return any(_conforms(value, a) for a in args)
    if tp is type(None):
        return value is None
    if origin is Literal:
        return value in args
    if origin is list:
        return isinstance(value, list) and all(_conforms(v, args[0]) for v in value)
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, tp)


def _list_item_type(tp: Any) -> Any:
    if typing.get_origin(tp) is list:
        return typing.get_args(tp)[0]
    for arg in typing.get_args(tp) if typing.get_origin(tp) in (Union, types.UnionType) else ():
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    return None


def describe(tp: Any) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if tp is type(None):
        return "null"
    if origin is Literal:
        return "one of " + ", ".join(map(str, args))
    if origin is list:
        return f"a list of {describe(args[0])}"
    return {str: "text", bool: "true or false", int: "an integer", float: "a number"}.get(tp, str(tp))
