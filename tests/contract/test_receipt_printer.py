"""Contract of ReceiptPrinter, run against every implementation.

Implementations: the real EscPosPrinter driver over the simulated USB backend
and over the pty peer (pyserial on a pseudo terminal), both built through the
config factory.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PIL import Image

from koffer.config import SectionReader
from koffer.devices.interfaces import (
    DeviceKind,
    PrinterState,
    ReceiptCut,
    ReceiptFeed,
    ReceiptImage,
    ReceiptQr,
    ReceiptText,
)
from koffer.drivers.escpos.driver import EscPosPrinter
from koffer.drivers.escpos.errors import CoverOpen, CutterError, PaperOut, PrinterOffline
from koffer.drivers.escpos.factory import create_simulated, enumerate_devices
from koffer.drivers.escpos.sim_links import EscPosUsbDevice, PtySerialTransport
from koffer.drivers.escpos.simulator import EscPosSimulator
from koffer.drivers.escpos.transport import UsbTransport
from koffer.errors import DeviceDisconnected, DeviceNotFound, DeviceProtocolError, DeviceTimeout


@pytest.fixture(params=["usb", "pty"])
def printer(request: pytest.FixtureRequest) -> Iterator[EscPosPrinter]:
    device = create_simulated(
        SectionReader({"transport": request.param}, "devices.receipt_printer")
    )
    device.open()
    yield device
    device.close()


def sim_of(printer: EscPosPrinter) -> EscPosSimulator:
    assert printer.simulator is not None
    return printer.simulator


def unplug(printer: EscPosPrinter) -> None:
    transport = printer.transport
    if isinstance(transport, PtySerialTransport):
        transport.peer.unplug()
    else:
        assert isinstance(transport, UsbTransport)
        transport.backend.devices[0].unplug()


def replug(printer: EscPosPrinter) -> None:
    transport = printer.transport
    if isinstance(transport, UsbTransport):
        usb_device = transport.backend.devices[0]
        assert isinstance(usb_device, EscPosUsbDevice)
        usb_device.replug()
    # the pty transport starts a fresh peer when it is opened again


RECEIPT = [
    ReceiptText("Stadt Musterhausen", bold=True, double_size=True, align="center"),
    ReceiptText("Gebühr Personalausweis: 37,00 €"),
    ReceiptText("Straße: Große Bäckerstraße 5 – „Hinterhaus“"),
    ReceiptImage(Image.new("L", (64, 16), 0)),
    ReceiptQr("K-2025-000123"),
    ReceiptFeed(3),
    ReceiptCut(partial=True),
]


def test_identity_and_lifecycle(printer: EscPosPrinter) -> None:
    info = printer.info()
    assert info.kind is DeviceKind.RECEIPT_PRINTER and info.simulated
    printer.open()
    printer.close()
    printer.close()
    assert not printer.is_open
    with printer as again:
        assert again.status().state is PrinterState.READY


def test_prints_text_image_qr_and_cut(printer: EscPosPrinter) -> None:
    printer.print_receipt(RECEIPT)
    sim = sim_of(printer)
    assert sim.text_lines == [
        "Stadt Musterhausen",
        "Gebühr Personalausweis: 37,00 €",
        'Straße: Große Bäckerstraße 5 - "Hinterhaus"',
    ]
    first = sim.printed[0]
    assert getattr(first, "double_size", False) and getattr(first, "align", "") == "center"
    assert sim.images[0].size == (64, 16) and sim.images[0].getpixel((3, 3)) == 0
    assert sim.qr_codes == ["K-2025-000123"]
    assert [(c.partial, c.lines_past_blade) for c in sim.cuts] == [(True, 0)]


@pytest.mark.parametrize(
    ("fault", "error", "state"),
    [
        ("paper", PaperOut, PrinterState.PAPER_OUT),
        ("cover", CoverOpen, PrinterState.COVER_OPEN),
        ("offline", PrinterOffline, PrinterState.OFFLINE),
    ],
)
def test_not_ready_printer_refuses_the_job(
    printer: EscPosPrinter, fault: str, error: type[Exception], state: PrinterState
) -> None:
    sim = sim_of(printer)
    {
        "paper": lambda: sim.set_paper("out"),
        "cover": sim.set_cover_open,
        "offline": sim.set_offline,
    }[fault]()
    assert printer.status().state is state
    with pytest.raises(error) as info:
        printer.print_receipt(RECEIPT)
    assert info.value.status.state is state  # type: ignore[attr-defined]
    assert sim.text_lines == []
    if fault == "paper":
        assert str(info.value) == "Papier ist leer. Bitte legen Sie eine neue Rolle ein."


def test_a_jammed_cutter_is_named_after_the_job_and_before_the_next(
    printer: EscPosPrinter,
) -> None:
    sim = sim_of(printer)
    sim.jam_cutter_on_next_cut()
    with pytest.raises(CutterError) as info:
        printer.print_receipt(RECEIPT)
    assert "Schneidwerk" in info.value.message
    assert info.value.status.state is PrinterState.ERROR and sim.cuts == []
    with pytest.raises(CutterError):
        printer.print_receipt(RECEIPT)
    assert len(sim.text_lines) == 3  # the second job was refused before printing
    sim.set_cutter_error(False)
    printer.print_receipt(RECEIPT)
    assert len(sim.cuts) == 1


def test_paper_low_still_prints(printer: EscPosPrinter) -> None:
    sim_of(printer).set_paper("low")
    status = printer.status()
    assert status.state is PrinterState.PAPER_LOW and "bald" in status.detail
    printer.print_receipt(RECEIPT)
    assert len(sim_of(printer).text_lines) == 3


def test_paper_running_out_during_the_job_is_reported_after(printer: EscPosPrinter) -> None:
    sim_of(printer).paper_runs_out_after(2)
    with pytest.raises(PaperOut):
        printer.print_receipt(RECEIPT)
    assert len(sim_of(printer).text_lines) == 2


def test_garbage_status_is_a_protocol_error(printer: EscPosPrinter) -> None:
    sim_of(printer).send_garbage()
    with pytest.raises(DeviceProtocolError) as info:
        printer.status()
    assert "Statusmeldung" in info.value.message


def test_stalled_printer_times_out_then_reopens(printer: EscPosPrinter) -> None:
    sim = sim_of(printer)
    sim.stall()
    with pytest.raises(DeviceTimeout) as info:
        printer.print_receipt(RECEIPT)
    assert "antwortet nicht" in info.value.message
    assert sim.text_lines == []
    sim.stall(False)
    printer.close()
    printer.open()
    printer.print_receipt(RECEIPT)
    assert len(sim.text_lines) == 3


def test_unplug_mid_print_then_reopen(printer: EscPosPrinter) -> None:
    printer.print_receipt(RECEIPT)
    unplug(printer)
    with pytest.raises((DeviceDisconnected, DeviceTimeout)) as info:
        printer.print_receipt(RECEIPT)
    assert "Bondrucker" in info.value.message
    printer.close()
    replug(printer)
    printer.open()
    printer.print_receipt(RECEIPT)
    assert len(sim_of(printer).text_lines) == 6


def test_missing_usb_printer_is_device_not_found() -> None:
    from koffer.drivers.usbsim import SimulatedUsbBackend

    printer = EscPosPrinter(UsbTransport(0x04B8, 0x0202, backend=SimulatedUsbBackend()))
    with pytest.raises(DeviceNotFound) as info:
        printer.open()
    assert "Kein Bondrucker" in info.value.message


def test_enumerate_finds_printer_class_devices() -> None:
    device = create_simulated(SectionReader({}, "devices.receipt_printer"))
    assert isinstance(device.transport, UsbTransport)
    found = enumerate_devices(backend=device.transport.backend)
    assert [d.path for d in found] == ["usb:04b8:0202"]


def test_usb_driver_detaches_the_usblp_kernel_driver() -> None:
    device = create_simulated(SectionReader({}, "devices.receipt_printer"))
    assert isinstance(device.transport, UsbTransport)
    usb_device = device.transport.backend.devices[0]
    assert usb_device.kernel_driver_active == {0}
    with device:
        assert usb_device.kernel_driver_active == set() and 0 in usb_device.claimed
