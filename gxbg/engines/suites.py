"""Engine artefacts generated from a rule set: one GX suite (JSON) and one pandera schema (YAML) per table."""

from __future__ import annotations

from gxbg.engines import gx_engine, pandera_engine
from gxbg.engines.common import checks_by_table
from gxbg.kinds.ruleset import RuleSet


def suite_name(ruleset: RuleSet, table: str) -> str:
    return f"{ruleset.name}.{table}"


def suite_files(ruleset: RuleSet) -> dict[str, str]:
    """Relative path -> file text: <name>.json (GX suite) and pandera/<name>.yaml per table."""
    files = {}
    for table, checks in checks_by_table(ruleset.checks()).items():
        name = suite_name(ruleset, table)
        files[f"{name}.json"] = gx_engine.suite_json(gx_engine.build_suite(name, checks))
        files[f"pandera/{name}.yaml"] = pandera_engine.build_schema(name, checks).to_yaml()
    return files
