"""Data flows one way: every import inside the package goes along an allowed edge.

inventory -> collect -> platform drivers -> model -> rules -> engine -> reports. A layer
may import only the layers below it; a back edge (rules -> collect, platforms -> collect,
report -> rules, parse -> collect) fails here with the importing module and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dalsnet_audit"
BASE = {"", "errors", "masking"}  # the package root (version), the exception root, masking
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "errors": set(),
    "masking": set(),
    "paths": {"errors"},
    "input_files": {"errors"},
    "resources": set(),
    "policy": {"model", "input_files"},
    "parse": {"model"},
    "platforms": {"parse", "model"},
    "normalise": {"platforms", "model"},
    "collect": {"model", "platforms", "paths", "input_files"},
    "flow": {"model"},
    "rules": {"model", "policy", "flow"},
    "engine": {"rules", "model", "policy", "platforms"},
    "report": {"model", "policy", "paths", "resources"},
    "history": {"model"},  # stores report dicts; reads and diffs them, judges nothing
    "inventory": {"model", "policy", "paths", "input_files"},
    "lab": set(),  # the simulated network imports nothing of the product but masking
}
# Orchestration may import anything: it wires the layers together.
ORCHESTRATION = {"audit", "cli", "pipeline", "explain", "gate", "notify", "judging", "distributed"}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _edges() -> list[tuple[str, str, str]]:
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name == "dalsnet_audit" or name.startswith("dalsnet_audit."):
                    edges.append(
                        (module, name, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
                    )
    return edges


def forbidden_edges() -> list[str]:
    """Every import that goes against the direction of the data."""
    bad = []
    for module, imported, where in _edges():
        source, target = _layer(module), _layer(imported)
        if source in ORCHESTRATION or target == source:
            continue
        allowed = ALLOWED.get(source)
        assert allowed is not None, f"{module}: layer {source!r} is not in the layer table"
        if target not in allowed | BASE:
            bad.append(f"{where}: {module} -> {imported}")
    return bad


def test_no_import_goes_against_the_data_flow():
    assert forbidden_edges() == []


def test_the_test_sees_a_back_edge(tmp_path, monkeypatch):
    rule = PACKAGE / "rules" / "_planted_back_edge.py"
    rule.write_text("from dalsnet_audit.collect.base import RawDevice\n", encoding="utf-8")
    try:
        bad = forbidden_edges()
    finally:
        rule.unlink()
    assert bad == [
        "dalsnet_audit/rules/_planted_back_edge.py:1: "
        "dalsnet_audit.rules._planted_back_edge -> dalsnet_audit.collect.base"
    ]


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_every_layer_of_the_table_exists(layer):
    assert (PACKAGE / layer).is_dir() or (PACKAGE / f"{layer}.py").is_file()
