"""ESC/POS encoders and DLE EOT status decoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from koffer.devices.interfaces import PrinterState, ReceiptCut, ReceiptQr, ReceiptText
from koffer.drivers.escpos import codec
from koffer.drivers.escpos.simulator import EscPosSimulator
from koffer.errors import DeviceProtocolError


def test_german_text_in_cp858_and_transliteration() -> None:
    assert codec.encode_text("äöüß €") == "äöüß €".encode("cp858")
    assert codec.transliterate("„Łódź“ – ok") == '"Lódz" - ok'
    assert codec.encode_text("日本") == b"??"


def test_commands_have_their_documented_bytes() -> None:
    assert codec.init() == b"\x1b@"
    assert codec.cut() == b"\x1dV\x00" and codec.cut(partial=True) == b"\x1dV\x01"
    assert codec.status_request(4) == b"\x10\x04\x04"
    assert codec.select_code_page("cp858") == b"\x1bt\x13"


def test_raster_image_header_and_bits() -> None:
    image = Image.new("L", (10, 2), 255)
    image.putpixel((0, 0), 0)
    data = codec.raster_image(image)
    assert data[:8] == bytes([0x1D, 0x76, 0x30, 0, 2, 0, 2, 0])
    assert data[8] == 0x80 and len(data) == 8 + 4


def test_receipt_round_trips_through_the_simulator_parser() -> None:
    sim = EscPosSimulator()
    sim.feed(
        codec.encode_receipt(
            [
                ReceiptText("Gebühr 12,00 €", bold=True, align="right"),
                ReceiptQr("K-7"),
                ReceiptCut(),
            ]
        )
    )
    assert sim.text_lines == ["Gebühr 12,00 €"]
    assert sim.printed[0].bold and sim.printed[0].align == "right"  # type: ignore[union-attr]
    assert sim.qr_codes == ["K-7"] and len(sim.cuts) == 1


@pytest.mark.parametrize(
    ("s1", "s2", "s4", "state"),
    [
        (0x12, 0x12, 0x12, PrinterState.READY),
        (0x1A, 0x12, 0x12, PrinterState.OFFLINE),
        (0x1A, 0x16, 0x12, PrinterState.COVER_OPEN),
        (0x1A, 0x32, 0x72, PrinterState.PAPER_OUT),
        (0x12, 0x12, 0x1E, PrinterState.PAPER_LOW),
        (0x1A, 0x52, 0x12, PrinterState.ERROR),
    ],
)
def test_status_mapping(s1: int, s2: int, s4: int, state: PrinterState) -> None:
    status = codec.status_from_bytes(codec.RawStatus(s1, s2, s4))
    assert status.state is state
    if state is PrinterState.PAPER_OUT:
        assert status.detail == "Papier ist leer. Bitte legen Sie eine neue Rolle ein."


@settings(max_examples=300, deadline=None)
@given(n=st.sampled_from([1, 2, 3, 4]), data=st.binary(max_size=3))
def test_fuzz_status_decoder(n: int, data: bytes) -> None:
    try:
        value = codec.decode_status_byte(n, data)
    except DeviceProtocolError:
        return
    assert len(data) == 1 and value & 0x12 == 0x12


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200))
def test_fuzz_simulator_parser_never_crashes(data: bytes) -> None:
    sim = EscPosSimulator()
    sim.feed(data)
