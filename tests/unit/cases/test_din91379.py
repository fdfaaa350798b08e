"""DIN 91379 validation, glyph splitting and search form."""

from __future__ import annotations

import unicodedata
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koffer.cases import din91379
from koffer.cases.din91379 import InvalidCharacters, glyphs, is_valid, search_form, validate
from koffer.errors import ValidationError

DATA = resources.files("koffer.cases").joinpath("data", "din91379")


def _list_entries() -> list[tuple[str, str]]:
    """(group, glyph) of latin_list_1.3.txt, parsed independently by code points."""
    out = []
    for line in DATA.joinpath("latin_list_1.3.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            parts = line.split("; ")
            out.append((parts[0], "".join(chr(int(cp, 16)) for cp in parts[2].split())))
    return out


ENTRIES = _list_entries()
A_SET = {g for group, g in ENTRIES if group in ("bll", "bnlreq")}
MAX_LEN = max(len(g) for _, g in ENTRIES)


def _latin_letters() -> list[str]:
    text = DATA.joinpath("latin_letters_1.3.txt").read_text(encoding="utf-8")
    section = text.split("bnlreq;")[0]
    tokens: list[str] = []
    for line in section.splitlines()[1:]:
        if line.strip() == "Sequences":
            continue
        tokens.extend(t for t in line.split(" ") if t)
    return tokens


def test_name_with_ligature_and_sharp_s_is_valid_for_a() -> None:
    assert validate("Nœl Schmidt-Strauß") == "Nœl Schmidt-Strauß"
    assert is_valid("Nœl Schmidt-Strauß", "A")


def test_street_with_digits_invalid_for_a_valid_for_b() -> None:
    text = "Karl-Bröger Straße 17"
    with pytest.raises(InvalidCharacters) as info:
        validate(text, "A")
    err = info.value
    assert isinstance(err, ValidationError)
    assert err.position == text.index("1") == 19
    assert err.character == "1"
    assert "„1“ (U+0031)" in err.message
    assert "Stelle 20" in err.message
    assert "Namen" in err.message
    assert "position 20" in err.message_en
    assert validate(text, "B") == text


def test_decomposed_mueller_gives_nfc() -> None:
    decomposed = "Mu\u0308ller"
    assert validate(decomposed) == "Müller" == unicodedata.normalize("NFC", decomposed)
    assert len(validate(decomposed)) == 6


def test_cyrillic_rejected_for_a_but_allowed_in_e() -> None:
    with pytest.raises(InvalidCharacters) as info:
        validate("Иванов")
    assert info.value.position == 0
    assert info.value.character == "И"
    assert "U+0418" in info.value.message
    assert validate("Иванов", "E") == "Иванов"


def test_every_letter_and_sequence_of_latin_letters_is_valid() -> None:
    tokens = _latin_letters()
    assert len(tokens) == 649  # 500 letters + 149 sequences
    for token in tokens:
        assert validate(token, "A") == token
        assert glyphs(token) == [token]


def test_groups_per_datatype() -> None:
    for group, glyph in ENTRIES:
        for datatype, groups in din91379.DATATYPES.items():
            assert is_valid(glyph, datatype) == (group in groups), (group, glyph, datatype)


def test_sequence_only_letter_is_one_glyph() -> None:
    text = "L\u0325\u0304ubo"  # L̥̄ exists only as a sequence
    assert glyphs(text) == ["L\u0325\u0304", "u", "b", "o"]
    assert validate(text) == text


def test_undefined_mark_after_sequence_is_reported_alone() -> None:
    text = "L\u0325\u030ba"  # L̥ is a sequence, U+030B after it is not part of one
    with pytest.raises(InvalidCharacters) as info:
        validate(text, "A")
    assert (info.value.position, info.value.character) == (2, "\u030b")
    assert validate(text, "E") == text  # dc is part of type E


def test_position_counts_in_the_nfc_text() -> None:
    # NFC composes L + U+0301 into Ĺ across the U+0325 below it: "Ĺ" + U+0325
    with pytest.raises(InvalidCharacters) as info:
        validate("L\u0325\u0301a", "A")
    assert (info.value.position, info.value.character) == (1, "\u0325")


def test_control_character_named_by_code_point() -> None:
    with pytest.raises(InvalidCharacters) as info:
        validate("Haupt\tstraße", "B")
    assert "U+0009" in info.value.message
    assert validate("Haupt\tstraße", "C") == "Haupt\tstraße"


def test_nbsp_and_n3_only_in_c() -> None:
    assert not is_valid("a\u00a0b", "B")
    assert is_valid("a\u00a0b", "C")
    assert not is_valid("½", "B")
    assert is_valid("½", "C")


def test_empty_text_is_valid() -> None:
    assert validate("") == ""


def test_unknown_datatype_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validate("a", "Z")


def test_search_form() -> None:
    assert search_form("Nœl Schmidt-Strauß") == "NOEL SCHMIDT-STRAUSS"
    assert search_form("Mu\u0308ller") == "MUELLER"
    assert search_form("K\u035fHoury") == "KHOURY"
    assert search_form("Þórður Dvořák") == "THORDUR DVORAK"
    assert search_form("ab 12") == "AB 12"


def _reference_first_error(nfc: str) -> int | None:
    """Independent greedy longest match over type A; index of first bad glyph."""
    i = 0
    while i < len(nfc):
        for length in range(MAX_LEN, 0, -1):
            if nfc[i : i + length] in A_SET and i + length <= len(nfc):
                i += length
                break
        else:
            return i
    return None


text_strategy = st.lists(
    st.one_of(st.sampled_from(sorted(A_SET)), st.characters(), st.sampled_from(["\u0301", "1"])),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_nfc_and_nfd_give_the_same_result(text: str) -> None:
    def outcome(s: str) -> tuple[str, object]:
        try:
            return ("ok", validate(s))
        except InvalidCharacters as exc:
            return ("bad", (exc.position, exc.character))

    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert outcome(nfc) == outcome(nfd) == outcome(text)


@settings(max_examples=500, deadline=None)
@given(text_strategy)
def test_arbitrary_text_accepted_or_first_bad_glyph_named(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    expected = _reference_first_error(nfc)
    try:
        result = validate(text)
    except InvalidCharacters as exc:
        assert expected == exc.position
        assert nfc[exc.position : exc.position + len(exc.character)] == exc.character
        assert exc.character not in A_SET
        assert exc.message and exc.message_en
    else:
        assert expected is None
        assert result == nfc


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_never_crashes(text: str) -> None:
    for datatype in "ABCDE":
        try:
            assert validate(text, datatype) == unicodedata.normalize("NFC", text)
        except InvalidCharacters:
            pass
    search_form(text)


ALL_GLYPHS = sorted(din91379._tables().groups)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(ALL_GLYPHS), st.characters(), st.sampled_from(["a", " ", "h"])),
        max_size=10,
    ).map("".join),
    st.sampled_from(sorted(din91379.DATATYPES)),
)
def test_the_fast_path_agrees_with_longest_match(text: str, datatype: str) -> None:
    """Texts of plain code points skip the scan; the scan must agree with that."""
    nfc = unicodedata.normalize("NFC", text)

    def outcome(check: Any) -> object:
        try:
            check()
        except InvalidCharacters as exc:
            return (exc.position, exc.character)
        return "ok"

    assert outcome(lambda: validate(text, datatype)) == outcome(
        lambda: din91379._scan(nfc, datatype)
    )


def test_a_sequence_on_a_plain_base_letter_is_still_scanned() -> None:
    # "L" is a plain letter; "L" + U+0325 U+0304 is one glyph of the list
    assert validate("AL\u0325\u0304A") == "AL\u0325\u0304A"
    with pytest.raises(InvalidCharacters) as info:
        validate("Ha\u0310ns")  # a mark that forms no glyph with "a"
    assert info.value.position == 2
