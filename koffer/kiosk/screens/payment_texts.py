"""The payment step's texts that depend on a state (method, outcome), in German.

They are in the translation context of the screen, ``AusweisPaymentScreen``
(``QCoreApplication.translate`` with that literal context, so lupdate finds
them); kept here so the screen module stays small.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from koffer.casework.payment_desk import note_of
from koffer.payment.card import CardOutcome
from koffer.payment.cashbook import CashEntry

#: ZVT result code of a payment the terminal or the customer aborted
ABORTED = 0x6C


def book_label(method: str) -> str:
    """The step's action button for ``method``."""
    texts = {
        "cash": QCoreApplication.translate("AusweisPaymentScreen", "Barzahlung buchen"),
        "card": QCoreApplication.translate("AusweisPaymentScreen", "Kartenzahlung starten"),
        "invoice": QCoreApplication.translate("AusweisPaymentScreen", "Rechnung erfassen"),
        "waived": QCoreApplication.translate("AusweisPaymentScreen", "Befreiung erfassen"),
    }
    return texts[method]


def paid_text(entry: CashEntry, fee_cents: int | None, money: Callable[[int], str]) -> str:
    """How the fee was paid; a warning when the fee changed after the payment."""
    methods = {
        "cash": QCoreApplication.translate("AusweisPaymentScreen", "Bezahlt: bar, %1."),
        "card": QCoreApplication.translate("AusweisPaymentScreen", "Bezahlt: mit Karte, %1."),
        "invoice": QCoreApplication.translate(
            "AusweisPaymentScreen", "Per Rechnung: %1, Verwendungszweck %2."
        ),
        "waived": QCoreApplication.translate("AusweisPaymentScreen", "Gebühr erlassen (%1)."),
    }
    note = note_of(entry)
    text = methods.get(
        entry.method, QCoreApplication.translate("AusweisPaymentScreen", "Bezahlt: %1.")
    )
    text = text.replace("%1", money(note.amount_cents)).replace("%2", note.reference or "")
    text += " " + QCoreApplication.translate(
        "AusweisPaymentScreen", "Die Gebühr kann nicht noch einmal kassiert werden."
    )
    if entry.method != "waived" and fee_cents is not None and fee_cents != entry.amount_cents:
        text += " " + QCoreApplication.translate(
            "AusweisPaymentScreen",
            "Achtung: Die Gebühr hat sich nach der Zahlung geändert (jetzt %1). Bitte "
            "klären Sie den Unterschied mit der Kasse.",
        ).replace("%1", money(fee_cents))
    return text


def card_outcome_text(outcome: CardOutcome, cancelled: bool) -> str:
    """Approved, aborted or declined, in plain words (nothing of the card)."""
    if outcome.approved:
        return QCoreApplication.translate("AusweisPaymentScreen", "Die Kartenzahlung ist erfolgt.")
    if cancelled or (outcome.result is not None and outcome.result.result_code == ABORTED):
        return QCoreApplication.translate(
            "AusweisPaymentScreen",
            "Die Kartenzahlung wurde abgebrochen. Es wurde nichts abgebucht. "
            "Sie können es noch einmal versuchen oder anders bezahlen.",
        )
    return QCoreApplication.translate(
        "AusweisPaymentScreen",
        "Die Karte wurde abgelehnt. Es wurde nichts abgebucht. Bitte "
        "versuchen Sie es noch einmal oder wählen Sie eine andere Zahlungsart.",
    )
