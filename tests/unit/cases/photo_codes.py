"""E-Passbild codes built byte by byte from TR-03170 Teil 2 Tabelle 2 (not from the parser)."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

PHOTO_ID = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")
KEY = bytes(range(0x40, 0x50))
IV = bytes(range(0x10, 0x20))


@dataclass(frozen=True)
class Layout:
    magic: int = 0xE2
    version: int = 0x01
    url: bytes = b"https://passbild.example/abruf"
    photo_id: bytes = PHOTO_ID.bytes
    algorithm: bytes = b"AES_128_CFB"
    iv: bytes = IV
    padding: bytes = b"NOPADDING"
    key: bytes = KEY
    trailing: bytes = b""

    def raw(self) -> bytes:
        return (
            bytes([self.magic, self.version, len(self.url)])
            + self.url
            + self.photo_id
            + bytes([len(self.algorithm)])
            + self.algorithm
            + bytes([len(self.iv)])
            + self.iv
            + bytes([len(self.padding)])
            + self.padding
            + bytes([len(self.key)])
            + self.key
            + self.trailing
        )

    def text(self) -> str:
        return base64.b64encode(self.raw()).decode("ascii")
