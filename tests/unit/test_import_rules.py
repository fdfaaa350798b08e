"""The import rules of the architecture page, checked on every module.

- Only ``koffer.kiosk`` imports PySide6 (or shiboken6).
- Nothing outside ``koffer.kiosk`` imports ``koffer.kiosk``.
- Each layer imports only the layers below it (table below).
- Importing every non-kiosk module, and building the CLI, never loads Qt.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "koffer"

QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")

#: sub-package -> koffer sub-packages it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "cases": ("devices", "drivers", "crypto", "store", "queue", "documents", "backend", "kiosk"),
    "crypto": ("cases", "devices", "drivers", "store", "queue", "documents", "backend", "kiosk"),
    "devices": ("drivers", "store", "queue", "documents", "backend", "kiosk", "crypto"),
    "drivers": ("store", "queue", "documents", "backend", "kiosk", "crypto", "cases"),
    "store": ("devices", "drivers", "queue", "documents", "backend", "kiosk"),
    "queue": ("devices", "drivers", "documents", "backend", "kiosk"),
    "documents": ("drivers", "store", "queue", "backend", "kiosk", "crypto"),
    "backend": ("devices", "drivers", "store", "queue", "documents", "kiosk"),
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _subpackage(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else None


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_import_rules(path: Path) -> None:
    sub = _subpackage(path)
    for name in _imports(path):
        top = name.split(".")[0]
        if top in QT_MODULES:
            assert sub == "kiosk", f"{path.name} imports {name}: only koffer.kiosk may use Qt"
        if name == "koffer.kiosk" or name.startswith("koffer.kiosk."):
            assert sub == "kiosk", f"{path.name} imports {name}: nothing may import the kiosk"
        if sub in FORBIDDEN and name.startswith("koffer."):
            target = name.split(".")[1]
            assert target not in FORBIDDEN[sub], (
                f"koffer.{sub} must not import koffer.{target} ({path.relative_to(PACKAGE)})"
            )


def test_headless_modules_never_load_qt() -> None:
    modules = []
    for path in _modules():
        if _subpackage(path) == "kiosk":
            continue
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "import koffer.cli\n"
        "koffer.cli.build_parser()\n"
        f"loaded = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "assert not loaded, loaded\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
