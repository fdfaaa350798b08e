"""IPP codec (RFC 8010) and the state-reason mapping."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koffer.devices.interfaces import PrinterState
from koffer.drivers.ipp import codec
from koffer.drivers.ipp.codec import Attribute, AttributeGroup, GroupTag, ValueTag
from koffer.drivers.ipp.status import printer_status
from koffer.drivers.ipp.transport import http_url
from koffer.errors import DeviceProtocolError


def test_request_header_and_attribute_encoding() -> None:
    msg = codec.get_printer_attributes("ipp://h/ipp/print", 7, ("printer-state",))
    data = codec.encode(msg)
    assert data[:8] == bytes([2, 0, 0x00, 0x0B, 0, 0, 0, 7])
    assert data[8] == GroupTag.OPERATION
    # first attribute: charset tag, name length 18, name, value length 5, "utf-8"
    assert data[9:12] == bytes([0x47, 0, 18]) and data[12:30] == b"attributes-charset"
    assert data[30:37] == b"\x00\x05utf-8"
    assert data.endswith(b"\x03")


def test_round_trip_with_all_value_kinds() -> None:
    group = AttributeGroup(
        GroupTag.PRINTER,
        [
            Attribute("printer-state", ValueTag.ENUM, (3,)),
            Attribute("printer-state-reasons", ValueTag.KEYWORD, ("media-low-warning", "none")),
            Attribute("color-supported", ValueTag.BOOLEAN, (True,)),
            Attribute(
                "printer-info", ValueTag.TEXT_WITH_LANGUAGE, (codec.TextWithLanguage("de", "Flur"),)
            ),
            Attribute(
                "printer-resolution-default", ValueTag.RESOLUTION, (codec.Resolution(600, 600, 3),)
            ),
            Attribute("copies-supported", ValueTag.RANGE, (codec.Range(1, 99),)),
            Attribute("printer-alert", ValueTag.OCTET_STRING, (codec.RawValue(b"\x00\x01"),)),
            Attribute("printer-geo-location", ValueTag.UNKNOWN, (codec.OutOfBand(),)),
            Attribute(
                "media-col-default",
                ValueTag.BEGIN_COLLECTION,
                (
                    codec.Collection(
                        (
                            Attribute("media-type", ValueTag.KEYWORD, ("stationery",)),
                            Attribute(
                                "media-size",
                                ValueTag.BEGIN_COLLECTION,
                                (
                                    codec.Collection(
                                        (Attribute("x-dimension", ValueTag.INTEGER, (21000,)),)
                                    ),
                                ),
                            ),
                        )
                    ),
                ),
            ),
            Attribute("printer-name", ValueTag.NAME, ("a4",)),
        ],
    )
    msg = codec.Message(0, 9, [group], data=b"%PDF", version=(1, 1))
    back = codec.decode(codec.encode(msg))
    assert back == msg
    assert back.strings("printer-state-reasons") == ("media-low-warning", "none")
    col = back.find("media-col-default")
    assert col is not None and isinstance(col.value, codec.Collection)
    size = col.value.get("media-size")
    assert size is not None and isinstance(size.value, codec.Collection)


def test_bad_messages_are_protocol_errors() -> None:
    for data in (
        b"",
        b"\x02\x00\x00",
        b"\x09\x00\x00\x00\x00\x00\x00\x01\x03",
        b"\x02\x00" + b"\0" * 6 + b"\x21",
    ):
        with pytest.raises(DeviceProtocolError):
            codec.decode(data)


def test_uri_mapping() -> None:
    assert http_url("ipp://127.0.0.1:8631/ipp/print") == "http://127.0.0.1:8631/ipp/print"
    assert http_url("ipp://printer/ipp/print") == "http://printer:631/ipp/print"
    assert http_url("ipps://p:443/x") == "https://p:443/x"
    with pytest.raises(ValueError):
        http_url("lpd://x/")


@pytest.mark.parametrize(
    ("state", "reasons", "expected"),
    [
        (3, ["none"], PrinterState.READY),
        (5, ["media-empty-error"], PrinterState.PAPER_OUT),
        (5, ["media-jam"], PrinterState.ERROR),
        (5, ["cover-open-error"], PrinterState.COVER_OPEN),
        (3, ["offline-report"], PrinterState.OFFLINE),
        (3, ["media-low-warning"], PrinterState.PAPER_LOW),
        (3, ["toner-low-report"], PrinterState.READY),
        (5, [], PrinterState.ERROR),
    ],
)
def test_state_reasons(state: int, reasons: list[str], expected: PrinterState) -> None:
    status = printer_status(state, reasons)
    assert status.state is expected
    if expected is PrinterState.PAPER_OUT:
        assert "kein Papier" in status.detail and "„Erneut drucken“" in status.detail


@settings(max_examples=400, deadline=None)
@given(data=st.binary(max_size=120))
def test_fuzz_decoder(data: bytes) -> None:
    try:
        codec.decode(data)
    except DeviceProtocolError:
        pass


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=80))
def test_fuzz_decoder_after_a_valid_header(body: bytes) -> None:
    try:
        codec.decode(bytes([2, 0, 0, 0, 0, 0, 0, 1]) + body)
    except DeviceProtocolError:
        pass
