"""The ``koffer`` command speaks German (argparse's own texts too), English with --lang en.

Each case runs the real command in a subprocess, as a person would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from koffer.commands.parser import language_of, translate_error

#: argparse's English words that must not reach a German user
ENGLISH = re.compile(
    r"\b(usage|options|positional|show this help|error|required|invalid|unrecognized|expected|"
    r"choose from|arguments?)\b",
    re.IGNORECASE,
)


def _koffer(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "KOFFER_LANG"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "koffer.commands.cli", *argv],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    "argv",
    [("--help",), ("outbox", "--help"), ("outbox", "export", "--help"), ("accounts", "--help")],
)
def test_help_is_german(argv: tuple[str, ...]) -> None:
    result = _koffer(*argv)
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("Aufruf: koffer")
    assert "Optionen:" in text
    assert "-h, --help" in text and "diese Hilfe anzeigen und beenden" in text
    assert ENGLISH.search(text) is None, text


def test_help_names_its_positional_arguments_in_german() -> None:
    text = _koffer("outbox", "--help").stdout
    assert "\nArgumente:\n" in text


def test_missing_argument_is_german_and_points_to_the_help() -> None:
    result = _koffer("outbox", "export")
    assert result.returncode == 2
    err = result.stderr
    assert err.startswith("Aufruf: koffer outbox export")
    assert "koffer outbox export: Fehler: Diese Angaben fehlen: --to." in err
    assert "Hilfe: koffer outbox export --help" in err
    assert ENGLISH.search(err) is None, err


def test_invalid_choice_is_german() -> None:
    result = _koffer("accounts", "add", "anna", "--role", "chef")
    assert result.returncode == 2
    assert "Angabe --role: „chef“ ist nicht vorgesehen. Möglich sind: „clerk“" in result.stderr
    assert ENGLISH.search(result.stderr) is None, result.stderr


def test_unknown_command_and_bad_number_are_german() -> None:
    unknown = _koffer("frobnicate")
    assert "koffer: Fehler: Angabe BEFEHL: „frobnicate“ ist nicht vorgesehen." in unknown.stderr
    number = _koffer("simulate-visit", "--cases", "viele")
    assert "Angabe --cases: „viele“ ist keine ganze Zahl." in number.stderr
    extra = _koffer("doctor", "--bogus")
    assert "Diese Angaben sind unbekannt: --bogus." in extra.stderr
    for result in (unknown, number, extra):
        assert result.returncode == 2
        assert ENGLISH.search(result.stderr) is None, result.stderr


def test_lang_en_gives_argparse_in_english() -> None:
    helped = _koffer("--lang", "en", "outbox", "--help")
    assert helped.returncode == 0
    assert helped.stdout.startswith("usage: koffer outbox")
    assert "options:" in helped.stdout and "show this help message and exit" in helped.stdout
    assert "Aufruf" not in helped.stdout
    missing = _koffer("--lang", "en", "outbox", "export")
    assert "koffer outbox export: error: the following arguments are required: --to" in (
        missing.stderr
    )
    choice = _koffer("--lang=en", "accounts", "add", "anna", "--role", "chef")
    assert "invalid choice: 'chef'" in choice.stderr


def test_koffer_lang_variable_chooses_english_and_lang_overrides_it() -> None:
    assert _koffer("--help", env={"KOFFER_LANG": "en"}).stdout.startswith("usage: koffer")
    german = _koffer("--lang", "de", "--help", env={"KOFFER_LANG": "en"})
    assert german.stdout.startswith("Aufruf: koffer")


def test_an_error_of_the_program_follows_the_language() -> None:
    args = ("selftest", "--config", "/nonexistent/koffer.toml")
    assert _koffer(*args).stderr.startswith("Fehler: Konfigurationsdatei nicht gefunden")
    english = _koffer("--lang", "en", *args)
    assert english.returncode == 2
    assert english.stderr.startswith("Error: ")
    assert "Fehler" not in english.stderr


def test_language_of_reads_lang_before_the_variable() -> None:
    assert language_of([], {}) == "de"
    assert language_of(["--lang", "en", "sync"], {}) == "en"
    assert language_of(["sync"], {"KOFFER_LANG": "en"}) == "en"
    assert language_of(["--lang=de"], {"KOFFER_LANG": "en"}) == "de"
    assert language_of(["--lang", "fr"], {}) == "de"
    assert language_of(["--", "--lang", "en"], {}) == "de"


def test_unknown_messages_pass_unchanged_and_quotes_are_german() -> None:
    assert translate_error("argument --to: expected one argument") == (
        "Angabe --to: Hier fehlt der Wert."
    )
    assert translate_error("argument --token: not allowed with argument --offline-request") == (
        "Angabe --token: Nicht zusammen mit --offline-request möglich."
    )
    assert translate_error("»x« ist keine Fenstergröße.") == "»x« ist keine Fenstergröße."
