"""ZVT codec: byte sequences taken from the protocol reference (PA00P015 /
PA00P016 as summarised in the shared device notes, with their captures and
vectors), plus round trips. The expected bytes are written out by hand from
the specification text, not produced by the code under test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koffer.drivers.zvt import codec
from koffer.drivers.zvt.codec import Apdu, Tlv
from koffer.errors import DeviceProtocolError


def h(text: str) -> bytes:
    return bytes.fromhex(text)


# ------------------------------------------------------------ serial + CRC


def test_crc_is_crc16_kermit() -> None:
    assert codec.crc(b"123456789") == 0x2189


@pytest.mark.parametrize(
    ("apdu", "frame"),
    [
        ("80 00 00", "10 02 80 00 00 10 03 F5 1F"),
        ("84 9C 00", "10 02 84 9C 00 10 03 C3 41"),
        ("06 70 00", "10 02 06 70 00 10 03 D9 F9"),
        (
            "06 01 0A 04 00 00 00 00 46 00 49 09 78",
            "10 02 06 01 0A 04 00 00 00 00 46 00 49 09 78 10 03 BC 38",
        ),
        (
            "06 01 0A 04 00 00 00 01 10 00 49 09 78",
            "10 02 06 01 0A 04 00 00 00 01 10 10 00 49 09 78 10 03 F2 FF",
        ),
        ("06 00 06 12 34 56 BA 09 78", "10 02 06 00 06 12 34 56 BA 09 78 10 03 24 C3"),
        ("05 01 03 12 34 56", "10 02 05 01 03 12 34 56 10 03 E0 43"),
    ],
)
def test_serial_frames_from_the_reference(apdu: str, frame: str) -> None:
    assert codec.encode_frame(h(apdu)) == h(frame)
    framer = codec.SerialFramer()
    assert framer.feed(h(frame)) == [codec.Frame(h(apdu))]


def test_serial_framer_reports_ack_nak_noise_and_bad_crc() -> None:
    framer = codec.SerialFramer()
    good = h("10 02 80 00 00 10 03 F5 1F")
    bad = h("10 02 80 00 00 10 03 F5 1E")
    events = framer.feed(b"\x06" + b"\x41\x42" + bad + b"\x15" + good)
    assert events[0] == codec.LinkAck()
    assert isinstance(events[1], codec.BadFrame) and events[1].reason == "CRC mismatch"
    assert events[2] == codec.LinkNak() and events[3] == codec.Frame(h("80 00 00"))
    assert framer.noise == 2
    assert isinstance(framer.feed(h("10 02 06 10 41"))[0], codec.BadFrame)  # stray DLE


@settings(max_examples=200, deadline=None)
@given(apdu=st.binary(min_size=3, max_size=300), cuts=st.lists(st.integers(0, 320), max_size=6))
def test_serial_frames_round_trip_in_any_segmentation(apdu: bytes, cuts: list[int]) -> None:
    frame = codec.encode_frame(apdu)
    assert frame[:2] == b"\x10\x02" and frame[-4:-2] == b"\x10\x03"
    assert frame[2:-4] == apdu.replace(b"\x10", b"\x10\x10")
    framer = codec.SerialFramer()
    events: list[codec.SerialEvent] = []
    start = 0
    for cut in sorted(c for c in cuts if c < len(frame)):
        events += framer.feed(frame[start:cut])
        start = cut
    events += framer.feed(frame[start:])
    assert events == [codec.Frame(apdu)]


# ------------------------------------------------------------------ APDU


def test_apdu_lengths_including_the_three_byte_form() -> None:
    assert codec.encode_apdu(0x80, 0x00) == h("80 00 00")
    assert codec.encode_apdu(0x06, 0xD3, bytes(254))[:3] == h("06 D3 FE")
    assert codec.encode_apdu(0x06, 0xD3, bytes(255))[:5] == h("06 D3 FF FF 00")
    # captured text block: FF 8E 02 = 654 data bytes, little-endian
    raw = h("06 D3 FF 8E 02") + bytes(654)
    assert codec.apdu_size(raw) == 659
    assert codec.decode_apdu(raw) == Apdu(0x06, 0xD3, bytes(654))
    assert codec.encode_apdu(0x06, 0xD3, bytes(654)) == raw
    assert codec.apdu_size(h("06 D3 FF 8E")) is None
    with pytest.raises(ValueError):
        codec.encode_apdu(0x06, 0xD3, bytes(65536))


@settings(max_examples=100, deadline=None)
@given(
    apdus=st.lists(
        st.tuples(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=600)), max_size=5
    ),
    chunk=st.integers(1, 50),
)
def test_apdu_framer_copes_with_any_tcp_segmentation(
    apdus: list[tuple[int, int, bytes]], chunk: int
) -> None:
    stream = b"".join(codec.encode_apdu(c, i, d) for c, i, d in apdus)
    framer = codec.ApduFramer()
    out: list[Apdu] = []
    for start in range(0, len(stream), chunk):
        out += framer.feed(stream[start : start + chunk])
    assert out == [Apdu(c, i, d) for c, i, d in apdus]


# ---------------------------------------------------------- ECR commands


def test_commands_have_their_specified_bytes() -> None:
    assert codec.authorization(4600) == h("06 01 0A 04 00 00 00 00 46 00 49 09 78")
    assert codec.registration("123456", 0x8E) == h(
        "06 00 0E 12 34 56 8E 09 78 06 06 26 04 0A 02 06 D3"
    )
    assert codec.registration("123456", 0xBA, tlv=()) == h("06 00 06 12 34 56 BA 09 78")
    assert codec.status_enquiry("123456") == h("05 01 03 12 34 56")
    assert codec.repeat_receipt("123456", 0x01) == h("06 20 05 12 34 56 03 01")
    assert codec.reversal("123456", 42) == h("06 30 06 12 34 56 87 00 42")
    assert codec.end_of_day("123456") == h("06 50 03 12 34 56")
    assert codec.abort() == h("06 B0 00")
    assert codec.ACK_APDU == h("80 00 00") and codec.negative(0x83) == h("84 83 00")
    assert codec.authorization(1000, payment_type=0x40) == h(
        "06 01 0C 04 00 00 00 00 10 00 49 09 78 19 40"
    )
    assert codec.DEFAULT_CONFIG & 0x02 and codec.DEFAULT_CONFIG & 0x80  # ECR prints, PT texts
    with pytest.raises(ValueError):
        codec.password_bcd("12345")


# -------------------------------------------------------- BCD and LL(L)VAR


def test_bcd_amounts_and_fields() -> None:
    assert codec.bcd(4600, 6) == h("00 00 00 00 46 00")
    assert codec.from_bcd(h("00 00 00 00 20 40")) == 2040
    assert codec.bcd(978, 2) == h("09 78")
    with pytest.raises(ValueError):
        codec.bcd(10**12, 6)
    with pytest.raises(DeviceProtocolError):
        codec.from_bcd(h("0A"))


def test_llvar_prefixes_count_bytes_in_decimal_digits() -> None:
    assert codec.llvar(b"abc") == h("F0 F3") + b"abc"
    assert codec.llvar(bytes(12)) == h("F1 F2") + bytes(12)
    assert codec.llvar(bytes(14), 3) == h("F0 F1 F4") + bytes(14)
    assert codec.read_llvar(h("F1 F2") + bytes(12) + b"x", 0, 2) == (bytes(12), 14)
    with pytest.raises(DeviceProtocolError):
        codec.read_llvar(h("F1 FA"), 0, 2)
    with pytest.raises(DeviceProtocolError):
        codec.read_llvar(h("F0 F5 00"), 0, 2)


@settings(max_examples=200, deadline=None)
@given(value=st.integers(0, 10**12 - 1), data=st.binary(max_size=120))
def test_bcd_and_llvar_round_trip(value: int, data: bytes) -> None:
    assert codec.from_bcd(codec.bcd(value, 6)) == value
    assert codec.read_llvar(codec.llvar(data, 3), 0, 3) == (data, len(data) + 3)
    if len(data) < 100:
        assert codec.read_llvar(codec.llvar(data, 2), 0, 2) == (data, len(data) + 2)


def test_masked_pan_as_captured() -> None:
    bmps = codec.decode_bmps(h("22 F0 F8 EE EE EE EE EE EE 47 71"))
    assert codec.masked_digits(bmps.fields[0x22]) == "************4771"
    assert codec.masked_digits(h("67 26 EE EE 12 3F")) == "6726****123"


# ------------------------------------------------------------------- TLV


def test_tlv_tags_and_lengths() -> None:
    permitted = codec.decode_tlv(h("26 04 0A 02 06 D3"))
    assert permitted == (Tlv(0x26, children=(Tlv(0x0A, h("06 D3")),)),)
    assert codec.encode_tlv(permitted) == h("26 04 0A 02 06 D3")
    assert codec.decode_tlv(h("1F 07 01 02")) == (Tlv(0x1F07, h("02")),)
    long_value = bytes(650)
    encoded = codec.encode_tlv([Tlv(0x07, long_value)])
    assert encoded[:4] == h("07 82 02 8A")
    assert codec.decode_tlv(encoded) == (Tlv(0x07, long_value),)
    assert codec.encode_tlv([Tlv(0x07, bytes(200))])[:3] == h("07 81 C8")
    with pytest.raises(DeviceProtocolError):
        codec.decode_tlv(h("07 05 00"))


tlv_leaf = st.builds(
    Tlv, st.sampled_from([0x07, 0x09, 0x0A, 0x1F07, 0x1F16]), st.binary(max_size=300)
)
tlv_tree = st.recursive(
    tlv_leaf,
    lambda inner: st.builds(
        lambda tag, kids: Tlv(tag, children=tuple(kids)),
        st.sampled_from([0x24, 0x25, 0x26]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(objects=st.lists(tlv_tree, max_size=4))
def test_tlv_round_trip(objects: list[Tlv]) -> None:
    assert codec.decode_tlv(codec.encode_tlv(objects)) == tuple(objects)
    container = codec.tlv_container(objects)
    assert codec.read_tlv_container(container, 1) == (tuple(objects), len(container))


# ------------------------------------------------------------ PT messages


def test_registration_completion_as_captured() -> None:
    apdu = codec.decode_apdu(h("06 0F 0A 19 00 29 29 00 10 06 49 09 78"))
    assert apdu.command == codec.COMPLETION
    bmps = codec.decode_bmps(apdu.data)
    assert bmps.fields[0x19] == b"\x00"
    assert codec.bcd_digits(bmps.fields[0x29]) == "29001006"
    assert bmps.number(0x49) == 978


def test_approved_status_information_as_captured() -> None:
    vu = b"455600000000000"  # 15 ASCII
    aid = b"A0000000"  # 8 bytes
    text = b"Zahlung erfolg"  # 14 bytes
    name = b"Debit Mastercard\x00"  # the trailing NUL counts: 17
    data = (
        h("27 00 04 00 00 00 00 20 40 0B 00 04 70 0C 22 39 53 0D 10 06 0E 25 12 17 00 01 19 70")
        + h("22 F0 F8 EE EE EE EE EE EE 47 71 29 28 00 48 69 2A")
        + vu
        + h("3B")
        + aid
        + h("3C F0 F1 F4")
        + text
        + h("49 09 78 87 04 70 88 00 04 70 8A 2E 8B F1 F7")
        + name
    )
    raw = codec.encode_apdu(0x04, 0x0F, data)
    assert raw[:3] == h("04 0F 77")
    bmps = codec.decode_bmps(codec.decode_apdu(raw).data)
    assert bmps.byte(0x27) == 0 and bmps.number(0x04) == 2040
    assert bmps.number(0x0B) == 470 and bmps.number(0x87) == 470 and bmps.number(0x88) == 470
    assert codec.bcd_digits(bmps.fields[0x0C]) == "223953"
    assert codec.bcd_digits(bmps.fields[0x0D]) == "1006"
    assert codec.bcd_digits(bmps.fields[0x0E]) == "2512"
    assert bmps.number(0x17) == 1 and bmps.fields[0x19] == b"\x70"
    assert codec.masked_digits(bmps.fields[0x22]) == "************4771"
    assert codec.bcd_digits(bmps.fields[0x29]) == "28004869"
    assert bmps.fields[0x2A] == vu and bmps.fields[0x3B] == aid and bmps.fields[0x3C] == text
    assert bmps.fields[0x8A] == b"\x2e" and bmps.fields[0x8B] == name
    for tag, value in bmps.fields.items():  # every field re-encodes to the captured bytes
        assert codec.encode_bmp(tag, value) in data


def test_declined_status_information_and_abort_as_captured() -> None:
    raw = (
        h("04 0F 25 27 05 29 29 00 02 74 3C F0 F0 F9")
        + b"Abgelehnt"
        + h("8A 06 06 0D 24 0B 07 09")
        + b"Abgelehnt"
    )
    apdu = codec.decode_apdu(raw)
    bmps = codec.decode_bmps(apdu.data)
    assert bmps.byte(0x27) == 5 and codec.bcd_digits(bmps.fields[0x29]) == "29000274"
    assert bmps.fields[0x3C] == b"Abgelehnt" and bmps.fields[0x8A] == b"\x06"
    assert [t.value for t in codec.find_tlv(bmps.tlv, 0x07)] == [b"Abgelehnt"]
    assert codec.decode_apdu(h("06 1E 01 05")) == Apdu(0x06, 0x1E, b"\x05")
    timeout = codec.decode_bmps(codec.decode_apdu(h("04 0F 07 27 6C 29 29 00 10 06")).data)
    assert timeout.byte(0x27) == 0x6C


def test_intermediate_status_with_timeout_and_display_text() -> None:
    text = b"Karte vorhalten oder einstecken".ljust(38)
    raw = h("04 FF 2E 0A 01 06 2A 24 28 07 26") + text
    apdu = codec.decode_apdu(raw)
    assert apdu.command == codec.INTERMEDIATE_STATUS
    status = codec.parse_intermediate(apdu.data)
    assert status.code == 0x0A and status.timeout_minutes == 1
    assert status.texts == (text.decode(),)
    bare = codec.parse_intermediate(codec.decode_apdu(h("04 FF 01 0E")).data)
    assert bare == codec.IntermediateStatus(0x0E)
    no_timeout = codec.parse_intermediate(h("0A 06 04 24 02 07 00"))
    assert no_timeout.timeout_minutes is None and no_timeout.texts == ("",)


def test_status_enquiry_completion_card_inserted() -> None:
    assert codec.parse_status_completion(h("DC")) == codec.TerminalState(0xDC)
    with_version = codec.llvar(b"V1.2", 3) + b"\x00"
    assert codec.parse_status_completion(with_version) == codec.TerminalState(0, "V1.2")


def test_print_line_and_text_block() -> None:
    line = codec.parse_print_line(h("40") + b"Kundenbeleg")
    assert line == codec.PrintLine(0x40, "Kundenbeleg") and not line.last
    assert codec.parse_print_line(h("81") + b"Ende").last
    assert not codec.parse_print_line(h("FF 02")).last
    block_tlv = h("1F 07 01 02 25 0F 07 05") + b"Beleg" + h("07 03") + b"Nr." + h("09 01 81")
    data = h("06") + bytes([len(block_tlv)]) + block_tlv
    block = codec.parse_text_block(data)
    assert block == codec.TextBlock(2, ("Beleg", "Nr."), last=True)


def test_unknown_bmp_and_truncated_fields_are_protocol_errors() -> None:
    with pytest.raises(DeviceProtocolError):
        codec.decode_bmps(h("FE 00"))
    with pytest.raises(DeviceProtocolError):
        codec.decode_bmps(h("04 00 00 46"))
    with pytest.raises(DeviceProtocolError):
        codec.decode_apdu(h("06 0F 05 00"))


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=80))
def test_fuzzed_messages_decode_or_raise_protocol_errors(data: bytes) -> None:
    for parse in (
        codec.decode_bmps,
        codec.parse_intermediate,
        codec.parse_text_block,
        codec.parse_status_completion,
        codec.decode_tlv,
    ):
        try:
            parse(data)
        except DeviceProtocolError:
            pass
