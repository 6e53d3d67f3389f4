"""What a rule is, once read from YAML: generic keys, the kind's parameters, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
CATEGORIES = (
    "parse",
    "layout",
    "row_sum",
    "column_sum",
    "balance",
    "zero_consistency",
    "value",
    "year_coverage",
    "fee_narrative",
    "text_table",
    "cross_year",
)
# Keys every rule may carry; every other key is a parameter of its kind.
REQUIRED_KEYS = ("id", "kind", "table", "severity", "category", "message")
OPTIONAL_KEYS = ("description",)


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """A bad rule file, reported as file:line:column: message."""

    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Rule:
    id: str
    kind: str
    table: str
    severity: str
    category: str
    message: str
    params: dict[str, Any]  # the kind's parameters, exactly as written in YAML
    where: Location  # the rule's mapping
    marks: dict[Any, Location] = field(default_factory=dict)  # key -> value location; (key, i) -> list item
    description: str | None = None

    def mark(self, key: str, index: int | None = None) -> Location:
        """Where a key (or one item of a list value) was written; falls back to the rule itself."""
        if index is not None and (key, index) in self.marks:
            return self.marks[(key, index)]
        return self.marks.get(key, self.where)


class RuleSetError(Exception):
    """Rule files that cannot be used; .problems lists each with its location."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
