"""Countries and nationalities by ISO 3166-1 alpha-2 code: one table for all.

The registration parser reads what clerks type ("deutsch", "Österreich",
"AT"), the citizen review and the documents show words instead of codes
("deutsch", "Deutschland"). A code without an entry is shown as the code.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["COUNTRIES", "Country", "code_of_word", "country_name", "nationality_word"]


class Country(NamedTuple):
    name_de: str
    nationality_de: str
    name_en: str
    nationality_en: str


COUNTRIES: dict[str, Country] = {
    "DE": Country("Deutschland", "deutsch", "Germany", "German"),
    "AT": Country("Österreich", "österreichisch", "Austria", "Austrian"),
    "CH": Country("Schweiz", "schweizerisch", "Switzerland", "Swiss"),
    "FR": Country("Frankreich", "französisch", "France", "French"),
    "IT": Country("Italien", "italienisch", "Italy", "Italian"),
    "PL": Country("Polen", "polnisch", "Poland", "Polish"),
    "TR": Country("Türkei", "türkisch", "Türkiye", "Turkish"),
    "NL": Country("Niederlande", "niederländisch", "Netherlands", "Dutch"),
    "ES": Country("Spanien", "spanisch", "Spain", "Spanish"),
    "RO": Country("Rumänien", "rumänisch", "Romania", "Romanian"),
    "GR": Country("Griechenland", "griechisch", "Greece", "Greek"),
    "UA": Country("Ukraine", "ukrainisch", "Ukraine", "Ukrainian"),
    "SY": Country("Syrien", "syrisch", "Syria", "Syrian"),
    "CZ": Country("Tschechien", "tschechisch", "Czechia", "Czech"),
    "VN": Country("Vietnam", "vietnamesisch", "Viet Nam", "Vietnamese"),
    "SE": Country("Schweden", "schwedisch", "Sweden", "Swedish"),
    "IS": Country("Island", "isländisch", "Iceland", "Icelandic"),
}

_WORDS: dict[str, str] = {
    word.casefold(): code
    for code, country in COUNTRIES.items()
    for word in (country.name_de, country.nationality_de)
}


def code_of_word(word: str) -> str | None:
    """The code of a typed nationality or country word, e.g. "deutsch" → "DE"."""
    return _WORDS.get(word.strip().casefold())


def nationality_word(code: str, language: str = "de") -> str:
    """ "deutsch" for "DE" (the code itself when unknown)."""
    country = COUNTRIES.get(code)
    if country is None:
        return code
    return country.nationality_en if language == "en" else country.nationality_de


def country_name(code: str, language: str = "de") -> str:
    """ "Deutschland" for "DE" (the code itself when unknown)."""
    country = COUNTRIES.get(code)
    if country is None:
        return code
    return country.name_en if language == "en" else country.name_de
