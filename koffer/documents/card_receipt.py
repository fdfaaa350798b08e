"""The card terminal's receipt text (``06 D1`` lines or a ``06 D3`` block) for
the receipt printer.

The lines go out as the terminal sent them, left-aligned in the printer's
normal font; a line wider than the print head is wrapped by the ESC/POS
codec at word boundaries like every other receipt line. The job ends with
the codec's cut, which first feeds the last line past the blade.
"""

from __future__ import annotations

from koffer.devices.interfaces import (
    ReceiptCut,
    ReceiptFeed,
    ReceiptItem,
    ReceiptText,
    TerminalReceipt,
)


def card_receipt_items(receipt: TerminalReceipt) -> list[ReceiptItem]:
    items: list[ReceiptItem] = [ReceiptText(line.rstrip()) for line in receipt.lines]
    items.append(ReceiptFeed(1))
    items.append(ReceiptCut())
    return items
