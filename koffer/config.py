"""The TOML configuration file.

One file (``--config FILE``) holds one table per subsystem. Each table has a
declarative schema in :mod:`koffer.config_schema` (``SCHEMA``, ``DEVICE_SCHEMA``): its keys,
their types and allowed values. :func:`load_config` checks the whole file
against it once, so every command (``kiosk``, ``doctor``, ``selftest``,
``init``, ``outbox``, ``backend serve`` …) refuses an unknown key or a wrong
type the same way, with the same German message, before it does anything.

Each subsystem then turns its own table into a typed, frozen settings object
with a :class:`SectionReader` (``StoreSettings.from_config(config)``,
``DeviceSettings.from_config(config)`` …); the reader's :meth:`finish`
remains as a second guard. Nothing reads configuration from globals: the
parsed :class:`Config` is passed in.

Every mistake is refused with a :class:`~koffer.errors.ConfigError` whose
German message names the table and the key. A subsystem that reads a new key
declares it in the schema (``tests/unit/test_config_schema.py`` checks that
every key a reader asks for is declared).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from koffer.config_schema import DEVICE_COMMON, DEVICE_SCHEMA, EXPECTED, KNOWN_SECTIONS, SCHEMA, Key
from koffer.errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    """A parsed configuration file (or the empty default)."""

    raw: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def section(self, name: str) -> Mapping[str, Any]:
        """The table ``name`` (empty if absent)."""
        if name not in KNOWN_SECTIONS:
            raise ValueError(f"unknown configuration section {name!r}")
        value = self.raw.get(name, {})
        if not isinstance(value, Mapping):
            raise not_a_table(name)
        return value

    def reader(self, name: str) -> SectionReader:
        """A :class:`SectionReader` over the table ``name``."""
        return SectionReader(self.section(name), name)


def load_config(path: Path | None) -> Config:
    """Read and check the configuration file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(
            f"Konfigurationsdatei nicht gefunden: {path}",
            message_en=f"Configuration file not found: {path}",
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"Konfigurationsdatei kann nicht gelesen werden: {path} ({exc.strerror})",
            message_en=f"Cannot read configuration file: {path} ({exc.strerror})",
        ) from exc
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"Konfigurationsdatei ist nicht UTF-8-kodiert: {path}",
            message_en=f"Configuration file is not UTF-8: {path}",
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"Konfigurationsdatei {path} ist kein gültiges TOML: {exc}",
            message_en=f"Configuration file {path} is not valid TOML: {exc}",
        ) from exc
    check_config(raw)
    return Config(raw=raw, path=path)


def check_config(raw: Mapping[str, Any]) -> None:
    """Check a parsed file against :data:`SCHEMA`; the first mistake is raised."""
    for key in raw:
        if key not in KNOWN_SECTIONS:
            raise ConfigError(
                f"Konfiguration: unbekannte Tabelle [{key}]. "
                f"Erlaubt sind: {', '.join(sorted(KNOWN_SECTIONS))}.",
                message_en=f"Configuration: unknown table [{key}].",
            )
    for name, schema in SCHEMA.items():
        if name in raw:
            _check_table(raw[name], name, schema)
    if "devices" in raw:
        _check_devices(raw["devices"])


def _check_devices(devices: Any) -> None:
    if not isinstance(devices, Mapping):
        raise not_a_table("devices")
    for kind, table in devices.items():
        types = DEVICE_SCHEMA.get(kind)
        if types is None:
            raise ConfigError(
                f"Konfiguration: unbekanntes Gerät [devices.{kind}]. "
                f"Erlaubt sind: {', '.join(DEVICE_SCHEMA)}.",
                message_en=f"Configuration: unknown device [devices.{kind}].",
            )
        name = f"devices.{kind}"
        if not isinstance(table, Mapping):
            raise wrong_value("devices", kind, "eine Tabelle")
        if "type" not in table:
            raise missing_key(name, "type")
        _check_value(table, name, "type", DEVICE_COMMON["type"])
        options = types.get(table["type"])
        if options is None:
            allowed = ", ".join(f'"{t}"' for t in types)
            raise ConfigError(
                f'Konfiguration: [{name}] type = "{table["type"]}" ist unbekannt. '
                f"Erlaubt sind: {allowed}.",
                message_en=f'Configuration: [{name}] type = "{table["type"]}" is unknown. '
                f"Allowed: {allowed}.",
            )
        _check_table(table, name, {**DEVICE_COMMON, **options})


def _check_table(table: Any, name: str, schema: Mapping[str, Key]) -> None:
    if not isinstance(table, Mapping):
        raise not_a_table(name)
    for key in table:
        if key not in schema:
            raise unknown_key(name, key)
        _check_value(table, name, key, schema[key])


