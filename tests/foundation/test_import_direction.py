"""Imports point one way: departments ← tasks ← importers | reports ← demo, and bluesky's plumbing imports no app.

The contracts are import-linter's, in pyproject.toml ([tool.importlinter]); the first test holds the code
base to them, the second shows they catch a module that imports upward (in a throwaway copy of the layout).
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_every_module_imports_downward_only():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _plumbing_modules() -> list[str]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c["source_modules"] for c in contracts if c["id"] == "plumbing")


def test_a_module_importing_upward_breaks_the_contract(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in ("bluesky", "bluesky/api", "demo", "reports", "importers", "tasks", "departments"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for module in _plumbing_modules():  # every module the contract names must exist
        (tmp_path / f"{module.replace('.', '/')}.py").write_text("")
    assert lint_imports(tmp_path).returncode == 0  # the empty layout keeps the contracts

    (tmp_path / "departments" / "roles.py").write_text("from tasks import models\n")
    (tmp_path / "bluesky" / "web.py").write_text("import reports\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "departments.roles -> tasks" in result.stdout and "bluesky.web -> reports" in result.stdout
