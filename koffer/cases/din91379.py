"""DIN 91379 ("String.Latin+") character validation and the normative search form.

The tables are the unmodified files of the public repository
"String-Latin/DIN-91379-Characters-and-Sequences" (CC BY 4.0), shipped in
``koffer/cases/data/din91379/`` (see ``ATTRIBUTION.md`` there). They are parsed by
**code points** (third column), never by the rendered characters.

Validation follows the standard:

1. normalise to Unicode NFC,
2. split the text into glyphs by *longest match* over the defined characters and
   sequences (some letters exist only as base letter + combining marks, e.g.
   ``"L̥̄"`` = U+004C U+0325 U+0304),
3. refuse the first glyph that is not in the data type's set.

Data types (DIN 91379, as used by the XÖV library ``datatypeA``–``E``):

====  ==========================================  ====================================
type  groups                                      used for
====  ==========================================  ====================================
A     bll + bnlreq (N1)                           names of natural persons
B     A + bnl (N2)                                other names, addresses, places
C     B + bnlopt (N3) + bnlnot (N4)               all normative characters (free text)
D     B + bnlopt (N3) + gl (Greek) + enl (E1)     extended, without Cyrillic
E     every group incl. dc, gl, cl, enl, N4       everything the tables define
====  ==========================================  ====================================

The search form (:func:`search_form`) replaces every Latin letter (group ``bll``)
by its normative base-letter form from ``latin_list_search_form_1.3.txt``
("Nœl Schmidt-Strauß" → "NOEL SCHMIDT-STRAUSS"); all other characters are
kept as they are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from importlib import resources

from koffer.errors import ValidationError

__all__ = [
    "DATATYPES",
    "InvalidCharacters",
    "glyphs",
    "is_valid",
    "search_form",
    "validate",
]

_DATA_PACKAGE = __name__.rpartition(".")[0]  # this module's package
_DATA_DIR = ("data", "din91379")
_LIST_FILE = "latin_list_1.3.txt"
_SEARCH_FILE = "latin_list_search_form_1.3.txt"

#: data type -> DIN 91379 groups it admits
DATATYPES: dict[str, frozenset[str]] = {
    "A": frozenset({"bll", "bnlreq"}),
    "B": frozenset({"bll", "bnlreq", "bnl"}),
    "C": frozenset({"bll", "bnlreq", "bnl", "bnlopt", "bnlnot"}),
    "D": frozenset({"bll", "bnlreq", "bnl", "bnlopt", "gl", "enl"}),
    "E": frozenset({"bll", "bnlreq", "bnl", "bnlopt", "bnlnot", "dc", "gl", "cl", "enl"}),
}

#: how the messages name the kind of field a data type is meant for
_FIELD_KIND: dict[str, tuple[str, str]] = {
    "A": ("in Namen", "in names"),
    "B": ("in Namen und Anschriften", "in names and addresses"),
    "C": ("in diesem Feld", "in this field"),
    "D": ("in diesem Feld", "in this field"),
    "E": ("in diesem Feld", "in this field"),
}


class InvalidCharacters(ValidationError):
    """A text contains a glyph that the DIN 91379 data type does not allow.

    :ivar position: index of the glyph in the NFC-normalised text (0-based)
    :ivar character: the offending glyph (one or more code points)
    :ivar datatype: the data type that was checked ("A" … "E")
    """

    def __init__(self, position: int, character: str, datatype: str) -> None:
        self.position = position
        self.character = character
        self.datatype = datatype
        points = " ".join(f"U+{ord(c):04X}" for c in character)
        if character.isprintable():
            shown_de, shown_en = f"„{character}“ ({points})", f"'{character}' ({points})"
        else:
            shown_de = shown_en = points
        where_de, where_en = _FIELD_KIND.get(datatype, _FIELD_KIND["C"])
        super().__init__(
            f"Das Zeichen {shown_de} an Stelle {position + 1} ist {where_de} nicht erlaubt. "
            "Bitte prüfen Sie die Schreibweise anhand des Ausweisdokuments.",
            message_en=(
                f"The character {shown_en} at position {position + 1} is not allowed "
                f"{where_en}. Please check the spelling against the ID document."
            ),
        )


@dataclass(frozen=True)
class _Tables:
    #: glyph (NFC string) -> group
    groups: dict[str, str]
    #: longest glyph length in code points
    max_len: int
    #: bll glyph -> search form
    search: dict[str, str]
    #: data type -> admitted glyphs
    allowed: dict[str, frozenset[str]]
    #: data type -> admitted single code points that are never the second code
    #: point of a longer glyph. A text made only of these is valid: no longer
    #: glyph can match anywhere in it, so longest match finds single ones.
    plain: dict[str, frozenset[str]]


def _read(name: str) -> str:
    path = resources.files(_DATA_PACKAGE).joinpath(*_DATA_DIR, name)
    return path.read_text(encoding="utf-8")


def _code_points(field: str) -> str:
    return "".join(chr(int(cp, 16)) for cp in field.split())


@cache
def _tables() -> _Tables:
    groups: dict[str, str] = {}
    for line in _read(_LIST_FILE).split("\n"):
        if not line.strip():
            continue
        parts = line.split("; ")
        glyph = _code_points(parts[2])
        groups[glyph] = parts[0]
    search: dict[str, str] = {}
    for line in _read(_SEARCH_FILE).split("\n"):
        if not line.strip():
            continue
        parts = line.split("; ")
        search[_code_points(parts[2])] = _code_points(parts[5])
    allowed = {
        name: frozenset(g for g, group in groups.items() if group in admitted)
        for name, admitted in DATATYPES.items()
    }
    seconds = {g[1] for g in groups if len(g) > 1}  # the combining marks of sequences
    plain = {
        name: frozenset(g for g in admitted if len(g) == 1 and g not in seconds)
        for name, admitted in allowed.items()
    }
    return _Tables(
        groups=groups,
        max_len=max(len(g) for g in groups),
        search=search,
        allowed=allowed,
        plain=plain,
    )


def _match(text: str, start: int, known: Container[str], max_len: int) -> str:
    """Longest glyph of ``known`` at ``start``; "" if none."""
    for length in range(min(max_len, len(text) - start), 0, -1):
        candidate = text[start : start + length]
        if candidate in known:
            return candidate
    return ""


def _check_datatype(datatype: str) -> None:
    if datatype not in DATATYPES:
        raise ValueError(f"unknown DIN 91379 data type {datatype!r}")


def glyphs(text: str) -> list[str]:
    """Split ``text`` (NFC-normalised first) into glyphs by longest match.

    Code points that the tables do not define form a glyph of their own.
    """
    tables = _tables()
    nfc = unicodedata.normalize("NFC", text)
    result: list[str] = []
    i = 0
    while i < len(nfc):
        glyph = _match(nfc, i, tables.groups, tables.max_len) or nfc[i]
        result.append(glyph)
        i += len(glyph)
    return result


def validate(text: str, datatype: str = "A") -> str:
    """Return the NFC form of ``text`` if every glyph belongs to ``datatype``.

    :raises InvalidCharacters: at the first glyph outside the data type, naming its
        position in the NFC text and its code points.
    :raises ValueError: for an unknown data type (a programming error).
    """
    _check_datatype(datatype)
    nfc = unicodedata.normalize("NFC", text)
    if not _tables().plain[datatype].issuperset(nfc):  # else: valid, the common case
        _scan(nfc, datatype)
    return nfc


def _scan(nfc: str, datatype: str) -> None:
    """Longest match over the whole text; raises at the first glyph not admitted."""
    tables = _tables()
    allowed = tables.allowed[datatype]
    i = 0
    n = len(nfc)
    while i < n:
        glyph = _match(nfc, i, allowed, tables.max_len)
        if not glyph:
            offending = _match(nfc, i, tables.groups, tables.max_len) or nfc[i]
            raise InvalidCharacters(i, offending, datatype)
        i += len(glyph)


def is_valid(text: str, datatype: str = "A") -> bool:
    """``True`` if :func:`validate` accepts ``text``."""
    try:
        validate(text, datatype)
    except InvalidCharacters:
        return False
    return True


def search_form(text: str) -> str:
    """The normative DIN 91379 search form of ``text``.

    Every Latin letter or letter sequence is replaced by its base-letter form
    (upper case A–Z); other characters stay unchanged.
    """
    tables = _tables()
    nfc = unicodedata.normalize("NFC", text)
    out: list[str] = []
    i = 0
    while i < len(nfc):
        glyph = _match(nfc, i, tables.search, tables.max_len)
        if glyph:
            out.append(tables.search[glyph])
            i += len(glyph)
        else:
            out.append(nfc[i])
            i += 1
    return "".join(out)
