"""The import rules of the architecture page, checked on every module.

- Only ``koffer.kiosk`` imports PySide6 (or shiboken6).
- Nothing outside ``koffer.kiosk`` imports ``koffer.kiosk`` (but the CLI's
  ``kiosk`` command, which starts it).
- Each layer imports only the layers below it, root modules included
  (:data:`LAYERS`); within a layer only the edges in :data:`PEERS`; a few
  packages are kept narrower still (:data:`NARROWER`).
- No module imports a koffer module by a string (``importlib``), but the
  device registry, whose drivers are chosen by configuration.
- Importing every non-kiosk module, and building the CLI, never loads Qt.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "koffer"

QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")

#: bottom to top: errors/paths/config → crypto → cases/devices →
#: store/documents/drivers/backend → queue/enrollment/payment/station → casework → commands/kiosk
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "paths", "config", "config_schema", "safefs", "hardening", "labels"),
    ("crypto",),
    ("cases", "devices"),
    ("store", "documents", "drivers", "backend"),
    ("queue", "enrollment", "payment", "station"),
    ("casework",),
    ("commands", "kiosk"),
)

#: the only imports allowed between packages of one layer
PEERS: frozenset[tuple[str, str]] = frozenset(
    {
        ("config", "errors"),
        ("config", "config_schema"),
        ("safefs", "errors"),
        ("paths", "errors"),
        ("enrollment", "queue"),  # the identity lives in the outbox's tables
    }
)

#: below-layer imports refused all the same (these stay independent)
NARROWER: dict[str, tuple[str, ...]] = {
    "cases": ("crypto",),
    "devices": ("crypto",),
    "drivers": ("crypto", "cases"),
    "documents": ("crypto",),
    "backend": ("devices",),
}

#: modules allowed to import koffer modules by string
STRING_IMPORTERS = {"devices/registry.py"}

#: the one module outside the kiosk that may import it (the ``kiosk`` command)
KIOSK_LAUNCHER = "commands/cli.py"

RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _unit(path: Path) -> str:
    """The package below ``koffer`` a module belongs to, or a root module's name."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _subpackage(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else None


def test_every_package_and_root_module_has_a_layer() -> None:
    units = {_unit(path) for path in _modules()} - {"__init__", "__main__"}
    assert units <= set(RANK), f"no layer for {sorted(units - set(RANK))}"


def _allowed(source: str, target: str) -> bool:
    if target == source or target not in RANK:
        return True
    if target in NARROWER.get(source, ()):
        return False
    if RANK[target] < RANK[source]:
        return True
    return (source, target) in PEERS


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_import_rules(path: Path) -> None:
    sub = _subpackage(path)
    rel = str(path.relative_to(PACKAGE))
    unit = _unit(path)
    for name in _imports(path):
        top = name.split(".")[0]
        if top in QT_MODULES:
            assert sub == "kiosk", f"{path.name} imports {name}: only koffer.kiosk may use Qt"
        if name == "koffer.kiosk" or name.startswith("koffer.kiosk."):
            assert sub == "kiosk" or rel == KIOSK_LAUNCHER, (
                f"{rel} imports {name}: nothing may import the kiosk"
            )
            continue
        if name.startswith("koffer.") and unit in RANK:
            target = name.split(".")[1]
            assert _allowed(unit, target), f"koffer.{unit} must not import koffer.{target} ({rel})"


_MODULE_NAME = re.compile(r"koffer(\.[a-z_0-9]+)+")


def _existing_module(name: str) -> bool:
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _string_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__", "find_spec"):
                found.append(f"line {node.lineno}: {called}()")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            head = node.value.split(":")[0]
            if _MODULE_NAME.fullmatch(head) and _existing_module(head):
                found.append(f"line {node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_string_imports_outside_the_device_registry(path: Path) -> None:
    rel = str(path.relative_to(PACKAGE))
    if rel in STRING_IMPORTERS:
        return
    assert _string_imports(path) == [], f"{rel} imports koffer modules by string"


def test_the_string_import_check_finds_a_hook(tmp_path: Path) -> None:
    # the check itself: the old doctor hook would be found
    source = 'HOOK = ("koffer.queue.outbox", "Outbox")\nimportlib.import_module(HOOK[0])\n'
    fake = tmp_path / "probe.py"
    fake.write_text(source, encoding="utf-8")
    assert len(_string_imports(fake)) == 2


def test_headless_modules_never_load_qt() -> None:
    modules = [_module_name(path) for path in _modules() if _subpackage(path) != "kiosk"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "import koffer.commands.cli\n"
        "koffer.commands.cli.build_parser()\n"
        f"loaded = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "assert not loaded, loaded\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def _module_level_imports(path: Path) -> list[str]:
    """Imports run when the module is loaded (``TYPE_CHECKING`` blocks included)."""

    def walk(body: list[ast.stmt]) -> list[str]:
        names: list[str] = []
        for node in body:
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                names.extend(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If | ast.Try):
                names.extend(walk(node.body))
                names.extend(walk(node.orelse))
                for handler in getattr(node, "handlers", []):
                    names.extend(walk(handler.body))
        return names

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return walk(tree.body)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circles() -> None:
    modules = {_module_name(path): path for path in _modules()}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported in _module_level_imports(path):
            # a sub-module importing its own package (its __init__) is not a circle
            if imported in modules and imported != name and not name.startswith(imported + "."):
                graph[name].add(imported)
    assert _circles(graph) == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]
