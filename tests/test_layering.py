"""The import rule of DESIGN.md §2, read from the source with ``ast``: a rule nobody checks drifts."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "fupin_desktop"
# Layer order: a module may import only its own layer and the ones before it.
ORDER = ["base", "domain", "storage", "services", "exchange", "reports", "ui", "app"]
PEERS = {("exchange", "reports"), ("reports", "exchange")}  # siblings at the same level may not import each other
BASE_MODULES = {"__init__", "paths", "settings", "fileio", "memory"}


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    top = rel.parts[0]
    if top.endswith(".py"):
        stem = top[:-3]
        if stem in BASE_MODULES:
            return "base"
        return "app"  # app.py, cli.py, __main__.py: composition roots
    return top


def imports_of(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
    return out


def target_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "fupin_desktop" or len(parts) == 1:
        return None
    second = parts[1]
    if second in BASE_MODULES:
        return "base"
    if second not in ORDER:
        return "app"  # top-level modules (app, cli, selftest…) are composition roots
    return second


def test_layers_import_only_downwards():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        layer = layer_of(path)
        for module, line in imports_of(path):
            rel = f"{path.relative_to(PACKAGE.parent)}:{line}"
            top = module.split(".")[0]
            if top == "PySide6" and layer not in ("ui", "app"):
                problems.append(f"{rel} imports PySide6 outside ui/ and app.py")
            if top in ("sqlalchemy", "alembic") and layer != "storage":
                problems.append(f"{rel} imports {top} outside storage/")
            target = target_layer(module)
            if target is None or target == layer:
                continue
            if (layer, target) in PEERS or ORDER.index(target) > ORDER.index(layer):
                problems.append(f"{rel}: {layer}/ must not import {module}")
    assert not problems, "\n".join(problems)


def test_the_rule_catches_a_violation(tmp_path):
    # the checker itself must be able to fail
    bad = PACKAGE / "domain" / "codes.py"
    imports = imports_of(bad)
    assert all(target_layer(m) in (None, "domain", "base") for m, _ in imports)
    assert target_layer("fupin_desktop.storage.models") == "storage"
    assert ORDER.index("storage") > ORDER.index(layer_of(bad))
