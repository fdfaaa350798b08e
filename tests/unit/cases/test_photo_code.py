"""E-Passbild code: the layout of TR-03170 Teil 2 Tabelle 2, every field corrupted in turn.

Codes are built here from the table (not from the parser), byte by byte.
"""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from koffer.cases.photo_code import PhotoCodeError, parse
from koffer.errors import ValidationError
from tests.unit.cases.photo_codes import IV, KEY, PHOTO_ID, Layout


def test_valid_code_is_accepted() -> None:
    layout = Layout()
    raw = layout.raw()
    v, x, y, p, z = 30, 11, 16, 9, 16
    assert len(raw) == 0x17 + v + x + y + p + z  # total length of the table
    code = parse(layout.text())
    assert code.url == "https://passbild.example/abruf"
    assert code.photo_id == PHOTO_ID
    assert code.algorithm == "AES_128_CFB"
    assert code.padding == "NOPADDING"
    assert code.iv == IV and code.key == KEY


def test_key_and_iv_never_in_repr_or_masked_text() -> None:
    code = parse(Layout().text())
    for shown in (repr(code), str(code), code.masked()):
        assert KEY.hex() not in shown and repr(KEY) not in shown
        assert IV.hex() not in shown and repr(IV) not in shown
    assert base64.b64encode(KEY).decode() not in repr(code)


def test_line_breaks_of_a_typed_code_are_ignored() -> None:
    text = Layout().text()
    assert parse(text[:20] + "\n" + text[20:]).key == KEY


@pytest.mark.parametrize(
    ("layout", "field"),
    [
        (Layout(magic=0xE3), "magic"),
        (Layout(version=0x02), "version"),
        (Layout(url=b""), "url"),
        (Layout(url=b"https://x/" + b"a" * 91), "url"),  # 101 characters
        (Layout(url=b"https://passbild.example/\xe4"), "url"),
        (Layout(url=b"https://pass bild.example/"), "url"),
        (Layout(algorithm=b"aes_128_cfb"), "algorithm"),  # lower case is not C40 basic
        (Layout(algorithm=b""), "algorithm"),
        (Layout(algorithm=b"ROT13"), "algorithm"),
        (Layout(iv=IV[:15]), "iv"),
        (Layout(padding=b"NoPadding"), "padding"),
        (Layout(padding=b""), "padding"),
        (Layout(key=KEY[:15]), "key"),
        (Layout(algorithm=b"AES_256_CFB"), "key"),  # a 128-bit key for AES-256
        (Layout(trailing=b"\x00"), "key"),
    ],
)
def test_each_corrupted_field_is_named(layout: Layout, field: str) -> None:
    with pytest.raises(PhotoCodeError) as err:
        parse(layout.text())
    assert err.value.field == field
    assert isinstance(err.value, ValidationError)
    assert "Passbild-Code ist ungültig" in err.value.message
    assert KEY.hex() not in err.value.message


def test_url_of_exactly_100_characters_is_accepted() -> None:
    url = b"https://x/" + b"a" * 90
    assert len(url) == 100
    assert parse(Layout(url=url).text()).url == url.decode()


@pytest.mark.parametrize("cut", [1, 2, 3, 20, 40, 60, 80])
def test_truncated_code_is_refused(cut: int) -> None:
    raw = Layout().raw()[:-cut]
    with pytest.raises(PhotoCodeError):
        parse(base64.b64encode(raw).decode())


@pytest.mark.parametrize("text", ["", "   ", "not base64 !!", "4g==" * 600])
def test_not_a_code_at_all(text: str) -> None:
    with pytest.raises(PhotoCodeError) as err:
        parse(text)
    assert err.value.field in {"code", "version", "url"}


def test_aes_256_with_its_key_length() -> None:
    layout = replace(Layout(), algorithm=b"AES_256_CFB", key=bytes(32))
    assert parse(layout.text()).algorithm == "AES_256_CFB"
