"""The ZVT driver: the suitcase as electronic cash register (ECR).

Every command runs the same exchange (S16 §5): send it, wait up to T3 for
``80 00 00`` (``84 xx`` is a refusal), then the terminal (PT) is master and
sends intermediate status (``04 FF``), status information (``04 0F``), print
lines (``06 D1``) and text blocks (``06 D3``) until completion (``06 0F``) or
abort (``06 1E``); the ECR acknowledges each with ``80 00 00``. T4 limits
that phase and restarts with every ``04 FF``/``04 0F``. ``prompt.cancelled()``
during a payment sends ``06 B0`` once.

:meth:`ZvtTerminal.open` connects and registers (``06 00``): the ECR prints
payment and administration receipts, wants intermediate status, controls
payment and administration, and receives the receipt text; TLV tag 26
permits ``06 D3``.

After any error the link is closed; :meth:`open` again reconnects and
registers. When the link breaks, garbage arrives or T4 runs out after the
terminal accepted an authorization, the outcome is unknown: :class:`PaymentOutcomeUnknown`; ask
:meth:`last_transaction` (``06 20`` with service bits 01 + 02: the last
``04 0F`` again, nothing printed) after reconnecting.

Logging: a payment is logged with method, amount and result only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from koffer.devices.interfaces import (
    DeviceInfo,
    DeviceKind,
    EndOfDayResult,
    PaymentApproved,
    PaymentDeclined,
    PaymentOutcomeUnknown,
    PaymentResult,
    PaymentTerminal,
    Prompt,
    SilentPrompt,
    TerminalReceipt,
    TerminalStatus,
)
from koffer.drivers.zvt import codec
from koffer.drivers.zvt.codec import Apdu
from koffer.drivers.zvt.texts import (
    intermediate_text,
    negative_text,
    result_text,
    terminal_status_text,
)
from koffer.drivers.zvt.transport import Link, no_answer
from koffer.errors import DeviceDisconnected, DeviceError, DeviceProtocolError

if TYPE_CHECKING:
    from koffer.drivers.zvt.simulator import ZvtSimulator

log = logging.getLogger(__name__)

#: how often a running exchange looks at ``prompt.cancelled()``
POLL_SECONDS = 0.05
_RECEIPT_KINDS = {1: "merchant", 2: "customer", 3: "administration"}


@dataclass
class Exchange:
    """Everything the PT sent between ``80 00 00`` and the end of a command."""

    infos: list[codec.Bmps] = field(default_factory=list)
    receipts: list[TerminalReceipt] = field(default_factory=list)
    completion: bytes | None = None
    abort_code: int | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def info(self) -> codec.Bmps:
        """The last status information (empty if none came)."""
        return self.infos[-1] if self.infos else codec.Bmps()

    def flush_lines(self) -> None:
        if self.lines:
            self.receipts.append(TerminalReceipt("", tuple(self.lines)))
            self.lines = []


def _euro(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class TerminalRefused(DeviceError):
    """The terminal answered a command with ``84 xx`` (or ended it with ``06 1E``)."""

    def __init__(self, code: int) -> None:
        super().__init__(
            negative_text(code),
            message_en=f"The card terminal refused the command (code {code:02X}).",
        )
        self.code = code


def _refused(code: int) -> TerminalRefused:
    return TerminalRefused(code)


def _unexpected(what: str) -> DeviceProtocolError:
    return DeviceProtocolError(
        "Das Kartenterminal hat unerwartet geantwortet. Bitte versuchen Sie es erneut; "
        "wenn der Fehler bleibt, starten Sie das Terminal neu.",
        message_en=f"The card terminal answered unexpectedly ({what}).",
    )


T = TypeVar("T")


def _field(info: codec.Bmps, tag: int, decode: Callable[[bytes], T]) -> T | None:
    raw = info.get(tag)
    if raw is None:
        return None
    try:
        return decode(raw)
    except DeviceProtocolError:
        return None


def _card_name(raw: bytes) -> str:
    return raw.decode("cp437").rstrip("\x00")


class ZvtTerminal(PaymentTerminal):
    """A ZVT terminal over a :class:`~koffer.drivers.zvt.transport.Link`."""

    capabilities = frozenset(
        {"reversal", "end_of_day", "repeat_receipt", "intermediate_status", "text_blocks"}
    )

    def __init__(
        self,
        link: Link,
        *,
        password: str,
        currency: int = codec.EUR,
        config_byte: int = codec.DEFAULT_CONFIG,
        reply_timeout: float = 5.0,
        completion_timeout: float = 180.0,
        type_name: str = "zvt",
        model: str = "ZVT",
        permit_text_blocks: bool = True,
        simulator: ZvtSimulator | None = None,
    ) -> None:
        codec.password_bcd(password)  # ValueError for anything but 6 digits
        self.link = link
        self.password = password
        self.currency = currency
        self.config_byte = config_byte
        self.reply_timeout = reply_timeout
        self.completion_timeout = completion_timeout
        #: permit 06 D3 text blocks in the registration (TLV 26); else 06 D1 lines
        self.permit_text_blocks = permit_text_blocks
        self._type_name = type_name
        self._model = model
        #: the simulator behind the link (simulated terminals only)
        self.simulator = simulator
        self._opened = False
        self.terminal_id = ""
        self.software = ""

    # ----------------------------------------------------------- lifecycle

    @property
    def is_open(self) -> bool:
        return self._opened and self.link.is_open

    def open(self) -> None:
        if self.is_open:
            return
        self.close()
        self.link.open()
        self._opened = True
        try:
            self.register()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._opened = False
        self.link.close()

    def info(self) -> DeviceInfo:
        self._require_open()
        return DeviceInfo(
            kind=DeviceKind.PAYMENT_TERMINAL,
            type=self._type_name,
            model=self._model,
            firmware=self.software,
            serial=self.terminal_id,
            simulated=self.simulator is not None,
            extra={"link": self.link.description},
        )

    def _require_open(self) -> None:
        if not self._opened or not self.link.is_open:
            self._opened = False
            raise DeviceDisconnected(
                "Das Kartenterminal ist nicht verbunden. Bitte verbinden Sie es erneut.",
                message_en="The card terminal is not connected.",
            )

    # ------------------------------------------------------------ commands

    def register(self) -> None:
        """06 00 with the ECR printing receipts; the completion names the terminal."""
        tlv = (codec.PERMIT_TEXT_BLOCKS,) if self.permit_text_blocks else ()
        exchange = self._run(
            codec.registration(self.password, self.config_byte, self.currency, tlv=tlv),
            SilentPrompt(),
        )
        if exchange.completion is None:
            raise _refused(exchange.abort_code or 0)
        bmps = codec.decode_bmps(exchange.completion)
        tid = bmps.get(0x29)
        if tid is not None:
            self.terminal_id = codec.bcd_digits(tid)

    def status(self) -> TerminalStatus:
        exchange = self._run(codec.status_enquiry(self.password), SilentPrompt())
        if exchange.completion is None:
            raise _refused(exchange.abort_code or 0)
        state = codec.parse_status_completion(exchange.completion)
        if state.software:
            self.software = state.software
        return TerminalStatus(
            code=state.status,
            ready=state.status == 0,
            detail=terminal_status_text(state.status),
            software=state.software,
            terminal_id=self.terminal_id,
        )

    def pay(self, amount_cents: int, prompt: Prompt) -> PaymentResult:
        if not 0 < amount_cents < 10**12:
            raise ValueError("amount out of range")
        try:
            exchange = self._run(
                codec.authorization(amount_cents, self.currency),
                prompt,
                cancellable=True,
                in_doubt=True,
            )
        except PaymentOutcomeUnknown:
            log.info("payment: method=card amount=%s result=unknown", _euro(amount_cents))
            raise
        result = self._result(exchange, amount_cents)
        outcome = "approved" if result.approved else "declined"
        log.info("payment: method=card amount=%s result=%s", _euro(amount_cents), outcome)
        return result

    def reverse(self, receipt_number: int, prompt: Prompt) -> PaymentResult:
        exchange = self._run(codec.reversal(self.password, receipt_number), prompt)
        result = self._result(exchange, 0)
        outcome = "approved" if result.approved else "declined"
        log.info(
            "payment: method=reversal amount=%s result=%s", _euro(result.amount_cents), outcome
        )
        return result

    def last_transaction(self) -> PaymentResult | None:
        service = codec.REPEAT_STATUS_INFO | codec.REPEAT_NO_PRINT
        try:
            exchange = self._run(codec.repeat_receipt(self.password, service), SilentPrompt())
        except TerminalRefused as exc:
            if exc.code == 0x83:
                return None  # no transaction to repeat
            raise
        if not exchange.infos:
            return None
        return self._result(exchange, 0, require_completion=False)

    def repeat_receipt(self) -> tuple[TerminalReceipt, ...]:
        exchange = self._run(codec.repeat_receipt(self.password), SilentPrompt())
        exchange.flush_lines()
        return tuple(exchange.receipts)

    def abort(self) -> None:
        """06 B0 while the ECR is master: ask the terminal to stop what it runs.

        :class:`TerminalRefused` (usually 83) when there is nothing to abort.
        A running payment is aborted through ``prompt.cancelled()`` instead.
        """
        self._require_open()
        try:
            self.link.send(codec.abort())
            reply = self._receive(self.reply_timeout)
            if reply is None:
                raise no_answer()
            self._check_reply(reply)
        except TerminalRefused:
            raise
        except DeviceError:
            self.close()
            raise

    def end_of_day(self, prompt: Prompt) -> EndOfDayResult:
        exchange = self._run(codec.end_of_day(self.password), prompt)
        exchange.flush_lines()
        info = exchange.info
        code = info.byte(0x27)
        if code is None:
            code = 0 if exchange.completion is not None else (exchange.abort_code or 0xFF)
        total = _field(info, 0x04, codec.from_bcd) or 0
        log.info("end of day: amount=%s result=%s", _euro(total), "ok" if code == 0 else "failed")
        return EndOfDayResult(
            result_code=code,
            total_cents=total,
            trace=_field(info, 0x0B, codec.from_bcd),
            receipts=tuple(exchange.receipts),
            message=result_text(code),
        )

    # ------------------------------------------------------------ results

    def _result(
        self, exchange: Exchange, requested: int, *, require_completion: bool = True
    ) -> PaymentResult:
        """The typed result; a malformed optional field is left empty, never fatal."""
        exchange.flush_lines()
        info = exchange.info
        code = info.byte(0x27)
        if code is None:
            code = exchange.abort_code if exchange.abort_code is not None else 0
        if require_completion and exchange.completion is None and code == 0:
            code = exchange.abort_code or 0xFF
        amount = _field(info, 0x04, codec.from_bcd)
        cls = PaymentApproved if code == 0 else PaymentDeclined
        return cls(
            result_code=code,
            amount_cents=amount if amount is not None else requested,
            trace=_field(info, 0x0B, codec.from_bcd),
            receipt_number=_field(info, 0x87, codec.from_bcd),
            terminal_id=_field(info, 0x29, codec.bcd_digits) or self.terminal_id,
            masked_pan=_field(info, 0x22, codec.masked_digits) or "",
            card_name=_field(info, 0x8B, _card_name) or "",
            date=_field(info, 0x0D, codec.bcd_digits) or "",
            time=_field(info, 0x0C, codec.bcd_digits) or "",
            receipts=tuple(exchange.receipts),
            message=result_text(code),
        )

    # ------------------------------------------------------------ exchange

    def _run(
        self,
        command: bytes,
        prompt: Prompt,
        *,
        cancellable: bool = False,
        in_doubt: bool = False,
    ) -> Exchange:
        """Send ``command`` and follow the PT until it ends; close the link on errors."""
        self._require_open()
        exchange = Exchange()
        accepted = False
        try:
            self.link.send(command)
            reply = self._receive(self.reply_timeout)
            if reply is None:
                raise no_answer()
            self._check_reply(reply)
            accepted = True
            self._follow(exchange, prompt, cancellable)
        except TerminalRefused:
            raise  # a clean answer: the link is fine and the ECR is master again
        except DeviceError as exc:
            self.close()
            if in_doubt and accepted:
                seen = (
                    self._result(exchange, 0, require_completion=False) if exchange.infos else None
                )
                raise PaymentOutcomeUnknown(
                    "Die Verbindung zum Kartenterminal ist während der Zahlung abgebrochen. "
                    "Ob die Zahlung ausgeführt wurde, wird beim erneuten Verbinden geprüft. "
                    "Bitte kassieren Sie nicht noch einmal, bevor das geklärt ist.",
                    message_en="The card terminal link broke during the payment; its outcome "
                    "is checked on reconnecting. Do not charge again before that.",
                    seen=seen,
                ) from exc
            raise
        return exchange

    def _receive(self, timeout: float) -> Apdu | None:
        raw = self.link.receive(timeout)
        return None if raw is None else codec.decode_apdu(raw)

    def _check_reply(self, reply: Apdu) -> None:
        if reply.cls == 0x80 and reply.ins == 0x00:
            return
        if reply.cls == 0x84 and reply.ins in (0x00, 0x9C):
            return  # positive as well (S16 §5.2.3)
        if reply.cls == 0x84:
            raise _refused(reply.ins)
        raise _unexpected(f"{reply.cls:02X} {reply.ins:02X} instead of 80 00")

    def _follow(self, exchange: Exchange, prompt: Prompt, cancellable: bool) -> None:
        deadline = time.monotonic() + self.completion_timeout
        abort_sent = False
        while True:
            if cancellable and not abort_sent and prompt.cancelled():
                self.link.send(codec.abort())
                abort_sent = True
            left = deadline - time.monotonic()
            if left <= 0:
                raise no_answer()
            message = self._receive(min(left, POLL_SECONDS) if cancellable else left)
            if message is None:
                continue
            if message.cls in (0x80, 0x84) and abort_sent:
                continue  # the answer to our 06 B0
            command = message.command
            if command == codec.INTERMEDIATE_STATUS:
                status = codec.parse_intermediate(message.data)
                self.link.send(codec.ACK_APDU)
                minutes = status.timeout_minutes
                deadline = time.monotonic() + (
                    minutes * 60.0 if minutes else self.completion_timeout
                )
                prompt.show("payment_status", intermediate_text(status))
            elif command == codec.STATUS_INFORMATION:
                exchange.infos.append(codec.decode_bmps(message.data))
                self.link.send(codec.ACK_APDU)
                deadline = time.monotonic() + self.completion_timeout
            elif command == codec.PRINT_LINE:
                line = codec.parse_print_line(message.data)
                self.link.send(codec.ACK_APDU)
                if line.attribute == 0xFF:
                    count = message.data[1] if len(message.data) > 1 else 1
                    exchange.lines.extend([""] * count)
                else:
                    exchange.lines.append(line.text)
                    if line.last:
                        exchange.flush_lines()
            elif command == codec.PRINT_TEXT_BLOCK:
                block = codec.parse_text_block(message.data)
                self.link.send(codec.ACK_APDU)
                kind = _RECEIPT_KINDS.get(block.receipt_type, "")
                exchange.receipts.append(TerminalReceipt(kind, block.lines))
            elif command == codec.COMPLETION:
                self.link.send(codec.ACK_APDU)
                exchange.completion = message.data
                return
            elif command == codec.ABORT:
                self.link.send(codec.ACK_APDU)
                exchange.abort_code = message.data[0] if message.data else 0xFF
                return
            else:
                raise _unexpected(f"{message.cls:02X} {message.ins:02X}")
