"""`gxbg rules check` finds bad rules and says where: file:line:column: message."""

from __future__ import annotations

import textwrap

import pytest

from gxbg.cli import main
from gxbg.kinds.ruleset import check_rules, load_ruleset
from gxbg.rules import RuleSetError, default_rules_dir

GOOD = """\
- id: t.balance
  kind: balance
  table: requests
  left: [new_received, carried_over]
  right: [results_total, carried_forward]
  severity: error
  category: balance
  message: "{column}: {left} != {right}"
"""


def problems_for(tmp_path, text: str, name: str = "rules.yaml") -> list[str]:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return [str(p).replace(str(tmp_path) + "/", "") for p in check_rules(tmp_path)]


def test_shipped_rules_are_clean():
    assert check_rules(default_rules_dir()) == []


def test_good_rule_loads(tmp_path):
    assert problems_for(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("kind: balance", "kind: balanse"), "rules.yaml:2:9: unknown kind 'balanse'"),
        (("category: balance", "category: balance\n  per: diagonal"), "rules.yaml:8:8: 'per' must be one of column, row"),
        (("category: balance", "category: balance\n  per: row"), "rules.yaml:4:10: unknown column code 'new_received' in table requests (left)"),
        (("category: balance", "category: balance\n  blank_as_zero: parts"), None),
        (("left: [new_received, carried_over]", "left: [new_received, carried_ovr]"), "rules.yaml:4:24: unknown row code 'carried_ovr' in table requests (left)"),
        (("table: requests", "table: request"), "rules.yaml:3:10: unknown table"),
        (("severity: error", "severity: fatal"), "rules.yaml:6:13: severity must be one of error, warning, info"),
        (("category: balance", "category: sums"), "rules.yaml:7:13: category must be one of"),
        (("  right: [results_total, carried_forward]\n", ""), "rules.yaml:1:3: missing parameter 'right' for kind balance"),
        (("  severity: error\n", ""), "rules.yaml:1:3: missing key 'severity'"),
        (("left: [new_received, carried_over]", "left: [new_received, carried_over]\n  lefts: [granted]"), "rules.yaml:5:10: unknown parameter 'lefts' for kind balance"),
        (("left: [new_received, carried_over]", "left: new_received"), "rules.yaml:4:9: 'left' must be a list of text"),
        (("message: \"{column}: {left} != {right}\"", "message: \"{colum}\""), "rules.yaml:8:12: message field '{colum}' unknown"),
        (("message: \"{column}: {left} != {right}\"", "message: \"{observed.__class__}\""), "rules.yaml:8:12: message field '{observed.__class__}' unknown"),
        (("right: [results_total, carried_forward]", "right: [results_total, new_received]"), "rules.yaml:5:10: left and right share a code"),
    ],
)
def test_problem_locations(tmp_path, edit, expected):
    old, new = edit
    assert old in GOOD
    found = problems_for(tmp_path, GOOD.replace(old, new))
    if expected is None:
        assert found == []
    else:
        assert found and found[0].startswith(expected), found
        assert len(found) == 1 or "per: row" in new, found


def test_duplicate_id_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    found = problems_for(tmp_path, GOOD, name="b.yaml")
    assert found == ["b.yaml:1:7: duplicate rule id 't.balance' (first at a.yaml:1:7)"]


def test_yaml_syntax_error_is_located(tmp_path):
    found = problems_for(tmp_path, "- id: x\n  kind: [unclosed\n")
    assert len(found) == 1 and found[0].startswith("rules.yaml:3:1: YAML:")


def test_duplicate_key_and_not_a_list(tmp_path):
    found = problems_for(tmp_path, GOOD + "  severity: warning\n")
    assert found == ["rules.yaml:9:3: duplicate key 'severity'"]
    assert problems_for(tmp_path, "id: x\n") == ["rules.yaml:1:1: a rule file is a YAML list of rules"]


def test_yaml_tags_are_not_constructed(tmp_path):
    found = problems_for(tmp_path, "- !!python/object/apply:os.system ['echo hi']\n")
    assert len(found) == 1 and "YAML" in found[0]


def test_load_raises_with_every_problem(tmp_path):
    (tmp_path / "r.yaml").write_text(GOOD.replace("kind: balance", "kind: nope") + GOOD.replace("t.balance", "t.b2").replace("error", "bad"), encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(tmp_path)
    assert len(info.value.problems) == 2


def test_cli_check_and_list(tmp_path, capsys):
    (tmp_path / "r.yaml").write_text(GOOD, encoding="utf-8")
    assert main(["rules", "check", str(tmp_path)]) == 0
    assert main(["rules", "list", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "t.balance" in out and "balance" in out and "error" in out
    (tmp_path / "r.yaml").write_text(GOOD.replace("kind: balance", "kind: nope"), encoding="utf-8")
    assert main(["rules", "check", str(tmp_path)]) == 2
    assert f"{tmp_path}/r.yaml:2:9: unknown kind 'nope'" in capsys.readouterr().err


def test_cli_list_shipped_rules(capsys):
    assert main(["rules", "list"]) == 0
    out = capsys.readouterr().out
    assert "requests.balance" in out and "appeals.without_requests" in out
