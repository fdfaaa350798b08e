"""UI translations.

The source language of every UI string is German. Translations live as Qt
translation sources (``koffer_<lang>.ts``, XML, maintained with
``pyside6-lupdate`` / Qt Linguist) next to this module. They are compiled to
``.qm`` with ``pyside6-lrelease``:

- at build time: ``python -m koffer.kiosk.i18n`` writes the ``.qm`` files next
  to the sources;
- at run time, if no up-to-date ``.qm`` is installed, into a cache directory
  (the catalogues contain UI text only, no personal data).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

SOURCE_DIR = Path(__file__).resolve().parent
#: languages with a translation source (German is the source language)
TRANSLATED: tuple[str, ...] = ("en",)


def source_file(language: str) -> Path:
    return SOURCE_DIR / f"koffer_{language}.ts"


def _lrelease() -> str | None:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    if here.exists():
        return str(here)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def _fresh(qm: Path, ts: Path) -> bool:
    return qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime


def compile_catalogue(language: str, out_dir: Path) -> Path:
    """Compile ``koffer_<language>.ts`` into ``out_dir``; returns the ``.qm`` path."""
    ts = source_file(language)
    tool = _lrelease()
    if tool is None:
        raise FileNotFoundError("pyside6-lrelease not found")
    out_dir.mkdir(parents=True, exist_ok=True)
    qm = out_dir / f"koffer_{language}.qm"
    subprocess.run(
        [tool, "-silent", str(ts), "-qm", str(qm)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return qm


def catalogue(language: str, cache_dir: Path | None) -> Path | None:
    """An up-to-date compiled catalogue for ``language`` (compiling if needed)."""
    if language not in TRANSLATED:
        return None
    ts = source_file(language)
    installed = SOURCE_DIR / f"koffer_{language}.qm"
    if _fresh(installed, ts):
        return installed
    if cache_dir is None:
        return None
    cached = cache_dir / f"koffer_{language}.qm"
    if _fresh(cached, ts):
        return cached
    try:
        return compile_catalogue(language, cache_dir)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot compile the %s translation: %s", language, type(exc).__name__)
        return None


class Translations:
    """Installs and swaps the application's translator."""

    def __init__(self, app: QCoreApplication, cache_dir: Path | None) -> None:
        self._app = app
        self._cache_dir = cache_dir
        self._translator: QTranslator | None = None
        self.language = "de"

    def set_language(self, language: str) -> bool:
        """Switch the UI to ``language``; False if no catalogue could be loaded."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.language = "de"
        if language == "de":
            return True
        path = catalogue(language, self._cache_dir)
        translator = QTranslator(self._app)
        if path is None or not translator.load(str(path)):
            log.warning("no translation loaded for %s", language)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        self.language = language
        return True


def main() -> int:
    """Build step: compile every catalogue next to its source."""
    for language in TRANSLATED:
        print(compile_catalogue(language, SOURCE_DIR))
    return 0
