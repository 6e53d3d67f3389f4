"""Security: no code evaluated from rules or input, YAML read safely, HTML escaped by default, and outputs
that stay inside the output folder whatever the input files are called."""

from __future__ import annotations

import ast
import json
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from gxbg.cli import main
from gxbg.kinds.ruleset import load_ruleset
from gxbg.rules import RuleSetError
from gxbg.synth import random_report, render

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [ROOT / "gxbg", ROOT / "flows"]

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "dill", "marshal", "shelve", "cloudpickle", "jsonpickle"}
UNSAFE_YAML = {"unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}


def python_files() -> list[Path]:
    return sorted(p for folder in SCANNED if folder.is_dir() for p in folder.rglob("*.py"))


def _name(node: ast.AST) -> str | None:
    """The last identifier of a Name or Attribute (yaml.SafeLoader -> SafeLoader)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def safe_loader_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """SafeLoader and our subclasses of it (e.g. the rules loader's MarkedLoader), to any depth."""
    safe = set(SAFE_LOADERS)
    classes = [n for tree in trees.values() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name not in safe and any(_name(b) in safe for b in cls.bases):
                safe.add(cls.name)
                changed = True
    return safe


def problems_in(path: Path, tree: ast.Module, safe: set[str]) -> list[str]:
    where = path.relative_to(ROOT)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno}: imports {a.name}" for a in node.names
                      if a.name.split(".")[0] in FORBIDDEN_MODULES]  # fmt: skip
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
            found.append(f"{where}:{node.lineno}: imports from {node.module}")
        elif isinstance(node, ast.Call):
            found += _call_problems(where, node, safe)
    return found


def _call_problems(where: Path, node: ast.Call, safe: set[str]) -> list[str]:
    func, name = node.func, _name(node.func)
    at = f"{where}:{node.lineno}"
    keywords = {k.arg: k.value for k in node.keywords}
    if isinstance(func, ast.Name) and name in FORBIDDEN_CALLS:
        return [f"{at}: calls {name}()"]
    if name in ("eval", "query") and isinstance(func, ast.Attribute):  # pandas.eval, DataFrame.eval/query
        return [f"{at}: calls .{name}() (string expressions evaluated as code)"]
    if name == "read_pickle":
        return [f"{at}: calls read_pickle()"]
    if name == "system" and _name(getattr(func, "value", None)) == "os":
        return [f"{at}: calls os.system()"]
    shell = keywords.get("shell")
    if isinstance(shell, ast.Constant) and shell.value is True:
        return [f"{at}: runs a shell (shell=True)"]
    if name in UNSAFE_YAML and _name(getattr(func, "value", None)) == "yaml":
        return [f"{at}: calls yaml.{name}()"]
    if name in ("load", "load_all") and _name(getattr(func, "value", None)) == "yaml":
        loader = keywords.get("Loader", node.args[1] if len(node.args) > 1 else None)
        if _name(loader) not in safe:
            return [f"{at}: yaml.{name}() without a SafeLoader"]
    if name == "Environment" and _name(getattr(func, "value", None)) == "jinja2":
        autoescape = keywords.get("autoescape")
        if not (isinstance(autoescape, ast.Constant) and autoescape.value is True):
            return [f"{at}: jinja2.Environment without autoescape=True"]
    return []


def test_no_code_evaluation_unsafe_yaml_or_pickle_in_the_package():
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in python_files()}
    assert len(trees) > 20
    safe = safe_loader_classes(trees)
    assert "MarkedLoader" in safe  # the rules loader's own SafeLoader subclass is recognised
    problems = [p for path, tree in trees.items() for p in problems_in(path, tree, safe)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x = eval(text)", "calls eval()"),
        ("exec(code)", "calls exec()"),
        ("import pickle", "imports pickle"),
        ("from marshal import loads", "imports from marshal"),
        ("import yaml\nyaml.load(text)", "without a SafeLoader"),
        ("import yaml\nyaml.load(text, Loader=yaml.Loader)", "without a SafeLoader"),
        ("import yaml\nyaml.unsafe_load(text)", "yaml.unsafe_load"),
        ("frame.query(rule['expression'])", ".query()"),
        ("pd.eval(expression)", ".eval()"),
        ("subprocess.run(cmd, shell=True)", "shell=True"),
        ("os.system(cmd)", "os.system"),
        ("jinja2.Environment(loader=x)", "autoescape"),
    ],
)
def test_the_scan_catches_what_it_looks_for(source, expected):
    tree = ast.parse(source)
    problems = problems_in(ROOT / "gxbg" / "example.py", tree, set(SAFE_LOADERS))
    assert len(problems) == 1 and expected in problems[0], problems


