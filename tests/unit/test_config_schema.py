"""The declarative schema in koffer.config agrees with the subsystems' readers.

Every command checks the file against the schema once (``load_config``), so a
key a reader asks for but the schema does not declare would be refused
everywhere, and a range that differs would let one command accept what
another refuses. These tests find both.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from koffer.backend.server_settings import ServerSettings
from koffer.cases.settings import RuleSettings
from koffer.config import Config, check_config
from koffer.config_schema import DEVICE_COMMON, DEVICE_SCHEMA, SCHEMA, Key
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import ConfigError
from koffer.kiosk.settings import KioskSettings
from koffer.queue.settings import TransmissionSettings
from koffer.store.settings import StoreSettings

PACKAGE = Path(__file__).resolve().parents[2] / "koffer"
READER_METHODS = {
    "string",
    "optional_string",
    "boolean",
    "integer",
    "number",
    "choice",
    "path",
    "optional_path",
}
READERS: dict[str, Callable[[Config], object]] = {
    "store": StoreSettings.from_config,
    "transmission": TransmissionSettings.from_config,
    "backend": ServerSettings.from_config,
    "municipality": MunicipalitySettings.from_config,
    "kiosk": KioskSettings.from_config,
    "rules": RuleSettings.from_config,
}


def _read_keys(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(tables named in config.reader("…"), keys passed to reader accessors)."""
    tables: set[str] = set()
    keys: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if node.func.attr == "reader" and first.value in SCHEMA:
            tables.add(first.value)
        elif node.func.attr in READER_METHODS:
            keys.add(first.value)
    return tables, keys


def test_every_key_a_reader_asks_for_is_declared() -> None:
    device_keys = {k for types in DEVICE_SCHEMA.values() for o in types.values() for k in o}
    device_keys |= set(DEVICE_COMMON)
    checked = 0
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "SectionReader" not in text and ".reader(" not in text:
            continue
        tables, keys = _read_keys(ast.parse(text))
        if not keys:
            continue
        allowed = set().union(*(SCHEMA[t] for t in tables)) if tables else device_keys
        if "drivers" in path.parts or path.name == "vendor_sdk.py":
            allowed = device_keys
        missing = keys - allowed
        assert not missing, f"{path.relative_to(PACKAGE)} reads undeclared keys {missing}"
        checked += 1
    assert checked >= 10  # the six settings modules and the driver factories


#: values the store's security floors accept (koffer.store.policy): its
#: policy keys are refused below them with the store's own message
POLICY_VALID = {
    "argon2_memory_kib": 65536,
    "max_failed_attempts": 5,
    "throttle_base_seconds": 2.0,
    "throttle_max_seconds": 120.0,
}


def _valid(spec: Key, key: str = "") -> Any:
    if key in POLICY_VALID:
        return POLICY_VALID[key]
    if spec.choices:
        return spec.choices[-1]
    return {
        "string": "x",
        "path": "/tmp",
        "boolean": True,
        "integer": int(spec.minimum or 0),
        "number": float(spec.minimum or 0.0),
    }[spec.kind]


def _cases() -> list[tuple[str, str, Key]]:
    # path keys are left out: their readers also check that the file exists
    return [
        (t, k, spec)
        for t, keys in SCHEMA.items()
        for k, spec in keys.items()
        if spec.kind != "path"
    ]


@pytest.mark.parametrize(("table", "key", "spec"), _cases(), ids=lambda v: str(v)[:30])
def test_schema_and_reader_agree_on_each_key(table: str, key: str, spec: Key) -> None:
    read = READERS[table]
    good = {table: {key: _valid(spec, key)}}
    check_config(good)
    read(Config(raw=good))
    bad_values: list[Any] = ["fünf"] if spec.kind != "string" else [5]
    if spec.minimum is not None:
        bad_values.append(spec.minimum - 1)
    if spec.maximum is not None:
        bad_values.append(spec.maximum + 1)
    if spec.choices:
        bad_values.append("zz")
    for value in bad_values:
        raw = {table: {key: int(value) if spec.kind == "integer" and value != "fünf" else value}}
        with pytest.raises(ConfigError) as by_schema:
            check_config(raw)
        with pytest.raises(ConfigError) as by_reader:
            read(Config(raw=raw))
        assert by_schema.value.message == by_reader.value.message


@pytest.mark.parametrize("table", sorted(SCHEMA))
def test_unknown_key_refused_alike(table: str) -> None:
    raw = {table: {"langauge": "en"}}
    with pytest.raises(ConfigError) as by_schema:
        check_config(raw)
    with pytest.raises(ConfigError) as by_reader:
        READERS[table](Config(raw=raw))
    assert by_schema.value.message == by_reader.value.message
    expected = f"Konfiguration: unbekannter Schlüssel 'langauge' in [{table}]."
    assert by_schema.value.message == expected


def test_device_options_are_checked_per_driver_type() -> None:
    ok = {"devices": {"camera": {"type": "v4l2", "device": "/dev/video0", "width": 640}}}
    check_config(ok)
    with pytest.raises(ConfigError, match=r"unbekannter Schlüssel 'port' in \[devices.camera\]"):
        check_config({"devices": {"camera": {"type": "v4l2", "port": "/dev/ttyUSB0"}}})
    with pytest.raises(ConfigError, match=r"\[devices.camera\] width muss eine ganze Zahl"):
        check_config({"devices": {"camera": {"type": "v4l2", "width": "fünf"}}})
    with pytest.raises(ConfigError, match=r'type = "v4l3" ist unbekannt'):
        check_config({"devices": {"camera": {"type": "v4l3"}}})
    with pytest.raises(ConfigError, match=r"unbekanntes Gerät \[devices.scanner\]"):
        check_config({"devices": {"scanner": {"type": "x"}}})
