"""Imports point down only: the import-linter contracts in pyproject.toml, checked by running
``lint-imports`` with this interpreter, so the README's test command checks the layers too."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = {
    c["id"]: c["name"]
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
}


def lint_imports() -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command as c; c()",
            "--no-cache",
            "--no-logo",
            str(ROOT / "pyproject.toml"),
        ],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},  # one line per contract, however long its name
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_contract_is_kept():
    assert {"domain", "store", "services", "infrastructure", "plugins-api"} <= set(CONTRACTS)
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS.values():
        assert f"{name} KEPT" in result.stdout, result.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout
