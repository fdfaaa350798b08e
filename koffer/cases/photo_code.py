"""The E-Passbild code (BSI TR-03170 Teil 2 § 2.3, Tabelle 2), checked offline.

A photo studio uploads the citizen's photo, encrypted, to a cloud service and
hands the citizen a DataMatrix code. The code holds a **Base64** text of these
bytes (offsets from the start, ``v``/``x``/``y``/``p``/``z`` the length bytes)::

    0x00            1  magic 0xE2
    0x01            1  version 0x01
    0x02            1  URL length v
    0x03            v  cloud URL, ASCII, at most 100 characters
    0x03+v         16  photo id, 128 bit (ISO/IEC 9834-8)
    0x13+v          1  length x
    0x14+v          x  algorithm, e.g. "AES_128_CFB", in the C40 character set
    0x14+v+x        1  length y
    0x15+v+x        y  IV
    0x15+v+x+y      1  length p
    0x16+v+x+y      p  padding, in the C40 character set
    0x16+v+x+y+p    1  length z
    0x17+v+x+y+p    z  symmetric key

:func:`parse` checks every field while the citizen is still there, so a bad
scan is noticed at once. The code **contains the decryption key**: a
:class:`PhotoCode` never shows the key (nor the IV) in its ``repr`` and
offers :meth:`PhotoCode.masked` for the screen. The key travels only inside
the sealed case.

How C40 applies inside Base64 is not settled by the text; this module reads
"in C40" as "only characters C40 can encode without Shift 3": digits, capital
letters, space and the Shift 2 punctuation.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field

from koffer.errors import ValidationError

__all__ = ["KEY_LENGTHS", "MAGIC", "MAX_URL_LENGTH", "VERSION", "PhotoCode", "parse"]

MAGIC = 0xE2
VERSION = 0x01
MAX_URL_LENGTH = 100
PHOTO_ID_LENGTH = 16
#: longest Base64 text a code can hold (ample for every field at its maximum)
MAX_TEXT_LENGTH = 2048

#: symmetric key length in bytes per algorithm name; IV length is the AES block
KEY_LENGTHS = {
    "AES_128_CFB": 16,
    "AES_192_CFB": 24,
    "AES_256_CFB": 32,
    "AES_128_CBC": 16,
    "AES_192_CBC": 24,
    "AES_256_CBC": 32,
}
_IV_LENGTH = 16

_C40 = frozenset(" 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "!\"#$%&'()*+,-./:;<=>?@[\\]^_")

_FIELDS_DE = {
    "code": "Passbild-Code",
    "magic": "Kennung",
    "version": "Version",
    "url": "Adresse des Passbild-Dienstes",
    "photo_id": "Bild-Kennung",
    "algorithm": "Verschlüsselungsverfahren",
    "iv": "Initialisierungsvektor",
    "padding": "Auffüllverfahren",
    "key": "Schlüssel",
}
_FIELDS_EN = {
    "code": "photo code",
    "magic": "magic byte",
    "version": "version",
    "url": "photo service address",
    "photo_id": "photo id",
    "algorithm": "encryption algorithm",
    "iv": "initialisation vector",
    "padding": "padding",
    "key": "key",
}


class PhotoCodeError(ValidationError):
    """A field of the E-Passbild code is wrong; ``field`` names it."""

    def __init__(self, field_name: str, de: str, en: str) -> None:
        super().__init__(
            f"Der Passbild-Code ist ungültig ({_FIELDS_DE[field_name]}: {de}). "
            "Bitte scannen Sie den Code erneut oder lassen Sie ihn vom Fotostudio prüfen.",
            message_en=(
                f"The photo code is invalid ({_FIELDS_EN[field_name]}: {en}). "
                "Please scan the code again or have the photo studio check it."
            ),
        )
        self.field = field_name


@dataclass(frozen=True)
class PhotoCode:
    """The decoded fields; ``iv`` and ``key`` are kept out of ``repr``."""

    url: str
    photo_id: uuid.UUID
    algorithm: str
    padding: str
    iv: bytes = field(repr=False)
    key: bytes = field(repr=False)

    def masked(self) -> str:
        """What the clerk may see: service, photo id, algorithm; never the key."""
        return f"{self.url} · {self.photo_id} · {self.algorithm} · Schlüssel ••••"


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, count: int, field_name: str) -> bytes:
        end = self.pos + count
        if end > len(self.data):
            raise PhotoCodeError(field_name, "der Code ist zu kurz", "the code is too short")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def length_prefixed(self, field_name: str) -> bytes:
        return self.take(self.take(1, field_name)[0], field_name)


def _c40_text(raw: bytes, field_name: str) -> str:
    if not raw:
        raise PhotoCodeError(field_name, "fehlt", "missing")
    text = raw.decode("latin-1")
    if any(char not in _C40 for char in text):
        raise PhotoCodeError(
            field_name, "unzulässige Zeichen (nicht C40)", "characters outside C40"
        )
    return text


def _decode_base64(text: str) -> bytes:
    compact = "".join(text.split())
    if not compact or len(compact) > MAX_TEXT_LENGTH:
        raise PhotoCodeError("code", "leer oder zu lang", "empty or too long")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PhotoCodeError("code", "kein gültiges Base64", "not valid Base64") from exc


def parse(text: str) -> PhotoCode:
    """Decode and check a scanned or typed E-Passbild code.

    :raises ValidationError: (a :class:`PhotoCodeError`) naming the faulty field.
    """
    reader = _Reader(_decode_base64(text))
    if reader.take(1, "magic")[0] != MAGIC:
        raise PhotoCodeError("magic", "nicht 0xE2", "not 0xE2")
    if reader.take(1, "version")[0] != VERSION:
        raise PhotoCodeError("version", "nicht 0x01", "not 0x01")
    url_raw = reader.length_prefixed("url")
    if not url_raw or len(url_raw) > MAX_URL_LENGTH:
        raise PhotoCodeError(
            "url", "leer oder länger als 100 Zeichen", "empty or longer than 100 characters"
        )
    if any(byte < 0x21 or byte > 0x7E for byte in url_raw):
        raise PhotoCodeError("url", "kein druckbares ASCII", "not printable ASCII")
    photo_id = uuid.UUID(bytes=reader.take(PHOTO_ID_LENGTH, "photo_id"))
    algorithm = _c40_text(reader.length_prefixed("algorithm"), "algorithm")
    key_length = KEY_LENGTHS.get(algorithm)
    if key_length is None:
        raise PhotoCodeError("algorithm", "unbekanntes Verfahren", "unknown algorithm")
    iv = reader.length_prefixed("iv")
    if len(iv) != _IV_LENGTH:
        raise PhotoCodeError("iv", "nicht 16 Byte lang", "not 16 bytes long")
    padding = _c40_text(reader.length_prefixed("padding"), "padding")
    key = reader.length_prefixed("key")
    if len(key) != key_length:
        raise PhotoCodeError(
            "key",
            f"nicht {key_length} Byte lang, wie {algorithm} verlangt",
            f"not {key_length} bytes long as {algorithm} requires",
        )
    if reader.pos != len(reader.data):
        raise PhotoCodeError("key", "nach dem Schlüssel folgen weitere Daten", "trailing data")
    return PhotoCode(
        url=url_raw.decode("ascii"),
        photo_id=photo_id,
        algorithm=algorithm,
        padding=padding,
        iv=iv,
        key=key,
    )
