"""Options and helpers shared by the ``koffer`` sub-commands."""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from collections.abc import Callable
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


def no_terminal(
    what: str = "Die Passphrase",
    what_en: str = "the passphrase",
    option: str = "--passphrase-file",
) -> ConfigError:
    """The refusal when a secret can be read neither from a terminal nor from stdin."""
    return ConfigError(
        f"{what} kann nicht abgefragt werden: Es gibt kein Terminal, und über die "
        "Standardeingabe kam nichts. Bitte führen Sie den Befehl in einem Terminal aus "
        f"oder geben Sie {option} DATEI an.",
        message_en=f"Cannot ask for {what_en}: there is no terminal and nothing came on "
        f"standard input. Run the command in a terminal or give {option} FILE.",
    )


def _ask(prompt: str, refusal: ConfigError) -> tuple[str, bool]:
    """A secret and whether it was typed on a terminal.

    On a terminal, :func:`getpass.getpass` asks without echo. Without one
    (a script, a service, ``echo … | koffer …`` over ssh without a terminal)
    getpass would print its English ``GetPassWarning`` and read stdin with
    the prompt; instead one line of stdin is read quietly, and nothing there
    (closed or empty stdin) is ``refusal``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt), True
        except getpass.GetPassWarning:
            pass
        except EOFError as exc:
            raise refusal from exc
    stdin = sys.stdin
    line = stdin.readline() if stdin is not None and not stdin.closed else ""
    if not line:
        raise refusal
    return line.rstrip("\r\n"), False


def ask_secret(prompt: str, refusal: ConfigError | None = None) -> str:
    """A secret from the terminal, or quietly from stdin without one (see :func:`_ask`)."""
    return _ask(prompt, refusal or no_terminal())[0]


def ask_new_secret(
    prompt: str,
    again: str = "Passphrase wiederholen: ",
    refusal: ConfigError | None = None,
    check: Callable[[str], object] | None = None,
) -> str:
    """A new secret: typed twice on a terminal, one line of stdin without one.

    ``check`` (e.g. a minimum length) runs on the first entry, before the
    repetition is asked for.
    """
    refusal = refusal or no_terminal()
    first, typed = _ask(prompt, refusal)
    if check is not None:
        check(first)
    if typed:
        second, _ = _ask(again, refusal)
        if first != second:
            raise ConfigError(
                "Die beiden Eingaben stimmen nicht überein.",
                message_en="The two entries do not match.",
            )
    if not first:
        raise ConfigError("Leere Passphrase.", message_en="Empty passphrase.")
    return first


def passphrase(
    args: argparse.Namespace, prompt: str = "Passphrase: ", *, confirm: bool = False
) -> str:
    """The passphrase from ``--passphrase-file``, the terminal or (without one) stdin."""
    file = getattr(args, "passphrase_file", None)
    if file:
        return read_passphrase_file(Path(file))
    if confirm:
        return ask_new_secret(prompt)
    first = ask_secret(prompt)
    if not first:
        raise ConfigError("Leere Passphrase.", message_en="Empty passphrase.")
    return first
