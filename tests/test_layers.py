"""Imports point down only (DESIGN.md): the layers are checked here, like an import-linter contract."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "arctui"

FORBIDDEN = {
    "domain": ("arctui.store", "arctui.services", "arctui.console", "arctui.commands", "arctui.cli",
               "sqlite3", "sqlite_utils", "textual", "click"),
    "store": ("arctui.services", "arctui.console", "arctui.commands", "arctui.cli", "textual", "click"),
    "services": ("arctui.console", "arctui.commands", "arctui.cli", "textual", "click"),
}


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_down(layer):
    offences = [
        f"{path.relative_to(PACKAGE.parent)} imports {module}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for module in imported_modules(path)
        if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[layer])
    ]
    assert offences == []
