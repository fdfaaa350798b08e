"""Dependencies: every third-party import is declared, and the hashed lock
file that build-deb installs from satisfies pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "packaging" / "requirements.lock"
#: import name -> distribution name, where they differ
DISTRIBUTION_OF = {
    "PIL": "pillow",
    "PySide6": "pyside6-essentials",
    "shiboken6": "pyside6-essentials",
    "serial": "pyserial",
    "usb": "pyusb",
    "yaml": "pyyaml",
    "zxingcpp": "zxing-cpp",
    "tpm2_pytss": "tpm2-pytss",
}
#: imported only where the optional extra is installed
OPTIONAL = {"psycopg": "postgres"}


def _project() -> dict[str, object]:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]  # type: ignore[no-any-return]


def _requirements() -> list[Requirement]:
    return [Requirement(r) for r in _project()["dependencies"]]  # type: ignore[attr-defined]


def _top_level_imports() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "koffer").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"koffer", "__future__"}


def test_every_third_party_import_is_declared() -> None:
    declared = {canonicalize_name(r.name) for r in _requirements()}
    extras = _project()["optional-dependencies"]
    imports = _top_level_imports()
    assert "h11" in imports  # the back end's protocol uses it directly
    for name in sorted(imports):
        dist = canonicalize_name(DISTRIBUTION_OF.get(name, name))
        if name in OPTIONAL:
            extra = [Requirement(r).name for r in extras[OPTIONAL[name]]]  # type: ignore[index]
            assert dist in {canonicalize_name(e) for e in extra}, name
            continue
        assert dist in declared, f"koffer imports {name!r}; pyproject.toml lacks {dist}"


def _lock() -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, hashes) from the pip-compile output."""
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    pins: dict[str, tuple[Version, list[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)", line)
        assert m, f"lock line is not 'name==version --hash=…': {line[:80]}"
        hashes = re.findall(r"sha256:([0-9a-f]{64})", m.group(3))
        pins[canonicalize_name(m.group(1))] = (Version(m.group(2)), hashes)
    return pins


def test_lock_pins_every_dependency_within_its_specifier() -> None:
    pins = _lock()
    for req in _requirements():
        if req.marker is not None and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in {LOCK.name}"
        version, hashes = pins[name]
        assert req.specifier.contains(version, prereleases=True), f"{name} {version} vs {req}"
        assert hashes


def test_lock_floors_past_known_advisories() -> None:
    pins = _lock()
    floors = {
        "pillow": "11.3",
        "starlette": "0.49.1",
        "h11": "0.16",
        "cryptography": "44.0.1",
        "reportlab": "3.6.13",
        "urllib3": "2.5",
    }
    for name, floor in floors.items():
        if name in pins:
            assert pins[name][0] >= Version(floor), name
        if name != "urllib3":
            spec = next(r.specifier for r in _requirements() if canonicalize_name(r.name) == name)
            assert not spec.contains(_below(floor)), name


def _below(version: str) -> Version:
    """A version just below ``version`` (for "the floor refuses it")."""
    v = Version(version)
    release = list(v.release)
    release[-1] -= 1
    if release[-1] < 0:
        release = [*release[:-2], release[-2] - 1, 99]
    return Version(".".join(map(str, release)))


def test_uvicorn_is_bounded_above() -> None:
    spec = next(r.specifier for r in _requirements() if r.name == "uvicorn")
    assert any(s.operator in ("<", "<=", "~=", "==") for s in spec)


def test_build_deb_installs_from_the_lock_with_hashes() -> None:
    script = (REPO / "packaging" / "build-deb").read_text(encoding="utf-8")
    assert "--require-hashes" in script and "requirements.lock" in script
