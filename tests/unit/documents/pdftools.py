"""Helpers around poppler-utils for the document tests."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None

needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed"
)


def pdftotext(pdf: bytes, *, raw: bool = False) -> str:
    """Text of ``pdf`` via pdftotext (from stdin, nothing on disk)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if raw:
        args.append("-raw")
    result = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def words(text: str) -> list[str]:
    """NFC-normalised, whitespace-split words."""
    return unicodedata.normalize("NFC", text).split()


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    result = subprocess.run([tool, *args, "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8", "replace")
