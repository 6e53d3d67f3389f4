"""Kinds layer: the registry of rule kinds, built-in and from plugins.

A plugin package adds kinds through the entry-point group "gxbg.kinds"; each entry point names a
Kind instance, a Kind subclass, or a module with a KIND attribute, e.g. in its pyproject.toml:

    [project.entry-points."gxbg.kinds"]
    ratio = "my_package.ratio:KIND"
"""

from __future__ import annotations

import functools
import importlib.metadata
from types import ModuleType
from typing import Any

from gxbg.kinds import (
    balance,
    column_sum,
    cross_year,
    fee_narrative,
    row_sum,
    text_table,
    value_domain,
    year_coverage,
    zero_consistency,
)
from gxbg.kinds.base import Kind, Ref

ENTRY_POINT_GROUP = "gxbg.kinds"
BUILTIN: dict[str, Kind] = {
    k.name: k
    for k in (
        row_sum.KIND, column_sum.KIND, balance.KIND, zero_consistency.KIND, value_domain.KIND,
        text_table.KIND, fee_narrative.KIND, year_coverage.KIND, cross_year.KIND,
    )  # fmt: skip
}


@functools.cache
def _registry() -> tuple[dict[str, Kind], tuple[str, ...]]:
    found, errors = dict(BUILTIN), []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            kind = _as_kind(ep.load())
        except Exception as exc:  # a broken plugin must not take the built-in kinds down with it
            errors.append(f"plugin kind '{ep.name}' ({ep.value}) failed to load: {exc}")
            continue
        if kind.name in BUILTIN:
            errors.append(f"plugin kind '{kind.name}' ({ep.value}) ignored: a built-in kind has that name")
            continue
        found[kind.name] = kind
    return found, tuple(errors)


def _as_kind(obj: Any) -> Kind:
    if isinstance(obj, ModuleType):
        obj = getattr(obj, "KIND", None)
    if isinstance(obj, type) and issubclass(obj, Kind):
        obj = obj()
    if not isinstance(obj, Kind):
        raise TypeError("entry point must name a gxbg.kinds.base.Kind (instance, subclass or module with KIND)")
    return obj


def kinds() -> dict[str, Kind]:
    return _registry()[0]


def plugin_errors() -> tuple[str, ...]:
    return _registry()[1]


def get_kind(name: str) -> Kind | None:
    return kinds().get(name)


def reload_kinds() -> None:
    """Look for plugins again (after installing one, or in tests)."""
    _registry.cache_clear()


__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "Kind", "Ref", "get_kind", "kinds", "plugin_errors", "reload_kinds"]
