"""Antragsquittung for a Personalausweis or Reisepass application (A4 and receipt printer).

It carries the case number, the date, the document kind ("Personalausweis" /
"Reisepass"), the fee breakdown, the delivery choice, whether the PIN-Brief
was handed out (Personalausweis only), how the fee was paid (when the
payment step recorded it: :class:`PaymentNote`) and what happens next, plus a QR code
that holds **only** the case number. It names no person: whoever holds the
receipt can ask about the case by its number, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from koffer.cases import passport
from koffer.cases.enums import Delivery
from koffer.cases.id_card import FeeItem, fee_breakdown
from koffer.cases.model import DocumentApplication, IdCardApplication, PassportApplication
from koffer.devices.interfaces import (
    ReceiptCut,
    ReceiptFeed,
    ReceiptItem,
    ReceiptQr,
    ReceiptText,
)
from koffer.documents.labels import DELIVERY, euro
from koffer.documents.layout import FormLayout, format_date
from koffer.documents.pdfa import DocumentInfo
from koffer.documents.settings import MunicipalitySettings
from koffer.documents.text import normalize
from koffer.errors import ValidationError

#: the payment methods as the documents name them
PAYMENT_METHODS = {
    "cash": "bar bezahlt",
    "card": "mit Karte bezahlt",
    "invoice": "per Rechnung (Überweisung)",
    "waived": "Gebühr erlassen",
}


@dataclass(frozen=True)
class PaymentNote:
    """How the fee was paid: method (cash, card, invoice, waived), amount, reference."""

    method: str
    amount_cents: int
    #: the transfer reference of an invoice (the Vorgangsnummer)
    reference: str | None = None

    def amount(self) -> Decimal:
        return Decimal(self.amount_cents) / 100

    def lines(self, symbol: str = "€") -> list[tuple[str, str]]:
        """(label, value) rows, German."""
        method = PAYMENT_METHODS.get(self.method, self.method)
        rows = [("Zahlung", f"{method}, {euro(self.amount(), symbol=symbol)}")]
        if self.reference:
            rows.append(("Verwendungszweck", self.reference))
        return rows


@dataclass(frozen=True)
class FeeSummary:
    items: list[FeeItem]
    reduction: Decimal | None
    total: Decimal
    waived: bool


def _fee_items(application: DocumentApplication) -> list[FeeItem]:
    if isinstance(application, PassportApplication):
        return passport.fee_breakdown(
            application.application_date,
            application.person.birth_date,
            pages_48=application.pages_48,
            express=application.express,
            provisional=application.provisional,
            direct_delivery=application.direct_delivery,
            authority_photo=application.authority_photo,
            outside_hours_surcharge=application.outside_hours_surcharge,
            non_competent_authority=application.non_competent_authority,
            rules=application.fee_rules,
        )
    return fee_breakdown(
        application.application_date,
        application.person.birth_date,
        direct_delivery=application.direct_delivery,
        authority_photo=application.authority_photo,
        outside_hours_surcharge=application.outside_hours_surcharge,
        provisional=application.provisional,
    )


def fee_summary(application: DocumentApplication) -> FeeSummary:
    """Fee lines from the domain rules; a recorded lower amount shows as a reduction."""
    items = _fee_items(application)
    total = sum((item.amount for item in items), Decimal("0.00"))
    reduction: Decimal | None = None
    if application.fee_waived:
        charged = application.fee_amount if application.fee_amount is not None else Decimal(0)
        reduction = charged - total
        total = charged
    elif application.fee_amount is not None and application.fee_amount != total:
        reduction = application.fee_amount - total
        total = application.fee_amount
    return FeeSummary(items, reduction, total, application.fee_waived)


def _check(application: DocumentApplication) -> DocumentApplication:
    if not isinstance(application, IdCardApplication | PassportApplication):
        raise ValidationError(
            "Eine Antragsquittung gibt es nur für einen Personalausweis- oder Reisepass-Antrag.",
            message_en=(
                "An application receipt exists only for an ID-card or passport application."
            ),
        )
    return application


def document_name(application: DocumentApplication) -> str:
    """ "Personalausweis" or "Reisepass": the kind of document applied for."""
    return "Reisepass" if isinstance(application, PassportApplication) else "Personalausweis"


def _card_kind(application: DocumentApplication) -> str:
    name = document_name(application)
    kind = f"Vorläufiger {name}" if application.provisional else name
    extras = []
    if isinstance(application, PassportApplication) and application.pages_48:
        extras.append("48 Seiten")
    if application.express:
        extras.append("Expressverfahren")
    return kind + (f" ({', '.join(extras)})" if extras else "")


def _passport_steps(application: PassportApplication) -> list[str]:
    steps: list[str] = []
    if application.provisional:
        steps.append("Ihren vorläufigen Reisepass erhalten Sie von der Behörde.")
    else:
        steps.append(
            "Die Bundesdruckerei stellt Ihren Reisepass her. Das dauert in der Regel einige Wochen."
        )
        if application.delivery is Delivery.DIRECT_DELIVERY:
            steps.append(
                "Der Reisepass wird Ihnen persönlich zugestellt. Sie erhalten vorher eine "
                "Nachricht per E-Mail. Halten Sie dafür einen zweiten gültigen Lichtbildausweis "
                "bereit."
            )
        else:
            steps.append(
                "Sobald der Reisepass da ist, können Sie ihn bei der Behörde abholen. Bringen "
                "Sie diese Quittung mit."
            )
    if application.old_passport_valid_visas:
        steps.append(
            "Ihr bisheriger Reisepass enthält gültige Visa. Er wurde deshalb nicht entwertet."
        )
    elif application.old_passport_invalidated:
        steps.append("Ihr bisheriger Reisepass wurde bei der Antragstellung entwertet.")
    steps.append("Bei Fragen nennen Sie bitte immer die Vorgangsnummer.")
    return steps


def next_steps(application: DocumentApplication) -> list[str]:
    """What happens next, in plain German."""
    if isinstance(application, PassportApplication):
        return _passport_steps(application)
    steps: list[str] = []
    if application.provisional:
        steps.append("Ihren vorläufigen Personalausweis erhalten Sie sofort.")
    else:
        steps.append(
            "Die Bundesdruckerei stellt Ihren Personalausweis her. Das dauert in der Regel "
            "einige Wochen."
        )
        if application.delivery is Delivery.DIRECT_DELIVERY:
            steps.append(
                "Die Deutsche Post bringt den Ausweis an Ihre Hauptwohnung und übergibt ihn "
                "nur Ihnen persönlich (PostIdent). Halten Sie dafür ein zweites gültiges "
                "Ausweisdokument bereit."
            )
            steps.append(
                "Treffen die Zusteller Sie nicht an, liegt die Sendung 7 Werktage in der "
                "Postfiliale. Danach geht sie an die Behörde zurück, und Sie holen den Ausweis "
                "dort ab."
            )
        else:
            steps.append(
                "Sobald der Ausweis da ist, können Sie ihn bei der Behörde abholen. Bringen Sie "
                "diese Quittung und Ihren bisherigen Ausweis mit."
            )
        steps.append("Das Schreiben mit Ihrem Sperrkennwort erhalten Sie mit dem Ausweis.")
    if application.pin_letter_handed_out:
        steps.append(
            "Bewahren Sie den PIN-Brief gut und getrennt vom Ausweis auf. Sie brauchen ihn für "
            "die Online-Ausweisfunktion."
        )
    else:
        steps.append(
            "Sie haben den PIN-Brief noch nicht erhalten. Bitte fragen Sie bei Ihrer Behörde nach."
        )
    steps.append("Bei Fragen nennen Sie bitte immer die Vorgangsnummer.")
    return steps


def antragsquittung(
    application: DocumentApplication,
    municipality: MunicipalitySettings,
    issued: date,
    *,
    payment: PaymentNote | None = None,
) -> bytes:
    """The A4 Antragsquittung as PDF/A-2b bytes."""
    application = _check(application)
    summary = fee_summary(application)
    name = document_name(application)
    layout = FormLayout(
        municipality,
        f"Antragsquittung {name}",
        [("Datum", format_date(issued)), ("Vorgangsnummer", application.case_number)],
        footer_note="Antragsquittung · enthält keine persönlichen Daten",
        qr_data=application.case_number,
    )
    layout.paragraph(
        "Wir haben Ihren Antrag aufgenommen. Bitte bewahren Sie diese Quittung auf. "
        "Der QR-Code oben rechts enthält nur die Vorgangsnummer, keine persönlichen Daten.",
        size=10,
    )
    layout.heading("Ihr Antrag")
    layout.field("Vorgangsnummer", application.case_number)
    layout.field("Antragsdatum", format_date(application.application_date))
    layout.field("Dokument", _card_kind(application))
    layout.field("Zustellung", DELIVERY[application.delivery])
    if isinstance(application, IdCardApplication):
        layout.field(
            "PIN-Brief",
            "bei der Antragstellung ausgehändigt"
            if application.pin_letter_handed_out
            else "nicht ausgehändigt",
        )
    layout.heading("Gebühren")
    rows = [(item.label, euro(item.amount)) for item in summary.items]
    if summary.reduction is not None and summary.reduction != 0:
        basis = (
            "§ 28 PassV" if isinstance(application, PassportApplication) else "§ 1 Abs. 6 PAuswGebV"
        )
        label = (
            f"Ermäßigung oder Befreiung ({basis})"
            if summary.waived
            else "Abweichung (festgesetzte Gebühr)"
        )
        rows.append((label, euro(summary.reduction)))
    layout.amounts(rows, ("Gesamt", euro(summary.total)))
    if payment is not None:
        for label, value in payment.lines():
            layout.field(label, value)
    layout.heading("So geht es weiter")
    layout.bullets(next_steps(application))
    info = DocumentInfo(
        title=f"Antragsquittung {application.case_number}",
        subject=f"Antragsquittung {name}",
        created=datetime.combine(issued, time(0, 0), tzinfo=UTC),
        author=municipality.name,
    )
    return layout.render(info)


# ------------------------------------------------------------ receipt printer


def _wrap_plain(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in normalize(text).split():
        while len(word) > columns:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:columns])
            word = word[columns:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= columns:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _columns(left: str, right: str, columns: int) -> list[str]:
    """``left`` wrapped, ``right`` right-aligned on the last line."""
    lines = _wrap_plain(left, columns)
    if not lines:
        lines = [""]
    if len(lines[-1]) + 1 + len(right) > columns:
        lines.append("")
    lines[-1] = lines[-1] + " " * (columns - len(lines[-1]) - len(right)) + right
    return lines


def antragsquittung_receipt(
    application: DocumentApplication,
    municipality: MunicipalitySettings,
    issued: date | None = None,
    *,
    columns: int = 42,
    payment: PaymentNote | None = None,
) -> list[ReceiptItem]:
    """The Antragsquittung for the receipt printer (ESC/POS items).

    Amounts use "EUR" instead of "€", which not every printer code page has.
    """
    application = _check(application)
    summary = fee_summary(application)
    day = issued or application.application_date
    items: list[ReceiptItem] = [
        ReceiptText(municipality.name, bold=True, align="center"),
        ReceiptText(municipality.authority, align="center"),
    ]
    items.extend(ReceiptText(line, align="center") for line in municipality.address)
    items.append(ReceiptFeed(1))
    items.append(ReceiptText("ANTRAGSQUITTUNG", bold=True, double_size=True, align="center"))
    items.append(ReceiptText(_card_kind(application), align="center"))
    items.append(ReceiptFeed(1))
    items.append(ReceiptText(f"Vorgangsnummer: {application.case_number}", bold=True))
    items.append(ReceiptText(f"Datum: {format_date(day)}"))
    items.append(ReceiptText(f"Antragsdatum: {format_date(application.application_date)}"))
    items.append(ReceiptText("-" * columns))
    for item in summary.items:
        items.extend(
            ReceiptText(line)
            for line in _columns(item.label, euro(item.amount, symbol="EUR"), columns)
        )
    if summary.reduction is not None and summary.reduction != 0:
        items.extend(
            ReceiptText(line)
            for line in _columns("Ermäßigung", euro(summary.reduction, symbol="EUR"), columns)
        )
    items.append(ReceiptText("-" * columns))
    items.extend(
        ReceiptText(line, bold=True)
        for line in _columns("Gesamt", euro(summary.total, symbol="EUR"), columns)
    )
    if payment is not None:
        for label, value in payment.lines("EUR"):
            text = f"{label}: {value}"
            items.extend(ReceiptText(line) for line in _wrap_plain(text, columns))
    items.append(ReceiptFeed(1))
    for line in _wrap_plain(f"Zustellung: {DELIVERY[application.delivery]}", columns):
        items.append(ReceiptText(line))
    if isinstance(application, IdCardApplication):
        pin = "ausgehändigt" if application.pin_letter_handed_out else "nicht ausgehändigt"
        items.append(ReceiptText(f"PIN-Brief: {pin}"))
    items.append(ReceiptFeed(1))
    items.append(ReceiptText("So geht es weiter:", bold=True))
    for step in next_steps(application):
        lines = _wrap_plain(step, columns - 2)
        items.extend(
            ReceiptText(("- " if index == 0 else "  ") + line) for index, line in enumerate(lines)
        )
    items.append(ReceiptFeed(1))
    items.append(ReceiptQr(application.case_number, size=6))
    items.append(ReceiptText("QR-Code: nur die Vorgangsnummer", align="center"))
    items.append(ReceiptFeed(3))
    items.append(ReceiptCut())
    return items
