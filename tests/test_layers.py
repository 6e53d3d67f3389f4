"""Data flows one way: a module imports only from its own step or earlier ones
(documents -> report -> rules -> kinds -> engines -> findings -> publish -> pipeline/commands)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gxbg"
# Rank of each top-level part of the package; equal ranks may import each other.
LAYERS = {
    "__init__": 0, "__main__": 9, "codes": 0, "agency": 0, "collector": 0,
    "documents": 1, "report": 2, "synth": 2, "manifest": 2,
    "rules": 3, "history": 3, "kinds": 4, "engines": 5, "findings": 6, "publish": 7,
    "pipeline": 8, "commands": 9, "cli": 9,
}  # fmt: skip


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [n for n in names if n == "gxbg" or n.startswith("gxbg.")]


def test_no_module_imports_a_later_step():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        own = _part(".".join(rel.parts))
        assert own in LAYERS, f"place gxbg/{own} in LAYERS"
        for name in _imports(path):
            if LAYERS[_part(name)] > LAYERS[own]:
                wrong.append(f"{rel}: imports {name}")
    assert not wrong
