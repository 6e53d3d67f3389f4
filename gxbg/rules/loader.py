"""Read rule files: YAML lists of rules, keeping where every value was written.

Only the kind-independent checks live here (structure, required keys, severity, category, table,
duplicate ids); a kind checks its own parameters in gxbg.kinds.ruleset.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gxbg.rules.model import (
    CATEGORIES,
    OPTIONAL_KEYS,
    REQUIRED_KEYS,
    SEVERITIES,
    Location,
    Problem,
    Rule,
)
from gxbg.rules.tables import TABLES

RULE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class MarkedMap(dict):
    """A YAML mapping that remembers where it and each of its values start."""

    start: yaml.Mark
    value_marks: dict[Any, yaml.Mark]
    duplicates: list[tuple[Any, yaml.Mark]]


class MarkedList(list):
    start: yaml.Mark
    item_marks: list[yaml.Mark]


class MarkedLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings and lists carry their marks."""


def _construct_mapping(loader: MarkedLoader, node: yaml.MappingNode) -> MarkedMap:
    loader.flatten_mapping(node)
    out = MarkedMap()
    out.start, out.value_marks, out.duplicates = node.start_mark, {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain scalar", key_node.start_mark)
        if key in out:
            out.duplicates.append((key, key_node.start_mark))
        out[key] = loader.construct_object(value_node, deep=True)
        out.value_marks[key] = value_node.start_mark
    return out


def _construct_list(loader: MarkedLoader, node: yaml.SequenceNode) -> MarkedList:
    out = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    out.start, out.item_marks = node.start_mark, [child.start_mark for child in node.value]
    return out


MarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
MarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rule_files(folder: str | Path) -> tuple[list[Rule], list[Problem]]:
    """All rules under a folder (sorted by file), with every problem found on the way."""
    folder = Path(folder)
    rules: list[Rule] = []
    problems: list[Problem] = []
    for path in rule_files(folder):
        file_rules, file_problems = load_rule_file(path)
        rules += file_rules
        problems += file_problems
    problems += _duplicate_ids(rules)
    return rules, problems


def load_rule_file(path: Path) -> tuple[list[Rule], list[Problem]]:
    name = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=MarkedLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(name, mark) if mark else Location(name, 1, 1)
        return [], [Problem(where, f"YAML: {exc.problem or exc}")]
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        return [], [Problem(Location(name, 1, 1), f"cannot read rule file: {exc}")]
    if data is None:
        return [], []
    if not isinstance(data, MarkedList):
        return [], [Problem(Location(name, 1, 1), "a rule file is a YAML list of rules")]
    rules, problems = [], []
    for item, mark in zip(data, data.item_marks):
        rule, item_problems = _rule(name, item, mark)
        problems += item_problems
        if rule is not None:
            rules.append(rule)
    return rules, problems


def _rule(name: str, item: Any, mark: yaml.Mark) -> tuple[Rule | None, list[Problem]]:
    if not isinstance(item, MarkedMap):
        return None, [Problem(_loc(name, mark), "a rule is a mapping (id, kind, table, severity, ...)")]
    where = _loc(name, item.start)
    problems = [Problem(_loc(name, m), f"duplicate key '{key}'") for key, m in item.duplicates]
    marks = _marks(name, item)
    problems += [Problem(where, f"missing key '{key}'") for key in REQUIRED_KEYS if key not in item]
    problems += _generic_values(item, marks)
    if problems:
        return None, problems
    params = {k: _plain(v) for k, v in item.items() if k not in REQUIRED_KEYS + OPTIONAL_KEYS}
    rule = Rule(
        id=item["id"],
        kind=item["kind"],
        table=item["table"],
        severity=item["severity"],
        category=item["category"],
        message=item["message"],
        params=params,
        where=where,
        marks=marks,
        description=item.get("description"),
    )
    return rule, []


def _generic_values(item: MarkedMap, marks: dict[Any, Location]) -> list[Problem]:
    checks = (
        ("id", lambda v: isinstance(v, str) and RULE_ID.match(v), "id must be letters, digits, '.', '_' or '-'"),
        ("kind", lambda v: isinstance(v, str) and v, "kind must be a name"),
        ("message", lambda v: isinstance(v, str) and v, "message must be a text template"),
        ("severity", lambda v: v in SEVERITIES, f"severity must be one of {', '.join(SEVERITIES)}"),
        ("category", lambda v: v in CATEGORIES, f"category must be one of {', '.join(CATEGORIES)}"),
        ("table", lambda v: v in TABLES, f"unknown table; tables are {', '.join(TABLES)}"),
        ("description", lambda v: isinstance(v, str), "description must be text"),
    )
    return [
        Problem(marks[key], f"{message} (got {item[key]!r})")
        for key, ok, message in checks
        if key in item and not ok(item[key])
    ]


def _duplicate_ids(rules: list[Rule]) -> list[Problem]:
    first: dict[str, Rule] = {}
    problems = []
    for rule in rules:
        if rule.id in first:
            problems.append(Problem(rule.mark("id"), f"duplicate rule id '{rule.id}' (first at {first[rule.id].mark('id')})"))
        else:
            first[rule.id] = rule
    return problems


def _marks(name: str, item: MarkedMap) -> dict[Any, Location]:
    marks: dict[Any, Location] = {key: _loc(name, m) for key, m in item.value_marks.items()}
    for key, value in item.items():
        if isinstance(value, MarkedList):
            marks.update({(key, i): _loc(name, m) for i, m in enumerate(value.item_marks)})
    return marks


def _plain(value: Any) -> Any:
    """Marked containers -> plain dict/list (parameters travel into pandera and GX configs)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _loc(name: str, mark: yaml.Mark) -> Location:
    return Location(name, mark.line + 1, mark.column + 1)
