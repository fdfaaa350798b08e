"""A scriptable in-process IPP printer for tests and demo mode.

A threaded HTTP server on 127.0.0.1 (free port) that speaks the same codec
as the driver and supports Get-Printer-Attributes, Print-Job,
Get-Job-Attributes and Cancel-Job. Jobs go pending → processing → completed
by the clock (:attr:`IppSimulator.job_seconds`).

Fault injection: :meth:`~IppSimulator.set_reasons` (e.g.
``"media-empty-error"``: the printer stops and waiting jobs stay
processing-stopped), :meth:`~IppSimulator.abort_next_job`,
:meth:`~IppSimulator.stall` (requests hang until released),
:attr:`~IppSimulator.formats`.

Received documents stay in memory (:attr:`IppSimulator.jobs`). Only if
``print_dir`` is given are they also written there, for a person to review
the output of a demo — simulation only; never point it at a folder that is
not encrypted when real case data is printed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from koffer.drivers.ipp import codec
from koffer.drivers.ipp.codec import (
    Attribute,
    AttributeGroup,
    GroupTag,
    JobState,
    Operation,
    PrinterStateCode,
    Status,
    ValueTag,
)
from koffer.errors import DeviceProtocolError


@dataclass
class SimJob:
    job_id: int
    name: str
    document_format: str
    document: bytes
    created: float
    state: int = JobState.PENDING
    abort: bool = False
    reasons: tuple[str, ...] = ("none",)


class IppSimulator:
    """The printer's state plus the HTTP server that exposes it."""

    def __init__(self, print_dir: Path | None = None) -> None:
        self.print_dir = print_dir
        self.make_and_model = "Koffer Simulated A4 Printer"
        self.formats: tuple[str, ...] = ("application/pdf", "application/octet-stream")
        self.reasons: tuple[str, ...] = ("none",)
        self.job_seconds = 0.1
        self.jobs: dict[int, SimJob] = {}
        self._next_job = 1
        self._abort_next = False
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._release.set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests = 0

    # ------------------------------------------------------------ control API
    def set_reasons(self, *reasons: str) -> None:
        """printer-state-reasons, e.g. ``set_reasons("media-empty-error")``."""
        with self._lock:
            self.reasons = reasons or ("none",)

    def abort_next_job(self) -> None:
        self._abort_next = True

    def stall(self, on: bool = True) -> None:
        """Hang every request until ``stall(False)`` (or :meth:`stop`)."""
        if on:
            self._release.clear()
        else:
            self._release.set()

    @property
    def blocked(self) -> bool:
        return any(r.endswith("-error") for r in self.reasons)

    # ------------------------------------------------------------ server
    @property
    def uri(self) -> str:
        if self._server is None:
            raise RuntimeError("simulator not started")
        return f"ipp://127.0.0.1:{self._server.server_address[1]}/ipp/print"

    def start(self) -> None:
        if self._server is not None:
            return
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                sim._release.wait()
                reply = sim.handle(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/ipp")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                del format, args

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="ipp-sim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._release.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self._thread = None

    # ------------------------------------------------------------ protocol
    def handle(self, body: bytes) -> bytes:
        self.requests += 1
        try:
            request = codec.decode(body)
        except DeviceProtocolError:
            return codec.encode(codec.Message(Status.CLIENT_ERROR_BAD_REQUEST, 0, [_op_group()]))
        with self._lock:
            self._advance()
            response = self._dispatch(request)
        return codec.encode(response)

    def _dispatch(self, request: codec.Message) -> codec.Message:
        rid = request.request_id
        if request.code == Operation.GET_PRINTER_ATTRIBUTES:
            return codec.Message(Status.OK, rid, [_op_group(), self._printer_group()])
        if request.code == Operation.PRINT_JOB:
            return self._print_job(request)
        if request.code in (Operation.GET_JOB_ATTRIBUTES, Operation.CANCEL_JOB):
            job = self.jobs.get(request.integer("job-id") or -1)
            if job is None:
                return codec.Message(Status.CLIENT_ERROR_NOT_FOUND, rid, [_op_group()])
            if request.code == Operation.CANCEL_JOB:
                if job.state >= JobState.CANCELED:
                    return codec.Message(Status.CLIENT_ERROR_NOT_POSSIBLE, rid, [_op_group()])
                job.state = JobState.CANCELED
                job.reasons = ("job-canceled-by-user",)
                return codec.Message(Status.OK, rid, [_op_group()])
            return codec.Message(Status.OK, rid, [_op_group(), _job_group(job)])
        return codec.Message(Status.SERVER_ERROR_OPERATION_NOT_SUPPORTED, rid, [_op_group()])

    def _print_job(self, request: codec.Message) -> codec.Message:
        rid = request.request_id
        fmt = request.string("document-format", "application/octet-stream")
        if fmt not in self.formats:
            return codec.Message(
                Status.CLIENT_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED, rid, [_op_group()]
            )
        job = SimJob(
            self._next_job, request.string("job-name"), fmt, request.data, time.monotonic()
        )
        job.abort, self._abort_next = self._abort_next, False
        self._next_job += 1
        self.jobs[job.job_id] = job
        if self.print_dir is not None:
            self.print_dir.mkdir(parents=True, exist_ok=True)
            (self.print_dir / f"job-{job.job_id:04d}.pdf").write_bytes(job.document)
        return codec.Message(Status.OK, rid, [_op_group(), _job_group(job)])

    def _advance(self) -> None:
        now = time.monotonic()
        for job in self.jobs.values():
            if job.state >= JobState.CANCELED:
                continue
            if self.blocked:
                job.state = JobState.PROCESSING_STOPPED
                job.reasons = ("printer-stopped",)
                job.created = now  # restart the clock once the printer is fixed
            elif now - job.created >= self.job_seconds:
                job.state = JobState.ABORTED if job.abort else JobState.COMPLETED
                job.reasons = (
                    ("aborted-by-system",) if job.abort else ("job-completed-successfully",)
                )
            else:
                job.state = JobState.PROCESSING
                job.reasons = ("job-printing",)

    def _printer_group(self) -> AttributeGroup:
        busy = any(j.state in (JobState.PENDING, JobState.PROCESSING) for j in self.jobs.values())
        state = (
            PrinterStateCode.STOPPED
            if self.blocked
            else PrinterStateCode.PROCESSING
            if busy
            else PrinterStateCode.IDLE
        )
        return AttributeGroup(
            GroupTag.PRINTER,
            [
                Attribute("printer-uri-supported", ValueTag.URI, (self.uri,)),
                Attribute("printer-name", ValueTag.NAME, ("koffer-sim",)),
                Attribute("printer-make-and-model", ValueTag.TEXT, (self.make_and_model,)),
                Attribute("printer-state", ValueTag.ENUM, (int(state),)),
                Attribute("printer-state-reasons", ValueTag.KEYWORD, self.reasons),
                Attribute("document-format-supported", ValueTag.MIME_MEDIA_TYPE, self.formats),
                Attribute("printer-firmware-string-version", ValueTag.TEXT, ("sim-1.0",)),
                Attribute("printer-uuid", ValueTag.URI, ("urn:uuid:koffer-sim",)),
                Attribute(
                    "media-col-default",
                    ValueTag.BEGIN_COLLECTION,
                    (
                        codec.Collection(
                            (
                                Attribute(
                                    "media-size-name", ValueTag.KEYWORD, ("iso_a4_210x297mm",)
                                ),
                                Attribute("media-type", ValueTag.KEYWORD, ("stationery",)),
                            )
                        ),
                    ),
                ),
            ],
        )


def _op_group() -> AttributeGroup:
    return AttributeGroup(
        GroupTag.OPERATION,
        [
            Attribute("attributes-charset", ValueTag.CHARSET, ("utf-8",)),
            Attribute("attributes-natural-language", ValueTag.NATURAL_LANGUAGE, ("de",)),
        ],
    )


def _job_group(job: SimJob) -> AttributeGroup:
    return AttributeGroup(
        GroupTag.JOB,
        [
            Attribute("job-id", ValueTag.INTEGER, (job.job_id,)),
            Attribute("job-state", ValueTag.ENUM, (int(job.state),)),
            Attribute("job-state-reasons", ValueTag.KEYWORD, job.reasons),
        ],
    )
