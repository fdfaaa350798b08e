"""The rooms of every driver family (``koffer/drivers/<family>/``), checked with :mod:`ast`.

A family is a package directly below ``koffer/drivers``. It has five rooms:

- ``codec.py``: pure protocol code (bytes and values in, bytes and values out);
- ``transport.py``: the only room that touches the device (pyusb, pyserial,
  sockets, ioctl/mmap/select, device nodes through ``os``, httpx) and
  translates those errors into :mod:`koffer.errors`;
- ``driver.py``: the interface of :mod:`koffer.devices.interfaces` on top of
  the transport;
- ``simulator.py``: the device side of the protocol (helpers beside it are
  named ``sim_*.py``);
- ``factory.py``: builds the driver from configuration; discovery it offers
  asks the transport (or the shared ``drivers/usb.py``).

The rules:

1. **I/O only in transports.** Within ``koffer/drivers`` only a family's
   ``transport.py``, the simulator side (``simulator.py``, ``sim_*.py`` and
   the pyserial URL-handler package ``r30x/urlhandler/``, whose name pyserial
   looks up) and the shared ``drivers/usb.py`` and ``drivers/usbsim.py``
   import a module of :data:`IO_MODULES` (anywhere in the file, function
   bodies and ``TYPE_CHECKING`` blocks included). The simulated pyusb backend
   (``koffer.drivers.usbsim``) is imported by the simulator side only.
2. **Pure codecs.** ``codec.py`` imports no I/O module, and of its own family
   only *pure helpers*: family modules that are none of the five rooms and
   not on the simulator side (today ``zvt/fields.py``, ``zvt/texts.py``,
   ``wacom_stu/models.py``, ``wacom_stu/image.py``, ``escpos/errors.py``,
   ``ipp/status.py``). A pure helper obeys the same rule as the codec (no I/O
   module; of its family only ``codec.py`` and other pure helpers), so
   everything a codec reaches is pure as well.
3. **Drivers stand on their transport.** ``driver.py`` imports
   :mod:`koffer.devices.interfaces` and its family's ``transport``.
4. **Transports stay inside.** No module of ``koffer`` outside
   ``koffer/drivers`` imports a family's transport (nor names it in a string):
   the rest of the program reaches drivers through the device registry.

Every check is a function over a directory, and each is shown to fail on a
planted violation in a temporary tree.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "koffer"

ROOMS = ("codec", "transport", "driver", "simulator", "factory")

#: modules (and their sub-modules) that touch devices, the network or the OS
IO_MODULES = (
    "usb",
    "serial",
    "socket",
    "socketserver",
    "ssl",
    "select",
    "selectors",
    "fcntl",
    "termios",
    "tty",
    "pty",
    "mmap",
    "os",
    "httpx",
    "http.client",
    "http.server",
    "urllib.request",
    "koffer.drivers.usb",
    "koffer.drivers.usbsim",
)

#: I/O modules the simulator side may import, but a transport may not
SIMULATOR_ONLY = ("koffer.drivers.usbsim",)

#: shared modules of koffer/drivers that may import I/O modules
SHARED_IO = ("usb.py", "usbsim.py")

#: sub-packages of a family that belong to the simulator side, as "family/package"
SIMULATOR_PACKAGES = frozenset({"r30x/urlhandler"})

_TRANSPORT_NAME = re.compile(r"koffer\.drivers\.[a-z_0-9]+\.transport\b")


def _families(drivers: Path) -> list[Path]:
    return sorted(p for p in drivers.iterdir() if p.is_dir() and (p / "__init__.py").is_file())


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, package: Path) -> list[str]:
    """Every module an ``import`` in the file names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = _module_name(path, package).split(".")
    if path.name != "__init__.py":
        own.pop()  # the package the module is in
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = own[: len(own) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def _is_io(name: str, modules: tuple[str, ...] = IO_MODULES) -> bool:
    return any(name == m or name.startswith(m + ".") for m in modules)


def _side(path: Path, family: Path) -> str:
    """``"transport"``, ``"simulator"``, a room's name, ``"helper"`` or ``"init"``."""
    rel = path.relative_to(family)
    if len(rel.parts) > 1:
        nested = f"{family.name}/{rel.parts[0]}"
        return "simulator" if nested in SIMULATOR_PACKAGES else "helper"
    stem = path.stem
    if stem == "__init__":
        return "init"
    if stem == "simulator" or stem.startswith("sim_"):
        return "simulator"
    if stem in ROOMS:
        return stem
    return "helper"


def missing_rooms(drivers: Path) -> list[str]:
    """``family/room.py`` for every room a family lacks."""
    return [
        f"{family.name}/{room}.py"
        for family in _families(drivers)
        for room in ROOMS
        if not (family / f"{room}.py").is_file()
    ]


def io_violations(drivers: Path) -> list[str]:
    """Rule 1: modules of koffer/drivers importing I/O they have no business with."""
    package = drivers.parent
    found: list[str] = []
    for path in sorted(drivers.glob("*.py")):
        if path.name in SHARED_IO:
            continue
        found.extend(f"{path.name} imports {n}" for n in _imports(path, package) if _is_io(n))
    for family in _families(drivers):
        for path in sorted(family.rglob("*.py")):
            side = _side(path, family)
            rel = path.relative_to(drivers)
            for name in _imports(path, package):
                if side == "simulator" or not _is_io(name):
                    continue
                if side == "transport" and not _is_io(name, SIMULATOR_ONLY):
                    continue
                found.append(f"{rel} imports {name}")
    return found


def _family_module(name: str, family: Path) -> str | None:
    """The module of ``family`` an import names (``codec``, ``fields``…), if any."""
    prefix = f"koffer.drivers.{family.name}."
    if not name.startswith(prefix):
        return None
    head = name[len(prefix) :].split(".")[0]
    if (family / f"{head}.py").is_file() or (family / head / "__init__.py").is_file():
        return head
    return None


def codec_violations(drivers: Path) -> list[str]:
    """Rule 2: codecs and the pure helpers they may use import no I/O, no other rooms."""
    package = drivers.parent
    found: list[str] = []
    for family in _families(drivers):
        helpers = {path.stem for path in family.glob("*.py") if _side(path, family) == "helper"}
        allowed = helpers | {"codec"}
        for path in sorted(family.glob("*.py")):
            side = _side(path, family)
            if side not in ("codec", "helper"):
                continue
            rel = path.relative_to(drivers)
            for name in _imports(path, package):
                if _is_io(name):
                    found.append(f"{rel} imports I/O module {name}")
                    continue
                target = _family_module(name, family)
                if target is not None and target not in allowed:
                    found.append(f"{rel} imports the family's {target} ({name})")
    return found


def driver_violations(drivers: Path) -> list[str]:
    """Rule 3: every driver.py imports the interfaces and its own transport."""
    package = drivers.parent
    found: list[str] = []
    for family in _families(drivers):
        path = family / "driver.py"
        if not path.is_file():
            continue  # missing_rooms reports it
        names = set(_imports(path, package))
        if not any(n.startswith("koffer.devices.interfaces") for n in names):
            found.append(f"{family.name}/driver.py does not import koffer.devices.interfaces")
        if not any(_family_module(n, family) == "transport" for n in names):
            found.append(f"{family.name}/driver.py does not stand on its transport")
    return found


def transport_importers(package: Path) -> list[str]:
    """Rule 4: modules outside koffer/drivers that import (or name) a family's transport."""
    drivers = package / "drivers"
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        if drivers in path.parents:
            continue
        rel = path.relative_to(package)
        for name in _imports(path, package):
            if _TRANSPORT_NAME.match(name):
                found.append(f"{rel} imports {name}")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _TRANSPORT_NAME.search(node.value):
                    found.append(f"{rel} line {node.lineno} names {node.value!r}")
    return found


# ------------------------------------------------------------------ the tree


def test_there_are_driver_families() -> None:
    names = {family.name for family in _families(PACKAGE / "drivers")}
    assert {"camera", "escpos", "ipp", "r30x", "wacom_stu", "zvt"} <= names


def test_every_family_has_its_five_rooms() -> None:
    assert missing_rooms(PACKAGE / "drivers") == []


def test_only_transports_and_simulators_do_io() -> None:
    assert io_violations(PACKAGE / "drivers") == []


def test_codecs_are_pure() -> None:
    assert codec_violations(PACKAGE / "drivers") == []


def test_drivers_stand_on_their_transport() -> None:
    assert driver_violations(PACKAGE / "drivers") == []


def test_no_transport_is_imported_outside_the_drivers() -> None:
    assert transport_importers(PACKAGE) == []


# ------------------------------------------------------- the checks themselves


def _plant(root: Path, files: dict[str, str]) -> Path:
    """A fake ``koffer`` package under ``root`` with ``files``; returns its path."""
    package = root / "koffer"
    for rel, text in {"__init__.py": "", "drivers/__init__.py": "", **files}.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


CLEAN = {
    "drivers/usb.py": "import usb.core\n",
    "drivers/fam/__init__.py": "",
    "drivers/fam/codec.py": "import struct\nfrom koffer.drivers.fam.fields import X\n",
    "drivers/fam/fields.py": "from koffer.drivers.fam import codec\n",
    "drivers/fam/transport.py": "import serial\nimport socket\nfrom koffer.drivers import usb\n",
    "drivers/fam/driver.py": (
        "from koffer.devices.interfaces import Camera\nfrom . import codec, transport\n"
    ),
    "drivers/fam/simulator.py": "import os\nfrom koffer.drivers.usbsim import Backend\n",
    "drivers/fam/sim_pty.py": "import pty\nimport tty\n",
    "drivers/fam/factory.py": (
        "from koffer.drivers.fam.driver import D\nfrom koffer.drivers.fam import transport\n"
    ),
    "devices/registry.py": 'DRIVERS = {"x": "koffer.drivers.fam.factory:create"}\n',
}


def test_a_clean_planted_tree_passes(tmp_path: Path) -> None:
    package = _plant(tmp_path, CLEAN)
    drivers = package / "drivers"
    assert missing_rooms(drivers) == []
    assert io_violations(drivers) == []
    assert codec_violations(drivers) == []
    assert driver_violations(drivers) == []
    assert transport_importers(package) == []


def test_a_missing_room_is_found(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "drivers/fam/driver.py"}
    drivers = _plant(tmp_path, files) / "drivers"
    assert missing_rooms(drivers) == ["fam/driver.py"]


@pytest.mark.parametrize(
    ("rel", "source", "expected"),
    [
        ("drivers/fam/factory.py", "import usb.core\n", "fam/factory.py imports usb.core"),
        (
            "drivers/fam/factory.py",
            "def find():\n    from serial.tools import list_ports\n",
            "fam/factory.py imports serial.tools",
        ),
        ("drivers/fam/driver.py", "import httpx\n", "fam/driver.py imports httpx"),
        ("drivers/fam/driver.py", "import fcntl\n", "fam/driver.py imports fcntl"),
        ("drivers/fam/fields.py", "from os import open\n", "fam/fields.py imports os"),
        (
            "drivers/fam/driver.py",
            "from koffer.drivers import usb\n",
            "fam/driver.py imports koffer.drivers.usb",
        ),
        (
            "drivers/fam/transport.py",
            "from koffer.drivers.usbsim import Backend\n",
            "fam/transport.py imports koffer.drivers.usbsim",
        ),
        ("drivers/helpers.py", "import socket\n", "helpers.py imports socket"),
    ],
)
def test_io_outside_a_transport_is_found(
    tmp_path: Path, rel: str, source: str, expected: str
) -> None:
    drivers = _plant(tmp_path, {**CLEAN, rel: source}) / "drivers"
    assert expected in io_violations(drivers)


@pytest.mark.parametrize(
    ("rel", "source", "expected"),
    [
        ("drivers/fam/codec.py", "import mmap\n", "fam/codec.py imports I/O module mmap"),
        (
            "drivers/fam/codec.py",
            "from koffer.drivers.fam.transport import Link\n",
            "fam/codec.py imports the family's transport",
        ),
        (
            "drivers/fam/codec.py",
            "from . import simulator\n",
            "fam/codec.py imports the family's simulator",
        ),
        (
            "drivers/fam/fields.py",
            "from koffer.drivers.fam import driver\n",
            "fam/fields.py imports the family's driver",
        ),
        (
            "drivers/fam/fields.py",
            "import select\n",
            "fam/fields.py imports I/O module select",
        ),
    ],
)
def test_an_impure_codec_is_found(tmp_path: Path, rel: str, source: str, expected: str) -> None:
    drivers = _plant(tmp_path, {**CLEAN, rel: source}) / "drivers"
    assert any(v.startswith(expected) for v in codec_violations(drivers)), codec_violations(drivers)


def test_a_driver_beside_its_transport_is_found(tmp_path: Path) -> None:
    source = "from koffer.devices.interfaces import Camera\nfrom . import codec\n"
    drivers = _plant(tmp_path, {**CLEAN, "drivers/fam/driver.py": source}) / "drivers"
    assert driver_violations(drivers) == ["fam/driver.py does not stand on its transport"]


@pytest.mark.parametrize(
    "source",
    [
        "from koffer.drivers.fam.transport import Link\n",
        "from koffer.drivers.fam import transport\n",
        "import koffer.drivers.fam.transport as t\n",
        'TARGET = "koffer.drivers.fam.transport:open"\n',
    ],
)
def test_a_transport_used_outside_the_drivers_is_found(tmp_path: Path, source: str) -> None:
    package = _plant(tmp_path, {**CLEAN, "kiosk/screen.py": source})
    found = transport_importers(package)
    assert found and all(v.startswith("kiosk/screen.py") for v in found)
