"""A wire-level ZVT payment terminal (the PT side), for tests and demo mode.

:class:`ZvtSimulator` holds the terminal's state (registration, trace and
receipt counters, stored payments, the last transaction) and plays the PT
side of each command with the same :mod:`~koffer.drivers.zvt.codec` the
driver uses. Two servers carry it to the unchanged driver:

- :class:`TcpServer`: raw APDUs on a loopback TCP port, one ECR at a time;
- :class:`PtyServer`: DLE/STX/ETX frames with CRC and ``06``/``15`` line
  acknowledgement on the master side of a pseudo terminal, whose slave path
  the driver opens with pyserial.

Payments follow :meth:`ZvtSimulator.script` (default: approved), one
:class:`Outcome` per authorization. The terminal stores a transaction only
once the ECR acknowledged its status information (``04 0F``); if the ECR
vanishes before that, the payment is reversed automatically (S15 §2.2.8).
``06 20`` (repeat receipt) with service bit 01 sends the stored last
``04 0F`` again, so after a link drop the ECR learns the truth.

Timings are :class:`Timings` (default: no delays); :data:`REALISTIC` waits
like a customer inserting a card and typing a PIN (about 12 s).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from koffer.drivers.zvt import codec
from koffer.drivers.zvt.codec import Apdu, Tlv
from koffer.drivers.zvt.sim_link import LinkGone, SimLink
from koffer.errors import DeviceProtocolError


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    CARD_REMOVED = "card_removed"
    #: the PT's own timeout: no card came (result code 6C)
    TIMEOUT = "timeout"
    CUSTOMER_ABORT = "customer_abort"
    #: 04 0F approved and acknowledged, then the link goes before receipts/completion
    LINK_DROP_AFTER_APPROVAL = "link_drop_after_approval"
    #: junk bytes instead of the answer to the command
    GARBAGE = "garbage"
    #: 04 0F approved and acknowledged, then junk bytes instead of the receipts
    GARBAGE_AFTER_APPROVAL = "garbage_after_approval"
    #: no answer at all (the ECR's T3 runs out)
    SILENT = "silent"
    #: wait for a card that never comes until the ECR aborts (06 B0) or leaves
    HOLD = "hold"


@dataclass(frozen=True)
class Timings:
    card_seconds: float = 0.0
    pin_seconds: float = 0.0
    host_seconds: float = 0.0


REALISTIC = Timings(card_seconds=5.0, pin_seconds=7.0, host_seconds=1.5)

#: the masked PAN as a real terminal sends it (BZO capture shape)
MASKED_PAN = bytes.fromhex("EEEEEEEEEEEE4771")
GARBAGE_BYTES = b"\x9f\x33\x01\x00"


@dataclass
class Transaction:
    """One stored transaction, as the PT would report it again."""

    kind: str  # "payment" | "reversal"
    approved: bool
    amount_cents: int
    trace: int
    receipt_number: int
    status_information: bytes  # the 04 0F data
    receipts: tuple[bytes, ...]  # 06 D3 data
    reversed: bool = False


@dataclass
class _Counters:
    trace: int = 0
    receipt: int = 0
    turnover: int = 0


class ZvtSimulator:
    """The terminal (see the module docstring). Thread-safe control API."""

    def __init__(
        self,
        *,
        password: str = "000000",
        terminal_id: str = "29001006",
        timings: Timings = Timings(),
        decline_code: int = 0x05,
    ) -> None:
        codec.password_bcd(password)
        self.password = password
        self.terminal_id = terminal_id
        self.timings = timings
        self.decline_code = decline_code
        self.lock = threading.Lock()
        self._script: deque[Outcome] = deque()
        self._counters = _Counters()
        self.registered = False
        self.config_byte = 0
        #: the ECR permitted 06 D3 text blocks (TLV 26); else receipts go as 06 D1 lines
        self.text_blocks = False
        self.terminal_status = 0x00
        #: every stored transaction, oldest first
        self.journal: list[Transaction] = []
        self.last: Transaction | None = None
        #: approvals reversed because the ECR vanished before acknowledging 04 0F
        self.auto_reversals = 0
        #: (CLASS, INSTR) of every command received
        self.commands: list[tuple[int, int]] = []
        self._unsettled_total = 0
        self._abort_requested = False

    # ------------------------------------------------------------ control
    def script(self, *outcomes: Outcome) -> None:
        """Outcomes of the next authorizations, in order (then approved again)."""
        with self.lock:
            self._script.extend(outcomes)

    def _next_outcome(self) -> Outcome:
        with self.lock:
            return self._script.popleft() if self._script else Outcome.APPROVED

    @property
    def approved_payments(self) -> list[Transaction]:
        """Stored approved payments not reversed."""
        with self.lock:
            return [
                t for t in self.journal if t.kind == "payment" and t.approved and not t.reversed
            ]

    # ------------------------------------------------------------ serving
    def serve(self, link: SimLink) -> None:
        """Play the PT for one ECR connection until it goes away."""
        try:
            while True:
                raw = link.receive(0.2)
                if raw is None:
                    continue
                try:
                    command = codec.decode_apdu(raw)
                except Exception:
                    link.send(codec.negative(0x9A))
                    continue
                with self.lock:
                    self.commands.append(command.command)
                try:
                    self._handle(link, command)
                except (DeviceProtocolError, ValueError):
                    link.send(codec.negative(0x9A))  # a malformed command: protocol error
        except LinkGone:
            return

    def _handle(self, link: SimLink, command: Apdu) -> None:
        key = command.command
        if key == (0x06, 0x00):
            self._registration(link, command.data)
        elif key == (0x05, 0x01):
            link.send(codec.ACK_APDU)
            software = codec.llvar(b"KOFFER-SIM 1.0", 3)
            self._send(
                link, codec.encode_apdu(0x06, 0x0F, software + bytes([self.terminal_status]))
            )
        elif key == (0x06, 0x01):
            self._authorization(link, command.data)
        elif key == (0x06, 0x30):
            self._reversal(link, command.data)
        elif key == (0x06, 0x20):
            self._repeat(link, command.data)
        elif key == (0x06, 0x50):
            self._end_of_day(link, command.data)
        elif key == (0x06, 0xB0):
            link.send(codec.negative(0x83))  # nothing running to abort
        else:
            link.send(codec.negative(0x83))

    def _send(self, link: SimLink, apdu: bytes) -> bool:
        """Send a PT message and wait for the ECR's acknowledgement."""
        link.send(apdu)
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            reply = link.receive(0.2)
            if reply is None:
                continue
            if reply[:1] in (b"\x80", b"\x84"):
                return reply[:2] in (b"\x80\x00", b"\x84\x00")
            if reply[:2] == b"\x06\xb0":
                with self.lock:
                    self.commands.append((0x06, 0xB0))
                link.send(codec.ACK_APDU)
                self._abort_requested = True
                continue
            # a new command instead of the acknowledgement: the ECR gave up on this one
            link.unread(reply)
            raise LinkGone()
        raise LinkGone()

    def _tid(self) -> bytes:
        return bytes.fromhex(self.terminal_id)

    def _registration(self, link: SimLink, data: bytes) -> None:
        if len(data) < 6 or data[:3] != codec.password_bcd(self.password):
            link.send(codec.negative(0x6B))
            return
        self.config_byte = data[3]
        try:
            extra = codec.decode_bmps(data, 6)
        except Exception:
            link.send(codec.negative(0x9A))
            return
        permitted = [t.value for t in codec.find_tlv(extra.tlv, 0x0A)]
        self.text_blocks = b"\x06\xd3" in permitted
        self.registered = True
        link.send(codec.ACK_APDU)
        body = (
            codec.encode_bmp(0x19, b"\x00")
            + codec.encode_bmp(0x29, self._tid())
            + codec.currency_bmp()
        )
        self._send(link, codec.encode_apdu(0x06, 0x0F, body))

    # -------------------------------------------------------- payment flow
    def _display(self, link: SimLink, code: int, text: str) -> None:
        tlv = (Tlv(0x24, children=(Tlv(0x07, text.encode("cp437")),)),)
        self._send(link, codec.encode_apdu(0x04, 0xFF, bytes([code]) + codec.tlv_container(tlv)))

    def _wait(self, link: SimLink, seconds: float, *, forever: bool = False) -> bool:
        """Let time pass; True if the ECR sent 06 B0 meanwhile (answered 80 00 00)."""
        if self._abort_requested:
            self._abort_requested = False
            return True
        deadline = time.monotonic() + seconds
        while forever or time.monotonic() < deadline:
            left = 0.2 if forever else max(0.0, deadline - time.monotonic())
            raw = link.receive(min(0.2, left) if left else 0.0)
            if raw is not None and raw[:2] == b"\x06\xb0":
                with self.lock:
                    self.commands.append((0x06, 0xB0))
                link.send(codec.ACK_APDU)
                return True
            if raw is not None:  # a new command: the ECR left the running one
                link.unread(raw)
                raise LinkGone()
            if not forever and left <= 0:
                break
        return False

    def _receipt(self, kind: int, lines: list[str]) -> bytes:
        entries = (*(Tlv(0x07, line.encode("cp437")) for line in lines), Tlv(0x09, b"\x81"))
        tlv = (Tlv(0x1F07, bytes([kind])), Tlv(0x25, children=entries))
        return codec.tlv_container(tlv)

    def _print(self, link: SimLink, block: bytes) -> None:
        """A receipt: one 06 D3 text block if permitted, else 06 D1 line by line."""
        if self.text_blocks:
            self._send(link, codec.encode_apdu(0x06, 0xD3, block))
            return
        lines = [t.value for t in codec.find_tlv(codec.read_tlv_container(block, 1)[0], 0x07)]
        for index, line in enumerate(lines):
            attribute = 0x81 if index == len(lines) - 1 else 0x00  # 1xxx xxxx: last line
            self._send(link, codec.encode_apdu(0x06, 0xD1, bytes([attribute]) + line))

    def _fail(self, link: SimLink, code: int, text: str = "") -> None:
        body = codec.encode_bmp(0x27, bytes([code])) + codec.encode_bmp(0x29, self._tid())
        if text:
            body += codec.encode_bmp(0x3C, text.encode("cp437"))
        self._send(link, codec.encode_apdu(0x04, 0x0F, body))
        self._send(link, codec.encode_apdu(0x06, 0x1E, bytes([code])))

    def _authorization(self, link: SimLink, data: bytes) -> None:
        outcome = self._next_outcome()
        self._abort_requested = False
        if outcome is Outcome.SILENT:
            return
        if outcome is Outcome.GARBAGE:
            link.send_garbage(GARBAGE_BYTES)
            return
        try:
            bmps = codec.decode_bmps(data)
        except Exception:
            link.send(codec.negative(0x9A))
            return
        amount = bmps.number(0x04)
        if amount is None or not self.registered:
            link.send(codec.negative(0x6B if not self.registered else 0x83))
            return
        link.send(codec.ACK_APDU)
        self._display(link, 0x0A, "Bitte Karte einstecken")
        if outcome is Outcome.HOLD:
            self._wait(link, 0.0, forever=True)
            self._fail(link, 0x6C, "Abbruch")
            return
        if self._wait(link, self.timings.card_seconds):
            self._fail(link, 0x6C, "Abbruch")
            return
        if outcome is Outcome.TIMEOUT:
            self._fail(link, 0x6C, "Zeitüberschreitung")
            return
        if outcome is Outcome.CARD_REMOVED:
            self._display(link, 0x0C, "Karte nicht lesbar")
            self._fail(link, 0x64, "Karte entnommen")
            return
        self._display(link, 0x01, "Bitte PIN eingeben")
        if self._wait(link, self.timings.pin_seconds):
            self._fail(link, 0x6C, "Abbruch")
            return
        if outcome is Outcome.CUSTOMER_ABORT:
            self._fail(link, 0x6C, "Abbruch durch Kunde")
            return
        self._display(link, 0x04, "Bitte warten")
        self._wait(link, self.timings.host_seconds)
        if outcome is Outcome.DECLINED:
            self._declined(link, amount)
            return
        self._approved(
            link,
            amount,
            drop=outcome is Outcome.LINK_DROP_AFTER_APPROVAL,
            garbage=outcome is Outcome.GARBAGE_AFTER_APPROVAL,
        )

    def _numbers(self) -> tuple[int, int, int]:
        with self.lock:
            c = self._counters
            c.trace = c.trace % 999999 + 1
            c.receipt = c.receipt % 9999 + 1
            c.turnover = c.turnover % 999999 + 1
            return c.trace, c.receipt, c.turnover

    def _store(self, transaction: Transaction) -> None:
        with self.lock:
            self.journal.append(transaction)
            self.last = transaction

    def _approved(self, link: SimLink, amount: int, *, drop: bool, garbage: bool = False) -> None:
        trace, receipt, turnover = self._numbers()
        now = datetime.now()
        info = (
            codec.encode_bmp(0x27, b"\x00")
            + codec.amount_bmp(amount)
            + codec.encode_bmp(0x0B, codec.bcd(trace, 3))
            + codec.encode_bmp(0x0C, bytes.fromhex(now.strftime("%H%M%S")))
            + codec.encode_bmp(0x0D, bytes.fromhex(now.strftime("%m%d")))
            + codec.encode_bmp(0x19, b"\x70")
            + codec.encode_bmp(0x22, MASKED_PAN)
            + codec.encode_bmp(0x29, self._tid())
            + codec.currency_bmp()
            + codec.encode_bmp(0x87, codec.bcd(receipt, 2))
            + codec.encode_bmp(0x88, codec.bcd(turnover, 3))
            + codec.encode_bmp(0x8A, b"\x05")
            + codec.encode_bmp(0x8B, b"girocard\x00")
        )
        euro = f"{amount // 100},{amount % 100:02d} EUR"
        lines = [
            "Kartenzahlung",
            "girocard",
            f"Terminal-ID {self.terminal_id}",
            f"Beleg-Nr. {receipt:04d}  Trace {trace:06d}",
            "Karte ************4771",
            f"Betrag {euro}",
            "Zahlung erfolgt",
        ]
        receipts = (
            self._receipt(1, ["Händlerbeleg", *lines]),
            self._receipt(2, ["Kundenbeleg", *lines]),
        )
        transaction = Transaction("payment", True, amount, trace, receipt, info, receipts)
        try:
            self._send(link, codec.encode_apdu(0x04, 0x0F, info))
        except LinkGone:
            with self.lock:
                self.auto_reversals += 1
            raise
        self._store(transaction)
        with self.lock:
            self._unsettled_total += amount
        if drop:
            link.drop()
            raise LinkGone()
        if garbage:
            link.send_garbage(GARBAGE_BYTES)
            return
        for receipt_data in receipts:
            self._print(link, receipt_data)
        self._send(link, codec.encode_apdu(0x06, 0x0F, b""))

    def _declined(self, link: SimLink, amount: int) -> None:
        trace, receipt, _ = self._numbers()
        code = self.decline_code
        tlv = (Tlv(0x24, children=(Tlv(0x07, b"Abgelehnt"),)),)
        info = (
            codec.encode_bmp(0x27, bytes([code]))
            + codec.amount_bmp(amount)
            + codec.encode_bmp(0x0B, codec.bcd(trace, 3))
            + codec.encode_bmp(0x29, self._tid())
            + codec.encode_bmp(0x3C, b"Abgelehnt")
            + codec.encode_bmp(0x8A, b"\x06")
            + codec.tlv_container(tlv)
        )
        receipt_data = self._receipt(2, ["Kundenbeleg", "Zahlung abgelehnt", f"Code {code:02X}"])
        transaction = Transaction("payment", False, amount, trace, receipt, info, (receipt_data,))
        self._send(link, codec.encode_apdu(0x04, 0x0F, info))
        self._store(transaction)
        self._print(link, receipt_data)
        self._send(link, codec.encode_apdu(0x06, 0x1E, bytes([code])))

    # -------------------------------------------------------- admin flows
    def _password_ok(self, link: SimLink, data: bytes) -> bool:
        if data[:3] != codec.password_bcd(self.password):
            link.send(codec.negative(0x6B))
            return False
        return True

    def _reversal(self, link: SimLink, data: bytes) -> None:
        if not self._password_ok(link, data):
            return
        bmps = codec.decode_bmps(data, 3)
        number = bmps.number(0x87)
        link.send(codec.ACK_APDU)
        with self.lock:
            target = next(
                (t for t in self.journal if t.kind == "payment" and t.receipt_number == number),
                None,
            )
        if target is None or not target.approved:
            self._fail(link, 0xB5)
            return
        if target.reversed:
            self._fail(link, 0xB4)
            return
        trace, receipt, _ = self._numbers()
        info = (
            codec.encode_bmp(0x27, b"\x00")
            + codec.amount_bmp(target.amount_cents)
            + codec.encode_bmp(0x0B, codec.bcd(trace, 3))
            + codec.encode_bmp(0x29, self._tid())
            + codec.encode_bmp(0x37, codec.bcd(target.trace, 3))
            + codec.encode_bmp(0x87, codec.bcd(receipt, 2))
        )
        receipt_data = self._receipt(2, ["Storno", f"Beleg-Nr. {target.receipt_number:04d}"])
        self._send(link, codec.encode_apdu(0x04, 0x0F, info))
        with self.lock:
            target.reversed = True
            self._unsettled_total -= target.amount_cents
        self._store(
            Transaction(
                "reversal", True, target.amount_cents, trace, receipt, info, (receipt_data,)
            )
        )
        self._print(link, receipt_data)
        self._send(link, codec.encode_apdu(0x06, 0x0F, b""))

    def _repeat(self, link: SimLink, data: bytes) -> None:
        if not self._password_ok(link, data):
            return
        service = codec.decode_bmps(data, 3).get(0x03) or b"\x00"
        last = self.last
        if last is None:
            link.send(codec.negative(0x83))
            return
        link.send(codec.ACK_APDU)
        if service[0] & codec.REPEAT_STATUS_INFO:
            self._send(link, codec.encode_apdu(0x04, 0x0F, last.status_information))
        if not service[0] & codec.REPEAT_NO_PRINT:
            for receipt_data in last.receipts:
                self._print(link, receipt_data)
        self._send(link, codec.encode_apdu(0x06, 0x0F, b""))

    def _end_of_day(self, link: SimLink, data: bytes) -> None:
        if not self._password_ok(link, data):
            return
        link.send(codec.ACK_APDU)
        trace, _, _ = self._numbers()
        with self.lock:
            total, self._unsettled_total = self._unsettled_total, 0
        info = (
            codec.encode_bmp(0x27, b"\x00")
            + codec.amount_bmp(total)
            + codec.encode_bmp(0x0B, codec.bcd(trace, 3))
            + codec.encode_bmp(0x29, self._tid())
        )
        self._send(link, codec.encode_apdu(0x04, 0x0F, info))
        euro = f"{total // 100},{total % 100:02d} EUR"
        receipt_data = self._receipt(3, ["Tagesabschluss", f"Summe {euro}"])
        self._print(link, receipt_data)
        self._send(link, codec.encode_apdu(0x06, 0x0F, b""))
