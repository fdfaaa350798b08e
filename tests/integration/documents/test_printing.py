"""Printing the documents through the real drivers.

- A4: H4's :class:`IppPrinter` against CUPS's ``ippeveprinter`` (loopback),
  and against the in-process IPP simulator for the error/retry path.
- Receipts: :class:`EscPosPrinter` driven over the simulated USB transport.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from koffer.config import SectionReader
from koffer.documents import antragsquittung, antragsquittung_receipt, meldebestaetigung
from koffer.documents.printing import print_document, print_receipt
from koffer.errors import DeviceError
from tests.unit.documents import samples as s

ipp = pytest.importorskip("koffer.drivers.ipp.driver", reason="IPP driver not present")
ippeve = pytest.importorskip("tests.integration.printing.ippeve")


@pytest.mark.skipif(ippeve.UNAVAILABLE is not None, reason=str(ippeve.UNAVAILABLE))
def test_antragsquittung_prints_on_ippeveprinter(tmp_path: Path) -> None:
    application = s.application()
    pdf = antragsquittung(application, s.MUNICIPALITY, s.ISSUED)
    spool = tmp_path / "spool"
    with ippeve.ippeveprinter(spool, command="/bin/true") as uri:
        printer = ipp.IppPrinter(uri, timeout=10.0, poll_interval=0.1)
        try:
            result = print_document(printer, pdf, application.case_number)
        finally:
            printer.close()
    assert result.state == "completed"
    kept = [p for p in spool.rglob("*") if p.is_file() and p.read_bytes() == pdf]
    assert kept, "ippeveprinter did not receive the exact PDF bytes"


def test_print_error_is_german_and_retry_succeeds() -> None:
    from koffer.drivers.ipp.simulator import IppSimulator

    simulator = IppSimulator()
    printer = ipp.IppPrinter("ipp://unused", simulator=simulator, poll_interval=0.05)
    case = s.anmeldung()
    pdf = meldebestaetigung(case, s.MUNICIPALITY, s.ISSUED)
    before = (case.case_number, len(case.persons), case.registration_date)
    try:
        printer.open()
        simulator.set_reasons("media-empty-error")
        with pytest.raises(DeviceError) as info:
            print_document(printer, pdf, case.case_number)
        assert "Papier" in info.value.message
        assert not simulator.jobs  # nothing was printed
        simulator.set_reasons("none")
        result = print_document(printer, pdf, case.case_number)  # retry: same bytes
    finally:
        printer.close()
        simulator.stop()
    assert result.state == "completed"
    assert [job.document for job in simulator.jobs.values()] == [pdf]
    assert (case.case_number, len(case.persons), case.registration_date) == before


def test_print_document_refuses_non_pdf() -> None:
    from koffer.drivers.ipp.simulator import IppSimulator

    printer = ipp.IppPrinter("ipp://unused", simulator=IppSimulator())
    with pytest.raises(DeviceError, match="kein PDF"):
        print_document(printer, b"hello", "K-1")
    assert not printer.is_open


escpos = pytest.importorskip("koffer.drivers.escpos.factory", reason="ESC/POS driver not present")


def _receipt_printer(paper: str = "ok") -> object:
    return escpos.create_simulated(SectionReader({"transport": "usb", "paper": paper}, "sim"))


def test_receipt_prints_on_escpos_simulator() -> None:
    from koffer.drivers.escpos.simulator import PrintedCut, PrintedQr

    application = s.application()
    printer = _receipt_printer()
    try:
        print_receipt(printer, antragsquittung_receipt(application, s.MUNICIPALITY))  # type: ignore[arg-type]
    finally:
        printer.close()  # type: ignore[attr-defined]
    sim = printer.simulator  # type: ignore[attr-defined]
    assert any(application.case_number in line for line in sim.text_lines)
    assert any(line.startswith("Gesamt") for line in sim.text_lines)
    qrs = [p for p in sim.printed if isinstance(p, PrintedQr)]
    assert [q.data for q in qrs] == [application.case_number]
    assert isinstance(sim.printed[-1], PrintedCut)


def test_receipt_paper_out_then_retry() -> None:
    application = s.application()
    items = antragsquittung_receipt(application, s.MUNICIPALITY)
    printer = _receipt_printer("out")
    sim = printer.simulator  # type: ignore[attr-defined]
    try:
        with pytest.raises(DeviceError) as info:
            print_receipt(printer, items)  # type: ignore[arg-type]
        assert "Papier" in info.value.message
        sim.set_paper("ok")
        print_receipt(printer, items)  # type: ignore[arg-type]
    finally:
        printer.close()  # type: ignore[attr-defined]
    assert any(application.case_number in line for line in sim.text_lines)


def test_empty_receipt_is_refused() -> None:
    printer = _receipt_printer()
    with pytest.raises(DeviceError, match="leer"):
        print_receipt(printer, [])  # type: ignore[arg-type]
