"""Rules layer: YAML rule files -> Rule objects with locations; the tables rules are written against."""

from gxbg.rules.loader import load_rule_files
from gxbg.rules.model import CATEGORIES, SEVERITIES, Location, Problem, Rule, RuleSetError
from gxbg.rules.tables import TABLES, Table, table_frames

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "TABLES",
    "Location",
    "Problem",
    "Rule",
    "RuleSetError",
    "Table",
    "load_rule_files",
    "table_frames",
]
