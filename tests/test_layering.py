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


# -- inside ui/: features are islands (issue 18 §2, DESIGN §5.5) ------------------------------------------------------
UI = PACKAGE / "ui"
VIEWS = UI / "views"
# ui/ must not reach storage/ either (it goes through services; start-up through services.opening). Never add a
# file here.
UI_STORAGE_EXCEPTIONS: set[str] = set()


def feature_of(path: Path) -> str | None:
    rel = path.relative_to(UI).parts
    return rel[1] if rel[0] == "views" and len(rel) > 2 else None


def ui_imports_of(path: Path) -> list[tuple[str, int]]:
    """Like ``imports_of``, but relative imports are resolved and ``from a.b import c`` also counts as ``a.b.c``
    (``from fupin_desktop.ui.views import households`` imports a feature too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["fupin_desktop", *path.relative_to(PACKAGE).parent.parts]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + (node.module.split(".") if node.module else []))
            out.append((module, node.lineno))
            out += [(f"{module}.{a.name}", node.lineno) for a in node.names if a.name != "*"]
    return out


def feature_violations(path: Path, feature: str | None, imports: list[tuple[str, int]]) -> list[str]:
    """A feature (ui/views/<area>/) imports services, domain, ui/widgets, ui/models and the ui modules at the top
    (tasks, events, messages, navigation…), never another feature; ui/widgets and ui/models (shared by every
    feature) import no feature; no ui module imports storage."""
    out = []
    rel = path.relative_to(PACKAGE).as_posix()
    shared = rel.startswith(("ui/widgets/", "ui/models/"))
    for module, line in imports:
        parts = module.split(".")
        if parts[:2] == ["fupin_desktop", "storage"] and rel not in UI_STORAGE_EXCEPTIONS:
            out.append(f"{rel}:{line} imports {module}: ui/ goes through services")
        if feature and parts[:3] == ["fupin_desktop", "ui", "views"] and len(parts) > 3 and parts[3] != feature:
            out.append(f"{rel}:{line} imports {module}: features never import each other "
                       f"(shared widgets live in ui/widgets; open another area's window through ui.navigation)")
        if shared and parts[:3] == ["fupin_desktop", "ui", "views"]:
            out.append(f"{rel}:{line} imports {module}: shared widgets and models import no feature")
        if shared and parts[:2] == ["fupin_desktop", "ui"] and len(parts) > 2 and parts[2] in ("main_window",
                                                                                           "startup"):
            out.append(f"{rel}:{line} imports {module}: shared widgets and models do not reach the window")
    return list(dict.fromkeys(out))


def test_features_never_import_each_other_and_ui_never_imports_storage():
    problems = []
    for path in UI.rglob("*.py"):
        problems += feature_violations(path, feature_of(path), ui_imports_of(path))
    assert not problems, "\n".join(problems)


def test_relative_and_from_package_imports_of_a_feature_are_seen(tmp_path, monkeypatch):
    src = ("from ..households import dialog\n"
           "from fupin_desktop.ui.views import households\n"
           "from . import page\n")
    path = VIEWS / "visits" / "_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: src)
    found = ui_imports_of(path)
    assert ("fupin_desktop.ui.views.households.dialog", 1) in found
    assert ("fupin_desktop.ui.views.households", 2) in found
    assert ("fupin_desktop.ui.views.visits.page", 3) in found
    lines = {int(v.split(":")[1].split()[0]) for v in feature_violations(path, "visits", found)}
    assert lines == {1, 2}  # both reach households; its own page is fine
    assert feature_violations(UI / "widgets" / "tables.py", None, [("fupin_desktop.ui.views.visits.dialog", 1)])


def test_the_feature_rule_catches_a_violation():
    path = VIEWS / "visits" / "page.py"
    assert feature_violations(path, "visits", [("fupin_desktop.ui.views.households.dialog", 3)])
    assert feature_violations(path, "visits", [("fupin_desktop.storage.db", 4)])
    assert not feature_violations(path, "visits", [("fupin_desktop.ui.views.visits.dialog", 5),
                                                   ("fupin_desktop.ui.widgets.tables", 6)])
