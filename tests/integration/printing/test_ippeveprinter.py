"""The IPP driver against CUPS's ippeveprinter (Debian cups-ipp-utils)."""

from __future__ import annotations

from pathlib import Path

import pytest

from koffer.devices.interfaces import PrinterState
from koffer.drivers.ipp import codec
from koffer.drivers.ipp.driver import IppPrinter, PrintJobFailed
from koffer.drivers.ipp.transport import IppClient
from tests.integration.printing.ippeve import UNAVAILABLE, ippeveprinter, small_pdf

pytestmark = pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))


def test_print_pdf_lands_in_the_spool(tmp_path: Path) -> None:
    pdf = small_pdf()
    with ippeveprinter(tmp_path / "spool", command="/bin/true") as uri:
        with IppPrinter(uri, poll_interval=0.05) as printer:
            info = printer.info()
            assert info.model == "Koffer Test A4"
            result = printer.print_pdf(pdf, "K-2025-000042", timeout=30)
    assert result.state == "completed"
    files = list((tmp_path / "spool").glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == pdf


def test_failing_print_command_aborts_the_job(tmp_path: Path) -> None:
    with ippeveprinter(tmp_path / "spool", command="/bin/false") as uri:
        with IppPrinter(uri, poll_interval=0.05) as printer:
            with pytest.raises(PrintJobFailed) as info:
                printer.print_pdf(small_pdf(), "K-1", timeout=30)
    assert info.value.result.state == "aborted"
    assert "abgebrochen" in info.value.message


def test_printer_state_reasons_are_parsed(tmp_path: Path) -> None:
    script = tmp_path / "report.sh"
    script.write_text('#!/bin/sh\necho "STATE: +media-empty-error,toner-low-warning" >&2\nexit 0\n')
    script.chmod(0o755)
    with ippeveprinter(tmp_path / "spool", command=str(script)) as uri:
        with IppPrinter(uri, poll_interval=0.05) as printer:
            printer.print_pdf(small_pdf(), "K-1", timeout=30)
            status = printer.status()
        # ippeveprinter reports the reasons a print command sets with "-report"
        assert {"media-empty-report", "toner-low-report"} <= set(status.reasons)
        assert status.state is PrinterState.READY and "Toner" in status.detail


def test_full_attribute_set_decodes(tmp_path: Path) -> None:
    """Every attribute ippeveprinter has (collections included) decodes."""
    with ippeveprinter(tmp_path / "spool") as uri:
        client = IppClient(uri)
        try:
            reply = client.send(codec.get_printer_attributes(uri, 1, ("all",)))
        finally:
            client.close()
    assert reply.code == codec.Status.OK
    assert "application/pdf" in reply.strings("document-format-supported")
    media = reply.find("media-col-default")
    assert media is not None and isinstance(media.value, codec.Collection)
