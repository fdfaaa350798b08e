"""The TOML configuration file.

One file (``--config FILE``) holds one table per subsystem. This module only
parses the file and offers :class:`SectionReader`, with which each subsystem
turns its own table into a typed, frozen settings object
(``StoreSettings.from_config(config)``, ``DeviceSettings.from_config(config)``
…). Nothing reads configuration from globals: the parsed :class:`Config` is
passed in.

Every mistake is refused with a :class:`~koffer.errors.ConfigError` whose
German message names the table and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from koffer.errors import ConfigError

#: top-level tables a configuration file may contain
KNOWN_SECTIONS: frozenset[str] = frozenset(
    {
        "koffer",  # language, data directory
        "store",  # Argon2id parameters, throttling
        "devices",  # one sub-table per device
        "transmission",  # back-end URL, back-off, timeouts
        "backend",  # the reference back end's own settings
        "municipality",  # name, address, logo for documents
        "kiosk",  # idle lock, high contrast, language
        "rules",  # legal rules marked [unverified]: configurable
        "documents",  # document options (paper Ausdruck etc.)
    }
)

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
            raise ConfigError(
                f"Konfiguration: [{name}] muss eine Tabelle sein.",
                message_en=f"Configuration: [{name}] must be a table.",
            )
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
    for key in raw:
        if key not in KNOWN_SECTIONS:
            raise ConfigError(
                f"Konfiguration: unbekannte Tabelle [{key}]. "
                f"Erlaubt sind: {', '.join(sorted(KNOWN_SECTIONS))}.",
                message_en=f"Configuration: unknown table [{key}].",
            )
    return Config(raw=raw, path=path)


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
        return ConfigError(
            f"Konfiguration: [{self._name}] {key} muss {expected} sein.",
            message_en=f"Configuration: [{self._name}] {key} must be {expected}.",
        )

    def _get(self, key: str, kind: type[T], expected: str, default: T | None) -> T:
        self._seen.add(key)
        if key not in self._table:
            if default is None:
                raise ConfigError(
                    f"Konfiguration: [{self._name}] {key} fehlt.",
                    message_en=f"Configuration: [{self._name}] {key} is missing.",
                )
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
            raise self._bad(key, "einer von " + ", ".join(repr(c) for c in choices))
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
            raise ConfigError(
                f"Konfiguration: unbekannter Schlüssel '{unknown[0]}' in [{self._name}].",
                message_en=f"Configuration: unknown key '{unknown[0]}' in [{self._name}].",
            )
