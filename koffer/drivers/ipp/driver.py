"""The IPP document printer: Print-Job from memory, then follow the job.

On :meth:`IppPrinter.open` it reads the printer's attributes (make and model,
state, reasons, document formats). If ``application/pdf`` is not supported
but ``application/octet-stream`` is, PDFs are sent as octet-stream and the
printer detects the format (the usual IPP Everywhere fallback); if neither is
there, opening fails with a clear message.

:meth:`IppPrinter.print_pdf` refuses to start while the printer reports a
blocking reason, then polls Get-Job-Attributes (and the printer's state
reasons) until the job is completed, canceled or aborted. If the printer stops
with a blocking reason while the job waits (no paper, jam, cover open), the
job is canceled — so "Erneut drucken" never prints twice — and
:class:`DocumentPrinterNotReady` is raised with the German reason.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from koffer.devices.interfaces import (
    DeviceInfo,
    DeviceKind,
    DocumentPrinter,
    PrinterNotReady,
    PrinterState,
    PrinterStatus,
    PrintJobResult,
)
from koffer.drivers.ipp import codec
from koffer.drivers.ipp.codec import JobState, Operation
from koffer.drivers.ipp.status import printer_status
from koffer.drivers.ipp.transport import HttpTransport, IppClient
from koffer.errors import DeviceError, DeviceProtocolError, DeviceTimeout

if TYPE_CHECKING:
    from koffer.drivers.ipp.simulator import IppSimulator

PRINTER_ATTRIBUTES = (
    "printer-make-and-model",
    "printer-name",
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "document-format-supported",
    "printer-firmware-string-version",
    "printer-uuid",
)

_BLOCKING = (
    PrinterState.PAPER_OUT,
    PrinterState.COVER_OPEN,
    PrinterState.OFFLINE,
    PrinterState.ERROR,
)


class DocumentPrinterNotReady(PrinterNotReady):
    """The A4 printer cannot print now; :attr:`status` says why."""

    def __init__(self, status: PrinterStatus) -> None:
        super().__init__(status, f"Printer not ready: {', '.join(status.reasons)}")


class PrintJobFailed(DeviceError):
    """The job ended canceled or aborted; :attr:`result` has the details."""

    def __init__(self, result: PrintJobResult, message: str, message_en: str) -> None:
        super().__init__(message, message_en=message_en)
        self.result = result


class IppPrinter(DocumentPrinter):
    """An IPP printer at ``uri``; construct unopened, then :meth:`open`."""

    capabilities = frozenset({"pdf", "status", "job_tracking"})

    def __init__(
        self,
        uri: str,
        *,
        timeout: float = 10.0,
        poll_interval: float = 0.25,
        user: str = "koffer",
        transport: HttpTransport | None = None,
        type_name: str = "ipp",
        simulator: IppSimulator | None = None,
    ) -> None:
        self.uri = uri
        self._timeout = timeout
        self._poll = poll_interval
        self._user = user
        self._transport = transport
        self._type_name = type_name
        #: the in-process simulator this printer talks to (simulation only)
        self.simulator = simulator
        self._client: IppClient | None = None
        self._attributes: codec.Message | None = None
        self._format = "application/pdf"

    @property
    def is_open(self) -> bool:
        return self._client is not None

    def open(self) -> None:
        if self._client is not None:
            return
        if self.simulator is not None:
            self.simulator.start()
            self.uri = self.simulator.uri
        client = IppClient(self.uri, timeout=self._timeout, transport=self._transport)
        client.open()
        self._client = client
        try:
            attrs = self._printer_attributes()
            formats = attrs.strings("document-format-supported")
            if "application/pdf" in formats:
                self._format = "application/pdf"
            elif "application/octet-stream" in formats:
                self._format = "application/octet-stream"
            else:
                raise DeviceError(
                    "Der Drucker kann keine PDF-Dokumente drucken. Bitte wählen Sie einen "
                    "Drucker mit PDF-Unterstützung (IPP Everywhere) oder richten Sie ihn "
                    "über CUPS ein.",
                    message_en="Printer supports neither application/pdf nor octet-stream.",
                )
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
        if self.simulator is not None:
            self.simulator.stop()

    def _c(self) -> IppClient:
        if self._client is None:
            raise DeviceError(
                "Der Drucker ist nicht geöffnet. Bitte versuchen Sie es erneut.",
                message_en="The IPP printer is not open.",
            )
        return self._client

    def _send(self, request: codec.Message) -> codec.Message:
        response = self._c().send(request)
        if response.code >= 0x0400:
            raise DeviceProtocolError(
                "Der Drucker hat den Auftrag abgelehnt. Bitte prüfen Sie den Drucker und "
                "versuchen Sie es erneut.",
                message_en=f"IPP status {response.code:04x} for operation {request.code:04x}.",
            )
        return response

    def _printer_attributes(self) -> codec.Message:
        client = self._c()
        attrs = self._send(
            codec.get_printer_attributes(self.uri, client.next_id(), PRINTER_ATTRIBUTES)
        )
        self._attributes = attrs
        return attrs

    def info(self) -> DeviceInfo:
        self._c()
        attrs = self._attributes or self._printer_attributes()
        return DeviceInfo(
            kind=DeviceKind.DOCUMENT_PRINTER,
            type=self._type_name,
            model=attrs.string("printer-make-and-model", "IPP"),
            firmware=attrs.string("printer-firmware-string-version"),
            serial=attrs.string("printer-uuid"),
            simulated=self.simulator is not None,
            extra={
                "uri": self.uri,
                "name": attrs.string("printer-name"),
                "document_format": self._format,
            },
        )

    def status(self) -> PrinterStatus:
        attrs = self._printer_attributes()
        return printer_status(
            attrs.integer("printer-state"), attrs.strings("printer-state-reasons")
        )

    def print_pdf(self, pdf: bytes, title: str, timeout: float = 120.0) -> PrintJobResult:
        before = self.status()
        if before.state in _BLOCKING:
            raise DocumentPrinterNotReady(before)
        client = self._c()
        response = self._send(codec.print_job(self.uri, client.next_id(), title, pdf, self._format))
        job_id = response.integer("job-id")
        if job_id is None:
            raise DeviceProtocolError(
                "Der Drucker hat keine Auftragsnummer gemeldet. Bitte prüfen Sie, ob "
                "gedruckt wurde.",
                message_en="Print-Job response has no job-id.",
            )
        return self._follow(job_id, timeout)

    def _follow(self, job_id: int, timeout: float) -> PrintJobResult:
        deadline = time.monotonic() + timeout
        while True:
            job = self._send(
                codec.job_request(
                    Operation.GET_JOB_ATTRIBUTES, self.uri, self._c().next_id(), job_id
                )
            )
            state = job.integer("job-state")
            reasons = ", ".join(job.strings("job-state-reasons"))
            if state == JobState.COMPLETED:
                return PrintJobResult(job_id, "completed", reasons)
            if state == JobState.CANCELED:
                result = PrintJobResult(job_id, "canceled", reasons)
                raise PrintJobFailed(
                    result,
                    "Der Druckauftrag wurde am Drucker abgebrochen. Bitte drucken Sie erneut.",
                    f"Print job {job_id} was canceled ({reasons}).",
                )
            if state == JobState.ABORTED:
                result = PrintJobResult(job_id, "aborted", reasons)
                raise PrintJobFailed(
                    result,
                    "Der Drucker hat den Auftrag wegen eines Fehlers abgebrochen. Bitte prüfen "
                    "Sie den Drucker und drücken Sie „Erneut drucken“.",
                    f"Print job {job_id} was aborted ({reasons}).",
                )
            printer = self.status()
            if printer.state in _BLOCKING and state != JobState.PROCESSING:
                self._cancel(job_id)
                raise DocumentPrinterNotReady(printer)
            if time.monotonic() >= deadline:
                self._cancel(job_id)
                raise DeviceTimeout(
                    "Der Druckauftrag wurde nicht rechtzeitig fertig und wurde abgebrochen. "
                    "Bitte prüfen Sie den Drucker und drucken Sie erneut.",
                    message_en=f"Print job {job_id} did not finish within {timeout:.0f} s.",
                )
            time.sleep(self._poll)

    def _cancel(self, job_id: int) -> None:
        try:
            self._c().send(
                codec.job_request(Operation.CANCEL_JOB, self.uri, self._c().next_id(), job_id)
            )
        except DeviceError:
            pass