def test_scan_accepts_safe_yaml():
    tree = ast.parse("import yaml\nyaml.load(t, Loader=yaml.SafeLoader)\nyaml.load(t, Loader=Marked)\nyaml.safe_load(t)")
    assert problems_in(ROOT / "gxbg" / "example.py", tree, SAFE_LOADERS | {"Marked"}) == []


def test_rule_files_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.yaml").write_text(
        f'- !!python/object/apply:os.system ["touch {marker}"]\n'
        f'- id: x\n  kind: !!python/object/apply:os.system ["touch {marker}"]\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError) as err:
        load_ruleset(rules)
    assert not marker.exists()
    assert "evil.yaml:1" in str(err.value.problems[0])


# --- hostile input file names ----------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "<script>alert(1)</script>.txt",  # "/" separates: a folder "<script>alert(1)<" holding "script>.txt"
    "<img src=x onerror=alert(1)>.txt",
    "line\nbreak.txt",
    "tab\tand\x1b[31mescape.txt",
    "a..b.txt",
    "政" * 80 + ".txt",  # 244 bytes: near the 255-byte limit of a file name
    os.fsdecode(b"\xff\xfe-not-utf8.txt"),  # bytes that are not UTF-8: kept by Python as surrogates
    "back\\slash..\\..\\x.txt",
]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("hostile") / "inbox"
    inbox.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        data = random_report(random.Random(100 + i), year=2022, agency=f"测试市第{i}局")
        (inbox / name).parent.mkdir(exist_ok=True)
        (inbox / name).write_text(render(data, "tabs"), encoding="utf-8")
    before = set(inbox.parent.parent.iterdir())
    out = inbox.parent / "out"
    status = main(["validate", str(inbox), "--out", str(out), "--fail-on", "never"])
    return inbox, out, status, before


def test_hostile_names_get_their_rows_in_every_output(hostile_run):
    inbox, out, status, _ = hostile_run
    assert status == 0
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(reports) == len(HOSTILE_NAMES) and set(reports["status"]) == {"ok"}
    assert not reports["source"].str.contains("\n|\t|\x1b").any()  # control characters shown escaped
    sources = set(reports["source"].str[len(str(inbox)) + 1:])
    assert "line\\nbreak.txt" in sources and "\\xff\\xfe-not-utf8.txt" in sources
    assert "<script>alert(1)</script>.txt" in sources  # data stays data: escaped where it is shown as HTML
    parquet = pd.read_parquet(out / "findings.parquet")
    records = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(records) == len(parquet) and set(parquet["source"]) <= set(reports["source"])


def test_outputs_stay_inside_the_output_folder(hostile_run):
    inbox, out, _, before = hostile_run
    assert set(inbox.parent.parent.iterdir()) == before  # nothing new beside the run's folder
    assert {p.name for p in inbox.parent.iterdir()} == {"inbox", "out"}
    fixed = {"findings.csv", "findings.json", "findings.parquet", "reports.csv", "site", "data_docs",
             "gxbg-history.sqlite"}
    assert {p.name for p in out.iterdir()} <= fixed
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


def test_site_pages_are_named_by_report_id_and_escape_names(hostile_run):
    out = hostile_run[1]
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig", dtype=str)
    site = out / "site"
    report_pages = sorted(p.stem for p in (site / "reports").glob("*.html"))
    assert report_pages == sorted(reports["report_id"])  # not named after the input files
    pages = [p for p in site.rglob("*") if p.is_file()]
    for page in pages:
        if page.suffix in (".html", ".js"):
            text = page.read_text(encoding="utf-8")
            assert "<script>alert(1)" not in text and "<img src=x" not in text, page
    shown = "".join(p.read_text(encoding="utf-8") for p in (site / "reports").glob("*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in shown  # the name is there, as text
