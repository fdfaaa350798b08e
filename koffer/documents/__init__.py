"""Documents as PDF/A-2b bytes (reportlab) and their printing.

Pure functions from domain objects to bytes; nothing is written to disk.
"""

from __future__ import annotations

from koffer.documents.anmeldung_ausdruck import anmeldung_ausdruck
from koffer.documents.antragsquittung import antragsquittung, antragsquittung_receipt
from koffer.documents.meldebestaetigung import meldebestaetigung
from koffer.documents.settings import MunicipalitySettings

__all__ = [
    "MunicipalitySettings",
    "anmeldung_ausdruck",
    "antragsquittung",
    "antragsquittung_receipt",
    "meldebestaetigung",
]
