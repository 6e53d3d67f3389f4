"""A third-party kind, installed as a package with an entry point in the group gxbg.kinds, is used
from YAML like a built-in one, by both engines."""

from __future__ import annotations

import textwrap

import pytest

from gxbg.kinds import get_kind, plugin_errors, reload_kinds
from gxbg.kinds.ruleset import check_rules
from tests.helpers import failure_keys, findings_by_engine, make_report, ruleset_from

PLUGIN = '''
from dataclasses import dataclass

from gxbg.kinds.base import Kind, Ref, failure_frame


@dataclass(frozen=True)
class Params:
    columns: list[str]
    maximum: float


class AtMost(Kind):
    """Cells are at most `maximum`."""

    name = "demo_at_most"
    Params = Params

    def references(self, p, table):
        return [Ref("columns", table, "column")]

    def targets(self, p, table):
        return list(p.columns)

    def reads(self, p, target):
        return [target]

    def failures(self, frame, p, target):
        values = frame[target].astype("Float64")
        bad = (values > p.maximum).fillna(False).astype(bool)
        return failure_frame(values[bad], p.maximum)


KIND = AtMost()
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "gxbg_demo_plugin").mkdir(parents=True)
    (site / "gxbg_demo_plugin" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "gxbg_demo_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gxbg-demo-plugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[gxbg.kinds]\ndemo_at_most = gxbg_demo_plugin:KIND\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    reload_kinds()
    yield
    monkeypatch.undo()
    reload_kinds()


RULE = {
    "id": "demo.small_reviews",
    "kind": "demo_at_most",
    "table": "appeals",
    "columns": ["review"],
    "maximum": 3,
    "severity": "warning",
    "category": "value",
    "message": "{column}{row} {observed} > {maximum}",
}


def test_plugin_kind_from_yaml(plugin, tmp_path):
    assert get_kind("demo_at_most") is not None and not plugin_errors()
    ruleset = ruleset_from([RULE], tmp_path / "rules")
    reports = [make_report("r1", appeals={"review": [4, 0, 0, 0, 4]}), make_report("r2", appeals={"review": [1, 0, 0, 0, 1]})]
    expected = {("r1", "demo.small_reviews", "upheld", "review", "4", "3"), ("r1", "demo.small_reviews", "total", "review", "4", "3")}
    for engine in ("pandera", "gx"):
        found = findings_by_engine(reports, ruleset, engine)
        assert failure_keys(found) == expected, engine
    assert set(found["message"]) == {"行政复议结果维持 4 > 3", "行政复议总计 4 > 3"}


def test_plugin_parameters_are_checked(plugin, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(textwrap.dedent("""\
        - id: demo.bad
          kind: demo_at_most
          table: appeals
          columns: [reviews]
          severity: warning
          category: value
          message: x
        """), encoding="utf-8")  # fmt: skip
    found = [str(p).replace(str(folder) + "/", "") for p in check_rules(folder)]
    assert found == ["r.yaml:1:3: missing parameter 'maximum' for kind demo_at_most"]


def test_without_the_plugin_the_kind_is_unknown(tmp_path):
    reload_kinds()
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "r.yaml").write_text(textwrap.dedent("""\
        - id: demo.bad
          kind: demo_at_most
          table: appeals
          severity: warning
          category: value
          message: x
        """), encoding="utf-8")  # fmt: skip
    assert "unknown kind 'demo_at_most'" in str(check_rules(folder)[0])
