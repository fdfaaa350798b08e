"""STU report codec: layouts from the device notes, and fuzzing of the decoders."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from koffer.devices.pen import declaration_screen
from koffer.drivers.wacom_stu import codec
from koffer.drivers.wacom_stu.image import ImageEncoding, ImageFormat, decode_image, encode_image
from koffer.errors import DeviceProtocolError


def test_pen_report_01_bit_layout_follows_the_sdk() -> None:
    # rdy bit7, sw bits6-4, pressure[11:8] bits3-0; x, y big-endian
    data = bytes([0x01, 0x80 | 0x10 | 0x03, 0x21, 0x12, 0x34, 0x05, 0x06])
    pen = codec.decode_pen_report(data)
    assert pen.in_proximity and pen.touching
    assert pen.pressure == 0x321
    assert (pen.x, pen.y) == (0x1234, 0x0506)
    assert pen.sequence is None


def test_pen_report_34_carries_time_and_sequence_big_endian() -> None:
    pen = codec.RawPenData(True, 0, 0, 10, 20, time_count=0x0102, sequence=0xFFFE)
    data = codec.encode_pen_data(pen)
    assert data[0] == 0x34 and len(data) == 11
    assert data[7:11] == bytes([0x01, 0x02, 0xFF, 0xFE])
    assert codec.decode_pen_report(data) == pen
    assert not codec.decode_pen_report(data).touching


def test_capability_is_big_endian_and_handwriting_area_little_endian() -> None:
    cap = codec.Capability(9600, 6000, 1023, 320, 200, 200, 2540, 2)
    raw = codec.encode_capability(cap)
    assert len(raw) == 17 and raw[1:3] == bytes([0x25, 0x80])
    assert codec.decode_capability(raw) == cap
    area = codec.encode_handwriting_area(1, 2, 300, 200)
    assert area == bytes([0x2A, 1, 0, 2, 0, 0x2C, 0x01, 0xC8, 0x00])


def test_information_and_status_round_trip() -> None:
    info = codec.Information("STU-540", 1, 2, 0, b"\0\0\0\0")
    assert codec.decode_information(codec.encode_information(info)) == info
    status = codec.Status(codec.StatusCode.IMAGE, codec.ResultCode.WRONG_STATE)
    assert codec.decode_status(codec.encode_status(status)) == status


def test_image_blocks_use_the_block_size() -> None:
    payload = bytes(range(256)) * 32 + b"xy"  # 8194 bytes
    blocks = codec.image_blocks(payload, codec.BLOCK_DATA_SMALL)
    assert all(len(b) == 256 for b in blocks)
    assert b"".join(codec.decode_image_block(b) for b in blocks) == payload
    big = codec.image_blocks(payload, codec.BLOCK_DATA_LARGE)
    assert len(big[0]) == 2560 and len(big) == 4


def test_mono_image_for_the_430_is_8000_bytes_and_32_blocks() -> None:
    image = Image.new("RGB", (320, 200), "white")
    image.paste((0, 0, 0), (0, 0, 8, 1))
    data = encode_image(image, ImageFormat(ImageEncoding.MONO))
    assert len(data) == 8000 and data[0] == 0xFF and data[1] == 0
    assert len(codec.image_blocks(data)) == 32


@pytest.mark.parametrize("encoding", list(ImageEncoding))
def test_image_encodings_round_trip(encoding: ImageEncoding) -> None:
    fmt = ImageFormat(encoding)
    screen = declaration_screen((320, 200))
    back = decode_image(encode_image(screen.image, fmt), fmt, (320, 200))
    ok = screen.buttons[-1]
    # the frame of the OK button is dark, its inside corner light
    assert sum(back.getpixel((ok.left, ok.top))) < 100
    assert sum(back.getpixel((ok.left + 2, ok.top + 2))) > 600


def test_declaration_screen_has_the_three_buttons_at_the_pad_size() -> None:
    screen = declaration_screen((800, 480))
    assert screen.image.size == (800, 480)
    assert [b.name for b in screen.buttons] == ["clear", "cancel", "ok"]
    assert all(0 <= b.left < b.right <= 800 and b.bottom <= 480 for b in screen.buttons)


def test_sequence_gap_wraps_at_16_bits() -> None:
    assert codec.sequence_gap(None, 5) == 0
    assert codec.sequence_gap(5, 6) == 0
    assert codec.sequence_gap(0xFFFF, 2) == 2


def test_short_report_is_a_protocol_error_with_german_message() -> None:
    with pytest.raises(DeviceProtocolError) as info:
        codec.decode_capability(b"\x09\x00")
    assert "Unterschriftenfeld" in info.value.message


DECODERS = [
    codec.decode_pen_report,
    codec.decode_capability,
    codec.decode_information,
    codec.decode_status,
    codec.decode_image_block,
    codec.decode_handwriting_area,
]


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=40), which=st.integers(0, len(DECODERS) - 1))
def test_fuzz_report_decoders(data: bytes, which: int) -> None:
    try:
        DECODERS[which](data)
    except DeviceProtocolError:
        pass


@settings(max_examples=200, deadline=None)
@given(report=st.sampled_from([0x01, 0x34]), body=st.binary(min_size=10, max_size=10))
def test_fuzz_pen_reports_of_the_right_length_always_decode(report: int, body: bytes) -> None:
    pen = codec.decode_pen_report(bytes([report]) + body)
    assert 0 <= pen.pressure <= 0xFFF and 0 <= pen.switch <= 7
