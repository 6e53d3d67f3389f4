"""Rules bound to their kinds: parameter checks with locations, and the compiled checks engines run.

One Check is one rule on one target column of one table; pandera and GX get the same list.
"""

from __future__ import annotations

import copy
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxbg.kinds import get_kind, kinds, plugin_errors
from gxbg.kinds.base import KEY_COLUMNS, Kind, check_params
from gxbg.rules.loader import load_rule_files, rule_files
from gxbg.rules.model import Location, Problem, Rule, RuleSetError
from gxbg.rules.tables import TABLES

# Fields every message may use besides the kind's parameters.
MESSAGE_FIELDS = ("observed", "expected", "row", "column", "report_id", "agency", "year", "source", "rule_id", "table")


@dataclass(frozen=True)
class Check:
    rule_id: str
    kind: str
    table: str
    target: str
    params: dict[str, Any]
    reads: tuple[str, ...]  # frame columns, keys first
    severity: str

    @property
    def statistics(self) -> dict[str, Any]:
        """What pandera statistics and GX kwargs carry: the parameters plus the target column
        (copied, so serialised schemas spell every list out instead of sharing YAML anchors)."""
        return {**copy.deepcopy(self.params), "target": self.target}


@dataclass
class BoundRule:
    rule: Rule
    kind: Kind
    params: Any  # kind.Params

    def checks(self) -> list[Check]:
        table = TABLES[self.rule.table]
        params = self.kind.param_dict(self.params)
        return [
            Check(
                self.rule.id, self.kind.name, table.name, target, params,
                _unique([*KEY_COLUMNS, *self.kind.reads(self.params, target)]), self.rule.severity,
            )  # fmt: skip
            for target in self.kind.targets(self.params, table)
        ]


@dataclass
class RuleSet:
    name: str
    rules: list[BoundRule]

    def __post_init__(self) -> None:
        self._by_id = {b.rule.id: b for b in self.rules}

    def rule(self, rule_id: str) -> BoundRule:
        return self._by_id[rule_id]

    def checks(self) -> list[Check]:
        return [check for bound in self.rules for check in bound.checks()]

    def helpers(self) -> dict[str, dict[str, Any]]:
        """table -> helper column name -> function(table frames) -> Series by report_id."""
        out: dict[str, dict[str, Any]] = {}
        for bound in self.rules:
            out.setdefault(bound.rule.table, {}).update(bound.kind.helpers(bound.params))
        return out


def load_ruleset(folder: str | Path) -> RuleSet:
    """Every rule under a folder, checked; raises RuleSetError listing each problem."""
    rules, problems = read_rules(folder)
    bound, bind_problems = bind_rules(rules)
    problems += bind_problems
    if problems:
        raise RuleSetError(problems)
    return RuleSet(Path(folder).name, bound)


def check_rules(folder: str | Path) -> list[Problem]:
    try:
        load_ruleset(folder)
    except RuleSetError as exc:
        return exc.problems
    return []


def read_rules(folder: str | Path) -> tuple[list[Rule], list[Problem]]:
    folder = Path(folder)
    if not folder.is_dir():
        return [], [Problem(Location(str(folder), 1, 1), "rules folder not found")]
    if not rule_files(folder):
        return [], [Problem(Location(str(folder), 1, 1), "no rule files (*.yaml) in this folder")]
    return load_rule_files(folder)


def bind_rules(rules: list[Rule]) -> tuple[list[BoundRule], list[Problem]]:
    bound, problems = [], []
    for rule in rules:
        item, item_problems = bind_rule(rule)
        problems += item_problems
        if item is not None:
            bound.append(item)
    return bound, problems


def bind_rule(rule: Rule) -> tuple[BoundRule | None, list[Problem]]:
    kind = get_kind(rule.kind)
    if kind is None:
        known = ", ".join(sorted(kinds()))
        extra = "".join(f"; {e}" for e in plugin_errors())
        return None, [Problem(rule.mark("kind"), f"unknown kind '{rule.kind}' (kinds: {known}){extra}")]
    problems = [Problem(rule.mark(p, i), msg) for p, i, msg in check_params(kind, rule.params)]
    if problems:
        return None, problems
    params = kind.make_params(rule.params)
    if kind.tables is not None and rule.table not in kind.tables:
        problems.append(Problem(rule.mark("table"), f"kind {kind.name} works on table {' or '.join(kind.tables)}"))
    problems += [Problem(rule.mark(p), msg) for p, msg in kind.problems(params)]
    problems += _code_problems(rule, kind, params)
    problems += _message_problems(rule, kind)
    return (None if problems else BoundRule(rule, kind, params)), problems


def _code_problems(rule: Rule, kind: Kind, params: Any) -> list[Problem]:
    problems = []
    for ref in kind.references(params, rule.table):
        value, table = getattr(params, ref.param), TABLES.get(ref.table)
        if value is None or table is None:
            continue
        allowed = table.rows if ref.axis == "row" else table.columns
        values = [value] if isinstance(value, str) else list(value)
        for i, code in enumerate(values):
            if code not in allowed:
                where = rule.mark(ref.param, None if isinstance(value, str) else i)
                problems.append(Problem(where, f"unknown {ref.axis} code '{code}' in table {table.name} ({ref.param})"))
    return problems


def _message_problems(rule: Rule, kind: Kind) -> list[Problem]:
    allowed = {*kind.param_names(), *MESSAGE_FIELDS, *kind.extra_fields}
    try:
        parts = list(string.Formatter().parse(rule.message))
    except ValueError as exc:
        return [Problem(rule.mark("message"), f"message template: {exc}")]
    problems = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            problems.append(
                Problem(rule.mark("message"), f"message field '{{{name}}}' unknown; use plain {{name}} of: {', '.join(sorted(allowed))}")
            )
    return problems


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