def _check_value(table: Mapping[str, Any], name: str, key: str, spec: Key) -> None:
    value = table[key]
    expected = EXPECTED[spec.kind]
    if spec.kind in ("string", "path"):
        ok = isinstance(value, str)
    elif spec.kind == "boolean":
        ok = isinstance(value, bool)
    elif spec.kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif spec.kind == "port":
        ok = isinstance(value, str) or (
            isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535
        )
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        raise wrong_value(name, key, expected)
    if spec.choices and value not in spec.choices:
        raise wrong_value(name, key, choices_text(spec.choices))
    if spec.minimum is not None and value < spec.minimum:
        raise wrong_value(name, key, f"mindestens {spec.minimum}")
    if spec.maximum is not None and value > spec.maximum:
        raise wrong_value(name, key, f"höchstens {spec.maximum}")


# --- the messages, shared by the schema check and SectionReader -------------


def wrong_value(name: str, key: str, expected: str) -> ConfigError:
    """``[name] key muss … sein`` (wrong type, out of range, not one of the choices)."""
    return ConfigError(
        f"Konfiguration: [{name}] {key} muss {expected} sein.",
        message_en=f"Configuration: [{name}] {key} must be {expected}.",
    )


def unknown_key(name: str, key: str) -> ConfigError:
    return ConfigError(
        f"Konfiguration: unbekannter Schlüssel '{key}' in [{name}].",
        message_en=f"Configuration: unknown key '{key}' in [{name}].",
    )


def missing_key(name: str, key: str) -> ConfigError:
    return ConfigError(
        f"Konfiguration: [{name}] {key} fehlt.",
        message_en=f"Configuration: [{name}] {key} is missing.",
    )


def not_a_table(name: str) -> ConfigError:
    return ConfigError(
        f"Konfiguration: [{name}] muss eine Tabelle sein.",
        message_en=f"Configuration: [{name}] must be a table.",
    )


def choices_text(choices: tuple[str, ...]) -> str:
    return "einer von " + ", ".join(repr(c) for c in choices)


class SectionReader:
    """Typed access to one table; :meth:`finish` refuses keys nobody read.

    ``name`` is the dotted table name used in messages, e.g.
    ``devices.fingerprint``.
    """

    def __init__(self, table: Mapping[str, Any], name: str) -> None:
        self._table = table
        self._name = name
        self._seen: set[str] = set()

    @property
    def name(self) -> str:
        return self._name

    def has(self, key: str) -> bool:
        return key in self._table

    def keys(self) -> list[str]:
        return list(self._table)

    def _bad(self, key: str, expected: str) -> ConfigError:
        return wrong_value(self._name, key, expected)

    def _get(self, key: str, kind: type[T], expected: str, default: T | None) -> T:
        self._seen.add(key)
        if key not in self._table:
            if default is None:
                raise missing_key(self._name, key)
            return default
        value = self._table[key]
        # bool is an int subclass: keep them apart
        if kind is int and isinstance(value, bool):
            raise self._bad(key, expected)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind):
            raise self._bad(key, expected)
        return value

    def string(self, key: str, default: str | None = None) -> str:
        return self._get(key, str, "ein Text", default)

    def optional_string(self, key: str) -> str | None:
        if key not in self._table:
            self._seen.add(key)
            return None
        return self.string(key)

    def boolean(self, key: str, default: bool | None = None) -> bool:
        return self._get(key, bool, "true oder false", default)

    def integer(
        self,
        key: str,
        default: int | None = None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int:
        value = self._get(key, int, "eine ganze Zahl", default)
        self._check_range(key, value, minimum, maximum)
        return value

    def number(
        self,
        key: str,
        default: float | None = None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        value = self._get(key, float, "eine Zahl", default)
        self._check_range(key, value, minimum, maximum)
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.string(key, default)
        if value not in choices:
            raise self._bad(key, choices_text(choices))
        return value

    def path(self, key: str, default: Path | None = None) -> Path:
        value = self._get(key, str, "ein Dateipfad", None if default is None else str(default))
        return Path(value).expanduser()

    def optional_path(self, key: str) -> Path | None:
        if key not in self._table:
            self._seen.add(key)
            return None
        return self.path(key)

    def table(self, key: str) -> SectionReader:
        """A reader for the sub-table ``key`` (empty if absent)."""
        self._seen.add(key)
        value = self._table.get(key, {})
        if not isinstance(value, Mapping):
            raise self._bad(key, "eine Tabelle")
        return SectionReader(value, f"{self._name}.{key}")

    def _check_range(
        self, key: str, value: float, minimum: float | None, maximum: float | None
    ) -> None:
        if minimum is not None and value < minimum:
            raise self._bad(key, f"mindestens {minimum}")
        if maximum is not None and value > maximum:
            raise self._bad(key, f"höchstens {maximum}")

    def finish(self) -> None:
        """Refuse every key that no accessor asked for."""
        unknown = [k for k in self._table if k not in self._seen]
        if unknown:
            raise unknown_key(self._name, unknown[0])
