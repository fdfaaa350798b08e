"""R30x codec: framing, checksums, resynchronisation, reassembly, nibbles; fuzzed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koffer.drivers.r30x import codec
from koffer.drivers.r30x.codec import Framer, Pid
from koffer.errors import DeviceProtocolError


def test_encode_matches_the_documented_layout() -> None:
    # GenImg to the default address: EF01 FFFFFFFF 01 0003 01 0005
    assert codec.encode_command(0x01) == bytes.fromhex("ef01ffffffff010003010005")


def test_roundtrip_and_split_feeding() -> None:
    packets = codec.encode_ack(0, b"\x01\x02") + codec.encode_command(0x0F)
    framer = Framer()
    got = []
    for byte in packets:  # one byte at a time
        got += framer.feed(bytes([byte]))
    assert [p.pid for p in got] == [Pid.ACK, Pid.COMMAND]
    assert got[0].payload == b"\x00\x01\x02"
    assert framer.pending == 0


def test_leading_noise_is_skipped() -> None:
    data = b"\x00\x13\xef\x99" + codec.encode_ack(0)
    assert codec.decode_all(data)[0].payload == b"\x00"


def test_bad_checksum_raises_and_framer_recovers() -> None:
    framer = Framer()
    bad = codec.encode_packet(Pid.ACK, b"\x00", bad_checksum=True)
    with pytest.raises(DeviceProtocolError) as info:
        framer.feed(bad)
    assert "Fingerabdruckscanner" in info.value.message
    assert framer.feed(codec.encode_ack(0))[0].payload == b"\x00"


@pytest.mark.parametrize(
    "prefix",
    [
        bytes.fromhex("ef01ffffffff05000300"),  # unknown PID 05
        bytes.fromhex("ef01ffffffff07ffff"),  # LEN 65535
        bytes.fromhex("ef01ffffffff070001"),  # LEN 1 (< checksum)
    ],
)
def test_impossible_headers_raise(prefix: bytes) -> None:
    with pytest.raises(DeviceProtocolError):
        Framer().feed(prefix)


def test_long_garbage_without_header_raises() -> None:
    with pytest.raises(DeviceProtocolError):
        Framer().feed(b"\x55" * (codec.MAX_GARBAGE + 1))


def test_reassembly_of_multi_packet_data() -> None:
    data = bytes(range(256)) * 3
    stream = codec.split_data(data, 128)
    packets = codec.decode_all(stream)
    assert [p.pid for p in packets][-1] == Pid.END_DATA
    assert all(p.pid == Pid.DATA for p in packets[:-1])
    assert codec.reassemble(packets) == data
    with pytest.raises(DeviceProtocolError):
        codec.reassemble(packets[:-1])


def test_nibbles_unpack_high_first_and_expand_to_8_bit() -> None:
    assert codec.unpack_4bit(b"\x0f\xf0\x8a", 3, 2) == bytes([0, 255, 255, 0, 136, 170])
    assert codec.unpack_4bit(b"\x1f", 1, 1) == bytes([17])
    with pytest.raises(DeviceProtocolError):
        codec.unpack_4bit(b"\x00", 4, 1)


def test_pack_unpack_roundtrip_up_to_quantisation() -> None:
    pixels = bytes(range(0, 256, 16)) * 2
    assert codec.unpack_4bit(codec.pack_4bit(pixels), 32, 1) == bytes(p + p // 16 for p in pixels)


def test_sys_para_and_prod_info_roundtrip() -> None:
    params = codec.SystemParameters(0, 9, 200, 3, 0xFFFFFFFF, 256, 6)
    assert codec.parse_sys_para(codec.encode_sys_para(params)) == params
    info = codec.ProductInfo("R503", "0001", "ABCD1234", "1.2", "OPT", 192, 192, 1536, 200)
    raw = codec.encode_prod_info(info)
    assert len(raw) == 46
    assert codec.parse_prod_info(raw) == info


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.binary(max_size=300), max_size=8))
def test_fuzz_decoder_only_frames_or_protocol_errors(chunks: list[bytes]) -> None:
    framer = Framer()
    for chunk in chunks:
        try:
            for packet in framer.feed(chunk):
                assert packet.pid in (1, 2, 7, 8)
                assert len(packet.payload) <= codec.MAX_PAYLOAD
        except DeviceProtocolError:
            pass
    assert framer.pending <= 3 * 300 * 8


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.binary(max_size=codec.MAX_GARBAGE).filter(lambda b: b"\xef" not in b),
    st.binary(max_size=256),
    st.sampled_from([1, 2, 7, 8]),
)
def test_fuzz_valid_frame_after_line_noise_is_found(noise: bytes, payload: bytes, pid: int) -> None:
    frame = codec.encode_packet(pid, payload)
    assert Framer().feed(noise + frame) == [codec.Packet(codec.DEFAULT_ADDRESS, pid, payload)]
