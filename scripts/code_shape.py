"""The shape of the app code: no function over 60 lines, no module over 400 without a reason at its top.

    .venv/bin/python scripts/code_shape.py      # lists what is too long; exit status 1 if anything is

App code is bluesky/, departments/, tasks/, importers/, reports/ and demo/ (migrations aside). A long
module says why near its top, in a line ``# Long module: <reason>`` within its first 40 lines; a long
function has no such way out: split it into well-named helpers. ``make lint`` runs this, and
tests/foundation/test_code_shape.py holds the code base to it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

APPS = ("bluesky", "departments", "tasks", "importers", "reports", "demo")
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400
REASON = "# Long module:"
REASON_WITHIN = 40  # lines from the top


def app_modules(root: Path):
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path


def long_functions(path: Path, root: Path) -> list[str]:
    """``app/module.py:line name (N lines)`` for each function or method over the limit, nested ones too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({length} lines)")
    return found


def unexplained_long_module(path: Path, root: Path) -> str | None:
    """``app/module.py (N lines)`` when the module is over the limit and gives no reason near its top."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) <= MAX_MODULE_LINES:
        return None
    if any(line.startswith(REASON) and line[len(REASON) :].strip() for line in lines[:REASON_WITHIN]):
        return None
    return f"{path.relative_to(root)} ({len(lines)} lines, no '{REASON} <reason>' near its top)"


def problems(root: Path) -> list[str]:
    found = []
    for path in app_modules(root):
        found.extend(long_functions(path, root))
        module = unexplained_long_module(path, root)
        if module:
            found.append(module)
    return found


def main() -> int:
    found = problems(Path(__file__).resolve().parents[1])
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
