"""Rules layer: YAML rule files -> Rule objects with locations; the tables rules are written against."""

from pathlib import Path

import gxbg
from gxbg.rules.loader import load_rule_files
from gxbg.rules.model import CATEGORIES, SEVERITIES, Location, Problem, Rule, RuleSetError
from gxbg.rules.tables import TABLES, Table, table_frames


def default_rules_dir() -> Path:
    """The rule set shipped in the repository (rules/annual_report beside the package)."""
    return Path(gxbg.__file__).resolve().parent.parent / "rules" / "annual_report"


__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "TABLES",
    "Location",
    "Problem",
    "Rule",
    "RuleSetError",
    "Table",
    "default_rules_dir",
    "load_rule_files",
    "table_frames",
]
