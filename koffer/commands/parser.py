"""The ``koffer`` argument parser in German (English with ``--lang en``).

:mod:`argparse` takes its own texts ("usage:", "options", "error: …")
from :func:`gettext.gettext` of the ``messages`` domain, which this project
does not install. Rather than patching the standard library, the parser
classes here bring their own texts: a German and an English class, so that
``add_subparsers`` (which creates sub-parsers of the parser's own class)
carries the language down to every sub-command without further wiring.

- The usage line starts with "Aufruf:" (a formatter sets the prefix).
- The sections are "Argumente" and "Optionen".
- ``-h/--help`` is added by the class with "diese Hilfe anzeigen und beenden".
- Error lines are translated from argparse's English by :data:`_ERRORS`
  and end with a hint where to read the help.

The help texts of the commands themselves are German in the code; the
English class only translates argparse's frame around them.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, NoReturn

#: the languages of the command line, German first (the default)
LANGUAGES = ("de", "en")

#: argparse's own texts per language
TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "usage": "Aufruf: ",
        "positional": "Argumente",
        "optional": "Optionen",
        "help": "diese Hilfe anzeigen und beenden",
        "version": "Versionsnummer anzeigen und beenden",
        "error": "Fehler",
        "hint": "Hilfe: {prog} --help",
    },
    "en": {
        "usage": "usage: ",
        "positional": "positional arguments",
        "optional": "options",
        "help": "show this help message and exit",
        "version": "show the version number and exit",
        "error": "error",
        "hint": "Help: {prog} --help",
    },
}

#: German names of the value types argparse reports ("invalid int value")
_TYPE_NAMES = {"int": "ganze Zahl", "float": "Zahl"}


def quote(text: str) -> str:
    """A Python ``repr`` of a string as German quotes: ``'x'`` → „x“."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"„{text}“"


def _choices(text: str) -> str:
    return ", ".join(quote(part) for part in text.split(", "))


def _type_value(m: re.Match[str]) -> str:
    kind = _TYPE_NAMES.get(m["type"])
    if kind is None:
        return f"{quote(m['value'])} ist kein gültiger Wert."
    return f"{quote(m['value'])} ist keine {kind}."


#: argparse's English error messages -> German (first match wins)
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), render)
    for pattern, render in (
        (
            r"the following arguments are required: (?P<names>.*)",
            lambda m: f"Diese Angaben fehlen: {m['names']}.",
        ),
        (
            r"one of the arguments (?P<names>.*) is required",
            lambda m: f"Eine dieser Angaben ist nötig: {m['names']}.",
        ),
        (
            r"unrecognized arguments: (?P<names>.*)",
            lambda m: f"Diese Angaben sind unbekannt: {m['names']}.",
        ),
        (
            r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
            lambda m: (
                f"{quote(m['value'])} ist nicht vorgesehen. Möglich sind: {_choices(m['choices'])}."
            ),
        ),
        (r"expected one argument", lambda m: "Hier fehlt der Wert."),
        (r"expected at most one argument", lambda m: "Hier ist höchstens ein Wert erlaubt."),
        (r"expected at least one argument", lambda m: "Hier ist mindestens ein Wert nötig."),
        (r"expected (?P<n>\d+) arguments?", lambda m: f"Hier sind {m['n']} Werte nötig."),
        (
            r"not allowed with argument (?P<other>.*)",
            lambda m: f"Nicht zusammen mit {m['other']} möglich.",
        ),
        (
            r"ignored explicit argument (?P<value>.*)",
            lambda m: f"Hier ist kein Wert vorgesehen ({quote(m['value'])}).",
        ),
        (r"invalid (?P<type>\S+) value: (?P<value>.*)", _type_value),
        (
            r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)",
            lambda m: f"{m['option']} ist nicht eindeutig; gemeint sein kann: {m['matches']}.",
        ),
        (
            r"can't open '(?P<name>.*)': (?P<reason>.*)",
            lambda m: f"Die Datei {quote(m['name'])} kann nicht geöffnet werden ({m['reason']}).",
        ),
    )
)

_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<message>.*)", re.DOTALL)


def translate_error(message: str) -> str:
    """argparse's English error ``message`` in German (unknown ones unchanged)."""
    m = _ARGUMENT.fullmatch(message)
    if m is not None:
        return f"Angabe {m['name']}: {translate_error(m['message'])}"
    for pattern, render in _ERRORS:
        found = pattern.fullmatch(message)
        if found is not None:
            return render(found)
    return message


class _Formatter(argparse.HelpFormatter):
    usage_prefix: ClassVar[str]

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


class GermanFormatter(_Formatter):
    usage_prefix = TEXTS["de"]["usage"]


class EnglishFormatter(_Formatter):
    usage_prefix = TEXTS["en"]["usage"]


class KofferArgumentParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose own texts are in :attr:`language`."""

    language: ClassVar[str] = "de"
    formatter: ClassVar[type[argparse.HelpFormatter]] = GermanFormatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", self.formatter)
        add_help = bool(kwargs.get("add_help", True))
        kwargs["add_help"] = False  # our own -h/--help below, in the parser's language
        super().__init__(*args, **kwargs)
        texts = TEXTS[self.language]
        self._positionals.title = texts["positional"]
        self._optionals.title = texts["optional"]
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=texts["help"]
            )

    def add_version(self, version: str) -> None:
        """``--version`` with its help text in the parser's language."""
        self.add_argument(
            "--version", action="version", version=version, help=TEXTS[self.language]["version"]
        )

    def error(self, message: str) -> NoReturn:
        texts = TEXTS[self.language]
        if self.language == "de":
            message = translate_error(message)
        self.print_usage(sys.stderr)
        hint = texts["hint"].format(prog=self.prog)
        self.exit(2, f"{self.prog}: {texts['error']}: {message}\n{hint}\n")


class EnglishArgumentParser(KofferArgumentParser):
    language = "en"
    formatter = EnglishFormatter


PARSERS: dict[str, type[KofferArgumentParser]] = {
    "de": KofferArgumentParser,
    "en": EnglishArgumentParser,
}

#: the environment variable that chooses the language when ``--lang`` is absent
LANG_VARIABLE = "KOFFER_LANG"


def language_of(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language ``--lang`` (or ``$KOFFER_LANG``) asks for; German otherwise.

    Read before the parser is built, because the parser's own texts (and the
    help of a sub-command, which argparse prints while it parses) depend on it.
    """
    chosen = environ.get(LANG_VARIABLE, "")
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return chosen if chosen in LANGUAGES else "de"


def args_language(args: argparse.Namespace) -> str:
    """The language of parsed ``args`` (``--lang``; German when absent)."""
    value = getattr(args, "lang", "de")
    return value if value in LANGUAGES else "de"
