"""The card terminal as the payment code sees it, each call on the terminal's worker.

:class:`~koffer.payment.card.CardPayments` runs on the kiosk's store lane
(it writes the cash book); every terminal call it makes goes through
:class:`WorkerTerminal` to the terminal's own
:class:`~koffer.devices.worker.DeviceWorker` and waits there, so the store
stays on its lane and the terminal on its worker (the status probes go the
same way). The hub opens the terminal before each call when it is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from koffer.devices.interfaces import (
    DeviceInfo,
    DeviceKind,
    EndOfDayResult,
    PaymentResult,
    PaymentTerminal,
    Prompt,
    TerminalReceipt,
    TerminalStatus,
)
from koffer.kiosk.devices.hub import DeviceHub

T = TypeVar("T")

KIND = DeviceKind.PAYMENT_TERMINAL


class WorkerTerminal(PaymentTerminal):
    """A :class:`PaymentTerminal` whose every call runs on the hub's worker (blocking)."""

    def __init__(self, hub: DeviceHub) -> None:
        self.hub = hub

    def _run(self, fn: Callable[[PaymentTerminal], T]) -> T:
        hub = self.hub

        def job() -> T:
            return fn(cast(PaymentTerminal, hub.device(KIND)))

        return hub.submit(KIND, job).result()

    def open(self) -> None:
        """Opened by the hub before each call."""

    def close(self) -> None:
        self._run(lambda device: device.close())

    @property
    def is_open(self) -> bool:
        return True

    def info(self) -> DeviceInfo:
        return self._run(lambda device: device.info())

    def pay(self, amount_cents: int, prompt: Prompt) -> PaymentResult:
        return self._run(lambda device: device.pay(amount_cents, prompt))

    def reverse(self, receipt_number: int, prompt: Prompt) -> PaymentResult:
        return self._run(lambda device: device.reverse(receipt_number, prompt))

    def last_transaction(self) -> PaymentResult | None:
        return self._run(lambda device: device.last_transaction())

    def repeat_receipt(self) -> tuple[TerminalReceipt, ...]:
        return self._run(lambda device: device.repeat_receipt())

    def end_of_day(self, prompt: Prompt) -> EndOfDayResult:
        return self._run(lambda device: device.end_of_day(prompt))

    def status(self) -> TerminalStatus:
        return self._run(lambda device: device.status())


def worker_terminal(devices: object) -> WorkerTerminal | None:
    """The configured terminal of the kiosk's device source, or ``None``."""
    if isinstance(devices, DeviceHub) and devices.has(KIND):
        return WorkerTerminal(devices)
    return None
