"""Contract of DocumentPrinter, run against every implementation.

Implementations: the real IppPrinter driver against the in-process IPP
simulator (built through the config factory) and against CUPS's
``ippeveprinter`` on loopback. Fault injection exists only in the simulator;
those tests are marked with the ``faults`` capability.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from koffer.config import SectionReader
from koffer.devices.interfaces import DeviceKind, PrinterState
from koffer.drivers.ipp.driver import DocumentPrinterNotReady, IppPrinter, PrintJobFailed
from koffer.drivers.ipp.factory import create_simulated
from koffer.drivers.ipp.simulator import IppSimulator
from koffer.errors import DeviceNotFound, DeviceTimeout
from tests.integration.printing.ippeve import UNAVAILABLE, ippeveprinter, small_pdf


@dataclass
class Rig:
    printer: IppPrinter
    spool: Path
    simulator: IppSimulator | None


@pytest.fixture(scope="module")
def ippeve_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if UNAVAILABLE:
        pytest.skip(UNAVAILABLE)
    with ippeveprinter(tmp_path_factory.mktemp("ippeve"), command="/bin/true") as uri:
        yield uri


@pytest.fixture(params=["simulator", "ippeveprinter"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    if request.param == "simulator":
        printer = create_simulated(
            SectionReader(
                {"print_dir": str(tmp_path / "out"), "job_seconds": 0.05},
                "devices.document_printer",
            )
        )
        spool = tmp_path / "out"
    else:
        uri = request.getfixturevalue("ippeve_uri")
        printer = IppPrinter(uri, poll_interval=0.05)
        spool = Path()
    printer.open()
    yield Rig(printer, spool, printer.simulator)
    printer.close()


def needs_faults(rig: Rig) -> IppSimulator:
    if rig.simulator is None:
        pytest.skip("fault injection needs the in-process simulator")
    return rig.simulator


def test_identity_and_lifecycle(rig: Rig) -> None:
    info = rig.printer.info()
    assert info.kind is DeviceKind.DOCUMENT_PRINTER and info.model
    assert info.extra["document_format"] == "application/pdf"
    assert rig.printer.status().state is PrinterState.READY
    rig.printer.close()
    rig.printer.close()
    assert not rig.printer.is_open
    rig.printer.open()
    assert rig.printer.status().state is PrinterState.READY


def test_prints_a_pdf_to_completion(rig: Rig) -> None:
    pdf = small_pdf()
    result = rig.printer.print_pdf(pdf, "K-2025-000001", timeout=30)
    assert result.state == "completed" and result.job_id > 0
    if rig.simulator is not None:
        job = rig.simulator.jobs[result.job_id]
        assert job.document == pdf and job.name == "K-2025-000001"
        assert (rig.spool / f"job-{result.job_id:04d}.pdf").read_bytes() == pdf


def test_media_empty_refuses_the_job(rig: Rig) -> None:
    sim = needs_faults(rig)
    sim.set_reasons("media-empty-error")
    status = rig.printer.status()
    assert status.state is PrinterState.PAPER_OUT
    with pytest.raises(DocumentPrinterNotReady) as info:
        rig.printer.print_pdf(small_pdf(), "K-1")
    assert "„Erneut drucken“" in info.value.message
    assert sim.jobs == {}


def test_media_empty_while_waiting_cancels_the_job(rig: Rig) -> None:
    sim = needs_faults(rig)
    sim.job_seconds = 5.0
    import threading

    threading.Timer(0.1, lambda: sim.set_reasons("media-empty-error")).start()
    with pytest.raises(DocumentPrinterNotReady):
        rig.printer.print_pdf(small_pdf(), "K-1")
    assert [j.state for j in sim.jobs.values()] == [7]


def test_aborted_job_is_an_error(rig: Rig) -> None:
    sim = needs_faults(rig)
    sim.abort_next_job()
    with pytest.raises(PrintJobFailed) as info:
        rig.printer.print_pdf(small_pdf(), "K-1")
    assert info.value.result.state == "aborted"


def test_stalled_printer_times_out_then_reopens(rig: Rig) -> None:
    sim = needs_faults(rig)
    rig.printer.close()
    printer = IppPrinter("ipp://x/", timeout=0.3, poll_interval=0.05, simulator=sim)
    printer.open()
    sim.stall()
    with pytest.raises(DeviceTimeout) as info:
        printer.status()
    assert "antwortet nicht" in info.value.message
    printer.close()
    printer.open()
    assert printer.status().state is PrinterState.READY
    printer.close()


def test_job_that_never_finishes_times_out_and_is_canceled(rig: Rig) -> None:
    sim = needs_faults(rig)
    sim.job_seconds = 60
    with pytest.raises(DeviceTimeout):
        rig.printer.print_pdf(small_pdf(), "K-1", timeout=0.3)
    assert [j.state for j in sim.jobs.values()] == [7]


def test_unreachable_printer_is_device_not_found() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    printer = IppPrinter(f"ipp://127.0.0.1:{port}/ipp/print", timeout=1.0)
    with pytest.raises(DeviceNotFound) as info:
        printer.open()
    assert "nicht erreichbar" in info.value.message
    assert not printer.is_open
