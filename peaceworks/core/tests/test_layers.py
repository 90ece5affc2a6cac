"""Imports point downwards: views/api/tasks → services/selectors → models → core."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOWER_LAYERS = {"models", "services", "selectors", "access", "analytics"}
UPPER = {"views", "api", "tasks", "urls", "forms"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return [name for name in names if name.startswith("peaceworks.")]


def _product_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or {"tests", "migrations", "management"} & set(parts):
            continue
        yield path, parts


def test_core_imports_no_other_app():
    offenders = [
        (str(path), name)
        for path, parts in _product_files()
        if parts[0] == "core"
        for name in _imports(path)
        if not name.startswith("peaceworks.core")
    ]
    assert offenders == []


def test_no_module_imports_another_apps_views_or_api():
    offenders = []
    for path, parts in _product_files():
        for name in _imports(path):
            segments = name.split(".")
            if len(segments) >= 3 and segments[1] != parts[0] and segments[2] in {"views", "api"}:
                offenders.append((str(path), name))
    assert offenders == []


def test_lower_layers_do_not_import_upper_layers():
    offenders = []
    for path, parts in _product_files():
        layer = path.stem if len(parts) == 2 else parts[1]
        if layer not in LOWER_LAYERS:
            continue
        for name in _imports(path):
            segments = name.split(".")
            if len(segments) >= 3 and segments[2] in UPPER:
                offenders.append((str(path), name))
    assert offenders == []
