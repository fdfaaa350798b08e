"""Options and helpers shared by the ``koffer`` sub-commands."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from koffer.config import Config, load_config
from koffer.errors import ConfigError
from koffer.paths import resolve_data_dir


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="Datenverzeichnis (Standard: $KOFFER_HOME oder das Benutzerdatenverzeichnis)",
    )


def add_passphrase_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="Passphrase aus dieser Datei lesen statt nachzufragen",
    )


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="Konfigurationsdatei (TOML)")


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Data directory, configuration, passphrase file and ``--account`` (default admin)."""
    add_data_dir(parser)
    add_config(parser)
    add_passphrase_file(parser)
    parser.add_argument(
        "--account", default="admin", metavar="NAME", help="Konto (Standard: admin)"
    )


def data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(getattr(args, "data_dir", None))


def config(args: argparse.Namespace) -> Config:
    value = getattr(args, "config", None)
    return load_config(Path(value) if value else None)


def read_passphrase_file(path: Path) -> str:
    """The first line of ``path`` without its line ending."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"Passphrasen-Datei kann nicht gelesen werden: {path}",
            message_en=f"Cannot read passphrase file: {path}",
        ) from exc
    line = text.splitlines()[0] if text else ""
    if not line:
        raise ConfigError(
            f"Passphrasen-Datei ist leer: {path}",
            message_en=f"Passphrase file is empty: {path}",
        )
    return line


def passphrase(
    args: argparse.Namespace, prompt: str = "Passphrase: ", *, confirm: bool = False
) -> str:
    """The passphrase from ``--passphrase-file`` or an interactive prompt."""
    file = getattr(args, "passphrase_file", None)
    if file:
        return read_passphrase_file(Path(file))
    first = getpass.getpass(prompt)
    if confirm:
        second = getpass.getpass("Passphrase wiederholen: ")
        if first != second:
            raise ConfigError(
                "Die beiden Eingaben stimmen nicht überein.",
                message_en="The two entries do not match.",
            )
    if not first:
        raise ConfigError("Leere Passphrase.", message_en="Empty passphrase.")
    return first
