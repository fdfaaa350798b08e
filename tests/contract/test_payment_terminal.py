"""Contract of PaymentTerminal: the real ZVT driver against the wire-level
simulator, over loopback TCP (raw APDUs) and over a pseudo terminal (DLE/STX
frames, CRC, line acknowledgement through pyserial)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from koffer.config import SectionReader
from koffer.devices.interfaces import (
    DeviceKind,
    PaymentApproved,
    PaymentDeclined,
    PaymentOutcomeUnknown,
    PaymentTerminal,
    SilentPrompt,
)
from koffer.devices.selftest import check_payment_terminal
from koffer.drivers.zvt.driver import TerminalRefused, ZvtTerminal
from koffer.drivers.zvt.factory import create, create_simulated
from koffer.drivers.zvt.sim_servers import PtyServer, TcpServer
from koffer.drivers.zvt.simulator import REALISTIC, Outcome, Timings, ZvtSimulator
from koffer.drivers.zvt.transport import Link, SerialLink, TcpLink
from koffer.errors import DeviceError, DeviceNotFound, DeviceProtocolError, DeviceTimeout
from tests.contract.framework import ScriptedPrompt

PASSWORD = "123456"


@dataclass
class Rig:
    simulator: ZvtSimulator
    server: TcpServer | PtyServer
    transport: str

    def terminal(
        self,
        completion_timeout: float = 10.0,
        password: str = PASSWORD,
        permit_text_blocks: bool = True,
    ) -> ZvtTerminal:
        link: Link
        if isinstance(self.server, TcpServer):
            link = TcpLink("127.0.0.1", self.server.port)
        else:
            link = SerialLink(self.server.path, ack_timeout=2.0)
        return ZvtTerminal(
            link,
            password=password,
            reply_timeout=3.0,
            completion_timeout=completion_timeout,
            permit_text_blocks=permit_text_blocks,
        )


@pytest.fixture(params=["tcp", "pty"])
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    simulator = ZvtSimulator(password=PASSWORD)
    server: TcpServer | PtyServer = (
        TcpServer(simulator) if request.param == "tcp" else PtyServer(simulator)
    )
    with server:
        yield Rig(simulator, server, request.param)


@pytest.fixture
def terminal(rig: Rig) -> Iterator[ZvtTerminal]:
    device = rig.terminal()
    device.open()
    yield device
    device.close()


def test_open_registers_with_the_ecr_printing_receipts(rig: Rig, terminal: ZvtTerminal) -> None:
    sim = rig.simulator
    assert sim.registered and sim.commands[0] == (0x06, 0x00)
    assert sim.config_byte == 0xBE  # ECR prints, intermediate status, PT sends receipt text
    assert sim.text_blocks  # TLV 26 permits 06 D3
    info = terminal.info()
    assert info.kind is DeviceKind.PAYMENT_TERMINAL and info.serial == "29001006"
    status = terminal.status()
    assert status.ready and status.code == 0 and status.software == "KOFFER-SIM 1.0"
    assert sim.commands[-1] == (0x05, 0x01)
    terminal.close()
    terminal.close()
    assert not terminal.is_open


def test_selftest_is_registration_and_status_enquiry_without_payment(
    rig: Rig, terminal: ZvtTerminal
) -> None:
    detail = check_payment_terminal(terminal, SilentPrompt())
    assert "angemeldet" in detail and "29001006" in detail
    assert (0x06, 0x01) not in rig.simulator.commands
    assert rig.simulator.journal == []


def test_approved_payment_carries_numbers_receipts_and_texts(
    rig: Rig, terminal: ZvtTerminal
) -> None:
    prompt = ScriptedPrompt()
    result = terminal.pay(4600, prompt)
    assert isinstance(result, PaymentApproved) and result.approved
    assert result.result_code == 0 and result.amount_cents == 4600
    stored = rig.simulator.approved_payments
    assert len(stored) == 1
    assert result.trace == stored[0].trace and result.receipt_number == stored[0].receipt_number
    assert result.terminal_id == "29001006" and result.masked_pan == "************4771"
    assert result.card_name == "girocard"
    assert [r.kind for r in result.receipts] == ["merchant", "customer"]
    assert "Betrag 46,00 EUR" in result.receipt_lines
    assert prompt.keys[0] == "payment_status"
    assert [text for _, text in prompt.shown] == [
        "Bitte Karte einstecken",
        "Bitte PIN eingeben",
        "Bitte warten",
    ]
    # the terminal is master again: a second payment runs on the same link
    assert terminal.pay(1000, SilentPrompt()).approved


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        (Outcome.DECLINED, 0x05),
        (Outcome.CARD_REMOVED, 0x64),
        (Outcome.TIMEOUT, 0x6C),
        (Outcome.CUSTOMER_ABORT, 0x6C),
    ],
)
def test_not_approved_outcomes(
    rig: Rig, terminal: ZvtTerminal, outcome: Outcome, code: int
) -> None:
    rig.simulator.script(outcome)
    result = terminal.pay(4600, SilentPrompt())
    assert isinstance(result, PaymentDeclined) and not result.approved
    assert result.result_code == code and result.message
    assert rig.simulator.approved_payments == []
    if outcome is Outcome.DECLINED:
        assert "abgelehnt" in result.message and result.receipt_lines[1] == "Zahlung abgelehnt"
    assert terminal.pay(4600, SilentPrompt()).approved  # the next one goes through


def test_the_clerk_aborts_a_running_payment(rig: Rig, terminal: ZvtTerminal) -> None:
    rig.simulator.script(Outcome.HOLD)
    prompt = ScriptedPrompt(cancel_after=1)  # cancel once "insert card" is shown
    result = terminal.pay(4600, prompt)
    assert isinstance(result, PaymentDeclined) and result.result_code == 0x6C
    assert (0x06, 0xB0) in rig.simulator.commands
    assert rig.simulator.approved_payments == []
    assert terminal.pay(4600, SilentPrompt()).approved


def test_the_clerk_aborts_while_the_customer_takes_their_time(rig: Rig) -> None:
    rig.simulator.timings = Timings(card_seconds=60.0)  # the card would take a minute
    with rig.terminal() as device:
        result = device.pay(4600, ScriptedPrompt(cancel_after=1))
    assert result.result_code == 0x6C and (0x06, 0xB0) in rig.simulator.commands
    assert REALISTIC.card_seconds + REALISTIC.pin_seconds == pytest.approx(12.0)
    assert ZvtSimulator().timings == Timings()  # fast by default


def test_abort_with_nothing_running_is_refused_and_keeps_the_link(
    rig: Rig, terminal: ZvtTerminal
) -> None:
    with pytest.raises(TerminalRefused) as info:
        terminal.abort()
    assert info.value.code == 0x83 and "nicht ausführen" in info.value.message
    assert terminal.is_open and terminal.pay(4600, SilentPrompt()).approved


def test_a_terminal_that_never_answers_times_out(rig: Rig, terminal: ZvtTerminal) -> None:
    rig.simulator.script(Outcome.SILENT)
    with pytest.raises(DeviceTimeout) as info:
        terminal.pay(4600, SilentPrompt())
    assert not isinstance(info.value, PaymentOutcomeUnknown)  # no 80 00: not started
    assert "antwortet nicht" in info.value.message and not terminal.is_open
    terminal.open()
    assert terminal.pay(4600, SilentPrompt()).approved


def test_a_payment_that_never_ends_is_in_doubt_after_t4(rig: Rig) -> None:
    device = rig.terminal(completion_timeout=0.5)
    with device:
        rig.simulator.script(Outcome.HOLD)
        with pytest.raises(PaymentOutcomeUnknown) as info:
            device.pay(4600, SilentPrompt())
        assert info.value.seen is None and "nicht noch einmal" in info.value.message
    with device:
        assert device.last_transaction() is None
    assert rig.simulator.approved_payments == []


def test_garbage_is_a_protocol_error_and_the_terminal_recovers(
    rig: Rig, terminal: ZvtTerminal
) -> None:
    rig.simulator.script(Outcome.GARBAGE)
    with pytest.raises(DeviceProtocolError) as info:
        terminal.pay(4600, SilentPrompt())
    assert "Kartenterminal" in info.value.message
    assert rig.simulator.approved_payments == []
    terminal.close()
    terminal.open()
    assert terminal.pay(4600, SilentPrompt()).approved


def test_garbage_after_approval_leaves_the_payment_in_doubt(rig: Rig) -> None:
    device = rig.terminal(completion_timeout=2.0)
    with device:
        rig.simulator.script(Outcome.GARBAGE_AFTER_APPROVAL)
        with pytest.raises(PaymentOutcomeUnknown) as info:
            device.pay(4600, SilentPrompt())
        assert isinstance(info.value.__cause__, DeviceProtocolError)
        assert info.value.seen is not None and info.value.seen.approved
    with device:
        last = device.last_transaction()
        assert last is not None and last.approved and last.amount_cents == 4600
    assert len(rig.simulator.approved_payments) == 1


def test_link_drop_after_approval_is_settled_by_the_last_transaction(rig: Rig) -> None:
    # serial: a pulled cable is silence, so T4 ends the wait; TCP sees the socket close
    device = rig.terminal(completion_timeout=1.0)
    device.open()
    try:
        rig.simulator.script(Outcome.LINK_DROP_AFTER_APPROVAL)
        with pytest.raises(PaymentOutcomeUnknown) as info:
            device.pay(7000, SilentPrompt())
        assert info.value.seen is not None and info.value.seen.approved
        assert not device.is_open
        device.open()
        last = device.last_transaction()
        stored = rig.simulator.approved_payments
        assert len(stored) == 1  # the payment stands once its 04 0F was acknowledged
        assert isinstance(last, PaymentApproved) and last.amount_cents == 7000
        assert (last.trace, last.receipt_number) == (stored[0].trace, stored[0].receipt_number)
        assert last.receipts == ()  # asked without printing
        assert last.receipt_number is not None
        reversal = device.reverse(last.receipt_number, SilentPrompt())
        assert reversal.approved and reversal.amount_cents == 7000
        assert rig.simulator.approved_payments == []
        again = device.reverse(last.receipt_number, SilentPrompt())
        assert not again.approved and again.result_code == 0xB4
    finally:
        device.close()


def test_last_transaction_tells_the_truth_about_declines_too(
    rig: Rig, terminal: ZvtTerminal
) -> None:
    assert terminal.last_transaction() is None
    rig.simulator.script(Outcome.DECLINED)
    terminal.pay(2000, SilentPrompt())
    last = terminal.last_transaction()
    assert isinstance(last, PaymentDeclined) and last.result_code == 0x05


def test_repeat_receipt_and_end_of_day(rig: Rig, terminal: ZvtTerminal) -> None:
    first = terminal.pay(4600, SilentPrompt())
    terminal.pay(7000, SilentPrompt())
    receipts = terminal.repeat_receipt()
    assert [r.kind for r in receipts] == ["merchant", "customer"]
    assert "Betrag 70,00 EUR" in receipts[1].lines
    assert first.receipt_number is not None
    closing = terminal.end_of_day(SilentPrompt())
    assert closing.result_code == 0 and closing.total_cents == 11600
    assert closing.receipts[0].kind == "administration"
    assert terminal.end_of_day(SilentPrompt()).total_cents == 0


def test_without_text_blocks_receipts_arrive_as_print_lines(rig: Rig) -> None:
    with rig.terminal(permit_text_blocks=False) as device:
        assert not rig.simulator.text_blocks
        result = device.pay(4600, SilentPrompt())
    assert result.approved and [r.kind for r in result.receipts] == ["", ""]
    assert result.receipts[0].lines[0] == "Händlerbeleg"
    assert result.receipts[1].lines[0] == "Kundenbeleg"
    assert "Betrag 46,00 EUR" in result.receipts[1].lines


def test_a_wrong_password_is_refused_on_open(rig: Rig) -> None:
    device = rig.terminal(password="000000")
    with pytest.raises(DeviceError) as info:
        device.open()
    assert "Kartenterminal" in info.value.message and not device.is_open


def test_nothing_about_a_payment_reaches_the_log_but_method_amount_result(
    rig: Rig, terminal: ZvtTerminal, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    result = terminal.pay(4600, ScriptedPrompt())
    rig.simulator.script(Outcome.DECLINED)
    terminal.pay(1200, SilentPrompt())
    text = caplog.text
    assert "method=card amount=46.00 result=approved" in text
    assert "method=card amount=12.00 result=declined" in text
    forbidden = [
        "4771",
        result.terminal_id,
        result.card_name,
        f"{result.trace:06d}",
        "Beleg",
        "Karte",
        result.time,
    ]
    for secret in forbidden:
        assert secret not in text, secret


def test_factory_builds_the_simulated_terminal_for_both_transports(rig: Rig) -> None:
    device = create_simulated(
        SectionReader(
            {"transport": rig.transport, "name": f"contract-{id(rig)}"},
            "devices.payment_terminal",
        )
    )
    assert isinstance(device, PaymentTerminal) and device.simulator is not None
    with device:
        assert device.info().simulated and device.pay(4600, SilentPrompt()).approved
    with device:  # the same terminal: it remembers its last transaction
        last = device.last_transaction()
        assert last is not None and last.amount_cents == 4600


def test_an_unreachable_terminal_is_device_not_found() -> None:
    server = TcpServer(ZvtSimulator())
    server.start()
    port = server.port
    server.stop()
    device = create(
        SectionReader(
            {"host": "127.0.0.1", "port": port, "password": "000000"}, "devices.payment_terminal"
        )
    )
    with pytest.raises(DeviceNotFound) as info:
        device.open()
    assert "nicht erreichbar" in info.value.message
