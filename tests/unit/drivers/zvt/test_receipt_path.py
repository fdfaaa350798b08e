"""Terminal receipt lines reach paper through the ESC/POS path: the real ZVT
driver against the simulator, then the real ESC/POS driver against the
printer simulator."""

from __future__ import annotations

from koffer.config import SectionReader
from koffer.devices.interfaces import SilentPrompt, TerminalReceipt
from koffer.documents.card_receipt import card_receipt_items
from koffer.drivers.escpos.factory import create_simulated
from koffer.drivers.zvt.driver import ZvtTerminal
from koffer.drivers.zvt.sim_servers import TcpServer
from koffer.drivers.zvt.simulator import ZvtSimulator
from koffer.drivers.zvt.transport import TcpLink


def test_the_customer_receipt_of_a_card_payment_is_printed_and_cut() -> None:
    with TcpServer(ZvtSimulator()) as server:
        with ZvtTerminal(TcpLink("127.0.0.1", server.port), password="000000") as terminal:
            result = terminal.pay(4600, SilentPrompt())
    customer = next(r for r in result.receipts if r.kind == "customer")
    printer = create_simulated(SectionReader({}, "devices.receipt_printer"))
    with printer:
        printer.print_receipt(card_receipt_items(customer))
    sim = printer.simulator
    assert sim is not None
    assert sim.text_lines == list(customer.lines)
    assert [(c.partial, c.lines_past_blade) for c in sim.cuts] == [(True, 0)]


def test_a_terminal_line_wider_than_the_head_is_wrapped_at_a_word() -> None:
    long_line = "Bitte bewahren Sie diesen Beleg auf; er gilt als Nachweis der Zahlung."
    printer = create_simulated(SectionReader({"transport": "pty"}, "devices.receipt_printer"))
    with printer:
        printer.print_receipt(card_receipt_items(TerminalReceipt("customer", (long_line,))))
    assert printer.simulator is not None
    assert printer.simulator.text_lines == [
        "Bitte bewahren Sie diesen Beleg auf; er gilt als",
        "Nachweis der Zahlung.",
    ]
