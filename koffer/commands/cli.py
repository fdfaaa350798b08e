"""The ``koffer`` command.

Each command family (:data:`COMMANDS`) is a module of this package that
exposes ``register(subparsers)`` and sets ``func=handler`` on its parsers;
``handler(args) -> int`` returns the exit code. The kiosk is imported only
when ``koffer kiosk`` or ``koffer demo`` runs, so that headless commands
never import Qt; nothing else imports ``koffer.kiosk``.

A user mistake prints one clear German line on stderr and exits non-zero,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from koffer import __version__, hardening
from koffer.commands.common import add_config, add_data_dir, add_passphrase_file
from koffer.commands.parser import LANGUAGES, PARSERS, language_of
from koffer.crypto import tls_policy
from koffer.errors import KofferError

# Each command family is imported only when its command runs (start-up time,
# and headless commands never load Qt); ``koffer --help`` imports all. The
# imports are plain ones inside small functions, so type checking and the
# import-rule test see them. ``tests/unit/test_cli.py`` checks the table
# against what each module really registers.


def _store() -> ModuleType:
    from koffer.commands import store

    return store


def _selftest() -> ModuleType:
    from koffer.commands import selftest

    return selftest


def _enrollment() -> ModuleType:
    from koffer.commands import enrollment

    return enrollment


def _outbox() -> ModuleType:
    from koffer.commands import outbox

    return outbox


def _backend() -> ModuleType:
    from koffer.commands import backend

    return backend


def _station() -> ModuleType:
    from koffer.commands import station

    return station


def _simulate_visit() -> ModuleType:
    from koffer.commands import simulate_visit

    return simulate_visit


def _cashbook() -> ModuleType:
    from koffer.commands import cashbook

    return cashbook


def _doctor() -> ModuleType:
    from koffer.commands import doctor

    return doctor


def _wipe() -> ModuleType:
    from koffer.commands import wipe

    return wipe


#: a command family: a function that imports and returns the module whose
#: ``register(subparsers)`` adds the family's commands
Family = Callable[[], ModuleType]

#: top-level command -> its family
COMMANDS: dict[str, Family] = {
    "init": _store,
    "accounts": _store,
    "selftest": _selftest,
    "enroll": _enrollment,
    "enrollment": _enrollment,
    "outbox": _outbox,
    "sync": _outbox,
    "backend": _backend,
    "station": _station,
    "simulate-visit": _simulate_visit,
    "cashbook": _cashbook,
    "doctor": _doctor,
    "wipe": _wipe,
}

#: every family, in help order
FAMILIES: tuple[Family, ...] = tuple(dict.fromkeys(COMMANDS.values()))


def _run_kiosk(args: argparse.Namespace) -> int:
    # the only way into the Qt application, imported when the kiosk starts
    from koffer.kiosk import main as kiosk

    return kiosk.run(args)


def window_size(text: str) -> tuple[int, int]:
    """``--size WxH``: a window size between 800×600 and 3840×2160."""
    width, sep, height = text.lower().partition("x")
    if sep and width.isdigit() and height.isdigit():
        size = int(width), int(height)
        if 800 <= size[0] <= 3840 and 600 <= size[1] <= 2160:
            return size
    raise argparse.ArgumentTypeError(
        f"»{text}« ist keine Fenstergröße. Bitte als BREITExHÖHE angeben, z. B. 1280x720 "
        "(800x600 bis 3840x2160)."
    )


SIZE_HELP = "Fenstergröße im Fenster- und Bildschirmfoto-Betrieb, z. B. 1280x720 (Vorgabe)"


def _register_kiosk(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kiosk = sub.add_parser("kiosk", help="Kiosk-Oberfläche starten")
    add_config(kiosk)
    add_data_dir(kiosk)
    kiosk.add_argument("--windowed", action="store_true", help="im Fenster statt Vollbild")
    kiosk.add_argument("--offscreen", action="store_true", help="ohne Bildschirm (Tests)")
    kiosk.add_argument("--size", type=window_size, default=(1280, 720), help=SIZE_HELP)
    kiosk.add_argument(
        "--quit-when-ready",
        action="store_true",
        help="beenden, sobald die Anmeldemaske angezeigt wird",
    )
    kiosk.add_argument("--simulate", action="store_true", help="simulierte Geräte verwenden")
    kiosk.add_argument("--language", choices=("de", "en"), help="Sprache der Oberfläche")
    kiosk.set_defaults(func=_run_kiosk, mode="kiosk")

    demo = sub.add_parser(
        "demo", help="Vorführung: Kiosk, simulierte Geräte und eingebettete Gegenstelle"
    )
    add_data_dir(demo)
    demo.add_argument("--windowed", action="store_true", help="im Fenster statt Vollbild")
    demo.add_argument("--offscreen", action="store_true", help="ohne Bildschirm (Tests)")
    demo.add_argument("--size", type=window_size, default=(1280, 720), help=SIZE_HELP)
    demo.add_argument(
        "--quit-when-ready",
        action="store_true",
        help="beenden, sobald die Anmeldemaske angezeigt wird",
    )
    demo.add_argument(
        "--screenshots", metavar="DIR", help="Abläufe durchspielen und Bildschirmfotos speichern"
    )
    demo.add_argument("--language", choices=("de", "en"), help="Sprache der Oberfläche")
    demo.set_defaults(func=_run_kiosk, mode="demo")


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word of ``argv`` that is not an option (nor ``--lang``'s value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _families_for(argv: Sequence[str] | None) -> tuple[Family, ...]:
    """The command families needed to parse ``argv`` (all of them for help)."""
    if argv:
        first = _command_word(argv)
        if first in ("kiosk", "demo"):
            return ()
        if first in COMMANDS:
            return (COMMANDS[first],)
    return FAMILIES


def build_parser(
    argv: Sequence[str] | None = None, language: str = "de"
) -> argparse.ArgumentParser:
    """The argument parser; with ``argv``, only the modules that command needs.

    ``language`` is that of argparse's own texts (usage, sections, errors);
    every sub-parser inherits it through the parser class.
    """
    koffer = PARSERS[language](
        prog="koffer",
        description="Bürgerservice-Koffer: Bürgerdienste vor Ort, auch ohne Netz.",
    )
    koffer.add_version(f"koffer {__version__}")
    # sub-parsers are typed as plain ArgumentParser (register(sub) in every module)
    parser: argparse.ArgumentParser = koffer
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=language,
        help="Sprache der Befehlszeile: de (Vorgabe) oder en; auch $KOFFER_LANG",
    )
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL")
    _register_kiosk(sub)
    for family in _families_for(argv):
        family().register(sub)
    return parser


#: exit code for a refused file access (sysexits EX_NOPERM)
NO_PERMISSION = 77


def main(argv: Sequence[str] | None = None, *, harden: bool | None = None) -> int:
    """Run one ``koffer`` command; the exit code.

    ``harden`` (default: when ``argv`` is ``None``, i.e. the process runs
    its own command line as the console script or ``python -m koffer.commands.cli``)
    turns off core dumps of this process before the command runs
    (:mod:`koffer.hardening`): every command may unlock a store or hold
    keys. Callers inside another program (tests) keep their process as it is.
    """
    if harden is None:
        harden = argv is None
    # first, before any command module imports ssl/hashlib: OpenSSL reads
    # OPENSSL_CONF only once (TLS 1.3 suites of BSI TR-02102-2)
    tls_policy.apply(os.environ, sys.modules)
    if argv is None:
        argv = sys.argv[1:]
    language = language_of(argv, os.environ)
    parser = build_parser(argv, language)
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        if harden:
            hardening.harden_process()
        result: int = func(args)
    except KofferError as exc:
        label = "Error" if language == "en" else "Fehler"
        print(f"{label}: {exc.localized(language)}", file=sys.stderr)
        return exc.exit_code
    except PermissionError as exc:  # a file or directory of another user
        error = KofferError(
            f"Keine Berechtigung für {exc.filename or 'eine Datei'}. Bitte führen Sie den "
            "Befehl als der Benutzer aus, dem die Daten gehören (auf dem Koffer: "
            "runuser -u koffer -- koffer …), oder wählen Sie einen anderen Pfad."
        )
        print(f"Fehler: {error.message}", file=sys.stderr)
        return NO_PERMISSION
    except KeyboardInterrupt:
        print("Cancelled." if language == "en" else "Abgebrochen.", file=sys.stderr)
        return 130
    return result


# re-exported for sub-command modules
__all__ = ["add_config", "add_data_dir", "add_passphrase_file", "build_parser", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
