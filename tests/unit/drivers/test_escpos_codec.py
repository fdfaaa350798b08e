"""ESC/POS encoders and DLE EOT status decoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from koffer.devices.interfaces import (
    PrinterState,
    ReceiptCut,
    ReceiptFeed,
    ReceiptQr,
    ReceiptText,
)
from koffer.drivers.escpos import codec
from koffer.drivers.escpos.simulator import EscPosSimulator
from koffer.errors import DeviceProtocolError


def test_german_text_in_cp858_and_transliteration() -> None:
    assert codec.encode_text("äöüß €") == "äöüß €".encode("cp858")
    assert codec.transliterate("„Łódź“ – ok") == '"Lódz" - ok'
    assert codec.encode_text("日本") == b"??"


def test_commands_have_their_documented_bytes() -> None:
    assert codec.init() == b"\x1b@"
    # GS V m n, function B: feed to the cutting position, then cut (66 partial, 65 full)
    assert codec.cut() == b"\x1dV\x42\x00" and codec.cut(partial=False) == b"\x1dVA\x00"
    assert codec.cut(extra_feed=8) == b"\x1d\x56\x42\x08"
    assert codec.status_request(3) == b"\x10\x04\x03"
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
    status = codec.status_from_bytes(codec.RawStatus(s1, s2, s4, 0x12))
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


def test_autocutter_error_is_named_in_the_message() -> None:
    # DLE EOT 1 offline (bit 3), DLE EOT 2 error (bit 6), DLE EOT 3 autocutter error (bit 3)
    status = codec.status_from_bytes(codec.RawStatus(0x1A, 0x52, 0x12, 0x1A))
    assert status.state is PrinterState.ERROR and "cutter-error" in status.reasons
    assert "Schneidwerk" in status.detail and "Papier" in status.detail
    for error_byte, reason in ((0x32, "unrecoverable-error"), (0x16, "mechanical-error")):
        other = codec.status_from_bytes(codec.RawStatus(0x1A, 0x52, 0x12, error_byte))
        assert other.state is PrinterState.ERROR and reason in other.reasons
        assert "Schneidwerk" not in other.detail


def test_columns_follow_the_head_width() -> None:
    assert codec.columns(576) == 48 and codec.columns(576, double_size=True) == 24
    assert codec.columns(384) == 32


def test_wrap_breaks_at_word_boundaries() -> None:
    text = "Gebühr für den Personalausweis einer Person ab 24 Jahren: 46,00 EUR"
    lines = codec.wrap_line(text, 48)
    assert lines == ["Gebühr für den Personalausweis einer Person ab", "24 Jahren: 46,00 EUR"]
    assert codec.wrap_line("x" * 50, 48) == ["x" * 48, "xx"]
    assert codec.wrap_line("", 48) == [""]
    assert codec.wrap_text("kurz\n" + "wort " * 12, 24).split("\n")[0] == "kurz"


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab cdé", max_size=200), width=st.integers(1, 60))
def test_wrapped_lines_fit_and_keep_every_word(text: str, width: int) -> None:
    lines = codec.wrap_line(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_long_lines_are_wrapped_before_the_printer_breaks_them() -> None:
    long_line = "Bitte bringen Sie zur Abholung den alten Ausweis und diese Quittung mit."
    sim = EscPosSimulator()
    sim.feed(codec.encode_receipt([ReceiptText(long_line), ReceiptText("Kurz")]))
    assert sim.text_lines == [
        "Bitte bringen Sie zur Abholung den alten Ausweis",
        "und diese Quittung mit.",
        "Kurz",
    ]
    # sent unwrapped, the printer itself breaks the line in the middle of a word
    raw = EscPosSimulator()
    raw.feed(codec.init() + codec.encode_text(long_line + "\n"))
    assert raw.text_lines[0] == long_line[:48] and raw.text_lines[0].endswith("Ausweis")
    double = EscPosSimulator()
    double.feed(codec.encode_receipt([ReceiptText(long_line, double_size=True)]))
    assert all(len(line) <= 24 for line in double.text_lines) and len(double.text_lines) == 4


def test_short_receipts_stay_byte_stable() -> None:
    job = codec.encode_receipt([ReceiptText("Quittung", bold=True)], max_width=576)
    assert job == (
        b"\x1b@\x1bt\x13" + b"\x1ba\x00\x1bE\x01\x1d!\x00Quittung\n\x1bE\x00\x1d!\x00\x1ba\x00"
    )


def test_the_cut_feeds_the_last_line_past_the_blade() -> None:
    items = [ReceiptText("Zeile 1"), ReceiptText("Letzte Zeile"), ReceiptFeed(3), ReceiptCut()]
    sim = EscPosSimulator()
    sim.feed(codec.encode_receipt(items))
    assert [(c.partial, c.lines_past_blade) for c in sim.cuts] == [(True, 0)]
    # the old job: GS V 0 after three line feeds (12.7 mm) cuts through the last line
    old = EscPosSimulator()
    old.feed(codec.encode_receipt(items[:3]) + b"\x1dV\x00")
    assert [(c.partial, c.lines_past_blade) for c in old.cuts] == [(False, 1)]


def test_simulated_cutter_error_answers_dle_eot_3() -> None:
    sim = EscPosSimulator()
    sim.jam_cutter_on_next_cut()
    sim.feed(codec.encode_receipt([ReceiptText("x"), ReceiptCut()]))
    assert sim.cuts == [] and sim.cutter_error
    sim.feed(codec.status_request(3) + codec.status_request(2) + codec.status_request(1))
    assert sim.take_output() == bytes([0x1A, 0x52, 0x1A])
    sim.set_cutter_error(False)
    sim.feed(codec.status_request(3))
    assert sim.take_output() == b"\x12"
