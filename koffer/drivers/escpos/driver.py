"""The ESC/POS receipt-printer driver over an injectable byte transport.

Every job is encoded first (pure, :func:`codec.encode_receipt`), then the
printer's real-time status (DLE EOT 1, 2, 4 and the error status 3, which
names a jammed autocutter) is read before and after the job; a printer that
is not ready raises a :class:`PrinterNotReady` subclass with a German message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from koffer.devices.interfaces import (
    DeviceInfo,
    DeviceKind,
    PrinterStatus,
    ReceiptItem,
    ReceiptPrinter,
)
from koffer.drivers.escpos import codec
from koffer.drivers.escpos.errors import error_for
from koffer.drivers.escpos.transport import Transport
from koffer.errors import DeviceDisconnected, DeviceTimeout

if TYPE_CHECKING:
    from koffer.drivers.escpos.simulator import EscPosSimulator


class EscPosPrinter(ReceiptPrinter):
    """An ESC/POS printer; construct unopened, then :meth:`open`."""

    capabilities = frozenset({"text", "raster_image", "qr", "cut", "status"})

    def __init__(
        self,
        transport: Transport,
        *,
        type_name: str = "escpos",
        code_page: str = "cp858",
        max_width: int = 576,
        status_timeout: float = 1.0,
        model: str = "ESC/POS",
        simulator: EscPosSimulator | None = None,
    ) -> None:
        if code_page not in codec.CODE_PAGES:
            raise ValueError(f"unsupported code page {code_page!r}")
        self.transport = transport
        self._type_name = type_name
        self._code_page = code_page
        self._max_width = max_width
        self._status_timeout = status_timeout
        self._model = model
        #: the simulator behind the transport (simulated printers only)
        self.simulator = simulator
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open and self.transport.is_open

    def open(self) -> None:
        if self.is_open:
            return
        self.transport.open()
        try:
            self.transport.discard_input()
            self.status()
        except BaseException:
            self.transport.close()
            raise
        self._open = True

    def close(self) -> None:
        self._open = False
        self.transport.close()

    def info(self) -> DeviceInfo:
        self._check_open()
        return DeviceInfo(
            kind=DeviceKind.RECEIPT_PRINTER,
            type=self._type_name,
            model=self._model,
            simulated=self.simulator is not None,
            extra={"port": self.transport.description, "code_page": self._code_page},
        )

    def _check_open(self) -> None:
        if not self.transport.is_open:
            self._open = False
            raise DeviceDisconnected(
                "Der Bondrucker ist nicht verbunden. Bitte öffnen Sie ihn erneut.",
                message_en="The receipt printer is not open.",
            )

    def _query(self, n: int) -> int:
        self.transport.write(codec.status_request(n))
        reply = self.transport.read(1, self._status_timeout)
        if not reply:
            self.transport.close()
            raise DeviceTimeout(
                "Der Bondrucker antwortet nicht. Bitte prüfen Sie, ob er eingeschaltet "
                "und angeschlossen ist.",
                message_en=f"Receipt printer did not answer DLE EOT {n}.",
            )
        return codec.decode_status_byte(n, reply)

    def status(self) -> PrinterStatus:
        self._check_open()
        raw = codec.RawStatus(self._query(1), self._query(2), self._query(4), self._query(3))
        return codec.status_from_bytes(raw)

    def print_receipt(self, items: Sequence[ReceiptItem]) -> None:
        job = codec.encode_receipt(items, self._code_page, self._max_width)
        before = self.status()
        error = error_for(before)
        if error is not None:
            raise error
        self.transport.write(job)
        after = self.status()
        error = error_for(after)
        if error is not None:
            raise error
