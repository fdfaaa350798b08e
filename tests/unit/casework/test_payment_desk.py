"""The payment step's case work: each way books once, and the Antragsquittung names it."""

from __future__ import annotations

import pytest

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework import payment_desk
from koffer.casework.case_store import CaseStore
from koffer.casework.completion import complete_case
from koffer.casework.payment import fee_cents
from koffer.documents.antragsquittung import PaymentNote, antragsquittung_receipt
from koffer.documents.settings import MunicipalitySettings
from koffer.payment import PaymentError
from koffer.payment.cashbook import CashBook
from tests.unit.casework.conftest import TODAY
from tests.unit.documents.pdftools import needs_poppler, pdftotext, words

MUNICIPALITY = MunicipalitySettings(name="Gemeinde Test", authority="Bürgerbüro")


def _case(case_store: CaseStore) -> tuple[str, str, int]:
    application = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY))
    payload = {"kiosk_draft": 1, "case_type": "personalausweis", "application": application}
    case_id = case_store.create_case("personalausweis", payload)
    amount = fee_cents(application)
    assert amount is not None
    return case_id, case_store.load_case(case_id).case_number, amount


def test_cash_books_once_with_change(case_store: CaseStore) -> None:
    _case_id, number, amount = _case(case_store)
    store = case_store.unlocked
    assert payment_desk.status(store, number, None).paid is None
    entry = payment_desk.pay_cash(store, number, amount, amount + 400)
    assert entry.detail == {"given_cents": amount + 400, "change_cents": 400}
    assert payment_desk.status(store, number, None).paid == entry
    with pytest.raises(PaymentError, match="bereits bezahlt"):
        payment_desk.pay_invoice(store, number, amount)
    assert [e.method for e in CashBook(store).entries()] == ["cash"]


def test_a_waiver_needs_its_reason(case_store: CaseStore) -> None:
    _case_id, number, amount = _case(case_store)
    with pytest.raises(PaymentError, match="Grund"):
        payment_desk.waive(case_store.unlocked, number, amount, " ")
    entry = payment_desk.waive(case_store.unlocked, number, amount, "Sozialleistung")
    assert payment_desk.note_of(entry) == PaymentNote("waived", amount)


@needs_poppler
@pytest.mark.parametrize(
    ("method", "shown"),
    [("cash", "bar bezahlt"), ("invoice", "per Rechnung (Überweisung)"), ("none", "")],
)
def test_the_antragsquittung_names_the_payment(
    case_store: CaseStore, method: str, shown: str
) -> None:
    case_id, number, amount = _case(case_store)
    if method == "cash":
        payment_desk.pay_cash(case_store.unlocked, number, amount, amount)
    elif method == "invoice":
        payment_desk.pay_invoice(case_store.unlocked, number, amount)
    completion = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)
    (document,) = completion.documents
    text = " ".join(words(pdftotext(document.pdf)))
    euros = f"{amount // 100},{amount % 100:02d} €"
    if shown:
        assert f"Zahlung {shown}, {euros}" in text
    else:
        assert "Zahlung" not in text
    if method == "invoice":
        assert f"Verwendungszweck {number}" in text


def test_the_receipt_print_names_the_payment() -> None:
    case = sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY)
    items = antragsquittung_receipt(
        case,  # type: ignore[arg-type]
        MUNICIPALITY,
        payment=PaymentNote("card", 4600),
    )
    texts = [getattr(item, "text", "") for item in items]
    assert "Zahlung: mit Karte bezahlt, 46,00 EUR" in texts
