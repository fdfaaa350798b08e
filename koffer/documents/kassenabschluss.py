"""The Kassenabschluss (visit closing of the cash book) as a PDF/A document.

``koffer cashbook close --print`` prints it at the suitcase;
``koffer backend cashbook export`` writes it per received closing for the
finance office (with the result of the back end's chain check). Pure: the
caller maps its own values into :class:`Kassenabschluss`. Amounts are
integer cents. No personal data and no card data: the entries carry seq,
time, case number, method and amount only (the terminal's masked card text
is left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from koffer.documents.layout import FormLayout
from koffer.documents.pdfa import DocumentInfo
from koffer.documents.settings import MunicipalitySettings

METHOD_LABELS = {
    "cash": "Bar",
    "card": "Karte",
    "invoice": "Rechnung",
    "waived": "Erlassen",
    "reversal": "Storno",
    "closing": "Abschluss",
}


def eur_de(cents: int) -> str:
    """``-1234`` → ``"-12,34 €"``; thousands with a dot (integer arithmetic only)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"


@dataclass(frozen=True)
class AbschlussLine:
    """One cash-book entry of the period."""

    seq: int
    time: datetime
    method: str
    amount_cents: int
    case_number: str | None = None


@dataclass(frozen=True)
class Kassenabschluss:
    """What the document shows (all amounts in cents)."""

    closing_seq: int
    closed_at: datetime
    counted_cents: int
    expected_cents: int
    card_total_cents: int
    invoice_total_cents: int
    terminal_total_cents: int | None
    terminal_ok: bool | None
    lines: Sequence[AbschlussLine] = ()
    #: the suitcase's name (back end) or empty
    device: str = ""
    #: the back end's chain check: None (not checked), () ok, else the findings
    chain_findings: Sequence[str] | None = None
    from_seq: int | None = None
    to_seq: int | None = None
    extra_rows: Sequence[tuple[str, str]] = field(default_factory=tuple)

    @property
    def difference_cents(self) -> int:
        return self.counted_cents - self.expected_cents


def _local(moment: datetime) -> str:
    return f"{moment.astimezone():%d.%m.%Y %H:%M:%S}"


def render(
    data: Kassenabschluss,
    *,
    municipality: MunicipalitySettings | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The Kassenabschluss as PDF/A-2b bytes."""
    moment = generated_at or datetime.now(UTC).replace(microsecond=0)
    letterhead = municipality or MunicipalitySettings(
        name="Bürgerservice-Koffer", authority="Kassenabschluss"
    )
    info_rows = [("Abschluss", f"Nr. {data.closing_seq}"), ("Datum", _local(data.closed_at))]
    if data.device:
        info_rows.append(("Koffer", data.device))
    layout = FormLayout(
        letterhead,
        "Kassenabschluss",
        info_rows,
        footer_note="Kassenabschluss · ohne Kartendaten",
    )
    if data.chain_findings is not None:
        if data.chain_findings:
            layout.paragraph(
                "ACHTUNG: Die Hash-Kette des Kassenbuchs ist unterbrochen oder verändert. "
                "Bitte prüfen Sie den Abschluss mit der Kassenaufsicht.",
                size=11,
                bold=True,
            )
            layout.bullets(list(data.chain_findings))
        else:
            layout.paragraph("Hash-Kette des Kassenbuchs geprüft: in Ordnung.", size=10)
    layout.heading("Bargeld")
    layout.amounts(
        [
            ("Bargeld gezählt", eur_de(data.counted_cents)),
            ("Bargeld erwartet", eur_de(data.expected_cents)),
        ],
        ("Differenz", eur_de(data.difference_cents)),
    )
    layout.heading("Unbare Zahlungen")
    if data.terminal_total_cents is None:
        terminal = "kein Tagesabschluss"
    else:
        state = "in Ordnung" if data.terminal_ok else "FEHLGESCHLAGEN"
        terminal = f"{eur_de(data.terminal_total_cents)} ({state})"
    layout.field("Kartenzahlungen", eur_de(data.card_total_cents))
    layout.field("Kartenterminal", terminal)
    layout.field("Auf Rechnung", eur_de(data.invoice_total_cents))
    if data.from_seq is not None and data.to_seq is not None:
        layout.field("Einträge", f"{data.from_seq} bis {data.to_seq}")
    for label, value in data.extra_rows:
        layout.field(label, value)
    layout.heading("Einträge des Zeitraums")
    rows = [
        [
            str(line.seq),
            _local(line.time),
            line.case_number or "–",
            METHOD_LABELS.get(line.method, line.method),
            eur_de(line.amount_cents),
        ]
        for line in data.lines
    ]
    if rows:
        layout.table(["Nr.", "Zeit", "Vorgangsnummer", "Art", "Betrag"], rows, [12, 38, 40, 22, 28])
    else:
        layout.paragraph("Keine Einträge.")
    layout.signature_lines(["Gezählt (Unterschrift)", "Geprüft (Unterschrift)"])
    info = DocumentInfo(
        title=f"Kassenabschluss {data.closing_seq}",
        subject="Kassenabschluss des Bürgerservice-Koffers",
        created=moment,
        author=letterhead.name,
    )
    return layout.render(info)
