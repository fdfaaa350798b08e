"""Step 5: fee and delivery — the fee lines, Abholung or Direktversand.

Direktversand is offered only when the rules allow it; otherwise the screen
says why (age, Nebenwohnung, express, no second ID …), using the same rules
that validate the finished application.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from koffer.cases import Delivery, fee_breakdown
from koffer.cases.rules import check
from koffer.casework.ausweis_draft import AusweisDraft
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.ausweis_base import AusweisStep

#: rule fields that concern Direktversand
DELIVERY_FIELDS = frozenset(
    {
        "delivery",
        "delivery_address",
        "second_id_present",
        "express",
        "applicant_in_person",
        "provisional",
    }
)


def money(amount: Decimal, language: str) -> str:
    text = f"{amount:.2f}"
    return (text if language == "en" else text.replace(".", ",")) + " EUR"


def direct_delivery_blockers(
    draft: AusweisDraft, today: date, language: str = "de"
) -> list[tuple[str, str]]:
    """(field, message) for every reason Direktversand is not possible now."""
    try:
        app = draft.to_application(today, delivery=Delivery.DIRECT_DELIVERY.value)
    except KofferError as exc:
        return [("person", exc.localized(language))]
    blockers = []
    for finding in check(app, today):
        if finding.severity == "error" and finding.field in DELIVERY_FIELDS:
            blockers.append(
                (finding.field, finding.message_en if language == "en" else finding.message)
            )
    return blockers


class AusweisFeeScreen(AusweisStep):
    name = "ausweis_fee"
    step = "fee"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.fee_heading = QLabel(self.body)
        self.fee_heading.setProperty("role", "title")
        self.fee_card = QFrame(self.body)
        self.fee_card.setProperty("role", "card")
        self.fee_grid = QGridLayout(self.fee_card)
        self.fee_grid.setContentsMargins(20, 16, 20, 16)
        self.fee_grid.setHorizontalSpacing(32)
        self.delivery_heading = QLabel(self.body)
        self.delivery_heading.setProperty("role", "title")
        self.group = QButtonGroup(self)
        self.pickup = QRadioButton(self.body)
        self.pickup.setObjectName("delivery_pickup")
        self.direct = QRadioButton(self.body)
        self.direct.setObjectName("delivery_direct")
        self.group.addButton(self.pickup)
        self.group.addButton(self.direct)
        self.direct.toggled.connect(self._delivery_changed)
        self.second_id = QCheckBox(self.body)
        self.second_id.setObjectName("delivery_second_id")
        self.second_id.toggled.connect(lambda on: self._flag("second_id_present", on))
        self.express = QCheckBox(self.body)
        self.express.setObjectName("delivery_express")
        self.express.toggled.connect(lambda on: self._flag("express", on))
        self.outside_hours = QCheckBox(self.body)
        self.outside_hours.setObjectName("fee_outside_hours")
        self.outside_hours.toggled.connect(lambda on: self._flag("outside_hours", on))
        self.why_not = QLabel(self.body)
        self.why_not.setObjectName("delivery_why_not")
        self.why_not.setWordWrap(True)
        self.why_not.setProperty("role", "hint")
        self.fee_rows: list[tuple[str, str]] = []

        left = QVBoxLayout()
        left.addWidget(self.fee_heading)
        left.addWidget(self.fee_card)
        left.addWidget(self.outside_hours)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.delivery_heading)
        right.addWidget(self.pickup)
        right.addWidget(self.direct)
        right.addWidget(self.second_id)
        right.addWidget(self.express)
        right.addSpacing(8)
        right.addWidget(self.why_not)
        right.addStretch(1)
        layout = QHBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(48)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._loading = False
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.fee_heading.setText(self.tr("Gebühr"))
        self.delivery_heading.setText(self.tr("Zustellung des Ausweises"))
        self.pickup.setText(self.tr("Abholung bei der Behörde"))
        self.direct.setText(self.tr("Direktversand nach Hause (15,00 EUR)"))
        self.second_id.setText(self.tr("Zweites gültiges Ausweisdokument wurde vorgelegt"))
        self.express.setText(self.tr("Expressverfahren"))
        self.outside_hours.setText(
            self.tr("Zuschlag: außerhalb der Dienstzeit / nicht zuständige Behörde")
        )
        self.show_draft()

    def show_draft(self) -> None:
        draft = self.session.draft
        language = self.kiosk.context.language
        today = self.kiosk.context.today()
        self._loading = True
        direct = draft.delivery == Delivery.DIRECT_DELIVERY.value
        blockers = direct_delivery_blockers(draft, today, language) if draft.birth_date() else []
        hard = [b for b in blockers if b[0] != "second_id_present"]
        if direct and hard:
            draft.delivery = Delivery.PICKUP.value
            direct = False
            self.session.touch()
        self.direct.setChecked(direct)
        self.pickup.setChecked(not direct)
        self.direct.setEnabled(not hard)
        self.second_id.setChecked(draft.second_id_present)
        self.express.setChecked(draft.express)
        self.outside_hours.setChecked(draft.outside_hours)
        shown = blockers if (direct or hard) else []
        if shown:
            title = (
                self.tr("Direktversand ist nicht möglich:")
                if hard
                else self.tr("Für den Direktversand fehlt noch:")
            )
            self.why_not.setText(title + "\n" + "\n".join(f"• {m}" for _f, m in shown))
        else:
            self.why_not.setText(
                self.tr("Direktversand ist möglich (PostIdent, zweites Ausweisdokument nötig).")
            )
        self._loading = False
        self._render_fee()

    def _render_fee(self) -> None:
        while self.fee_grid.count():
            entry = self.fee_grid.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.deleteLater()
        draft = self.session.draft
        language = self.kiosk.context.language
        born = draft.birth_date()
        self.fee_rows = []
        if born is None:
            return
        try:
            items = fee_breakdown(
                self.kiosk.context.today(),
                born,
                direct_delivery=draft.delivery == Delivery.DIRECT_DELIVERY.value,
                authority_photo=draft.photo_source == "authority_capture",
                outside_hours_surcharge=draft.outside_hours,
            )
        except KofferError:
            return
        total = Decimal("0.00")
        for row, item in enumerate(items):
            label = item.label_en if language == "en" else item.label
            self.fee_rows.append((label, money(item.amount, language)))
            self.fee_grid.addWidget(QLabel(label, self.fee_card), row, 0)
            amount = QLabel(money(item.amount, language), self.fee_card)
            self.fee_grid.addWidget(amount, row, 1)
            total += item.amount
        total_label = QLabel(self.tr("Summe"), self.fee_card)
        total_label.setProperty("role", "title")
        total_amount = QLabel(money(total, language), self.fee_card)
        total_amount.setObjectName("fee_total")
        total_amount.setProperty("role", "title")
        self.fee_grid.addWidget(total_label, len(items), 0)
        self.fee_grid.addWidget(total_amount, len(items), 1)
        self.fee_rows.append((self.tr("Summe"), money(total, language)))

    def _delivery_changed(self, direct: bool) -> None:
        if self._loading:
            return
        self.session.draft.delivery = (
            Delivery.DIRECT_DELIVERY.value if direct else Delivery.PICKUP.value
        )
        self.session.touch()
        self.show_draft()

    def _flag(self, name: str, on: bool) -> None:
        if self._loading:
            return
        setattr(self.session.draft, name, on)
        self.session.touch()
        self.show_draft()

    def ready_to_continue(self) -> bool:
        draft = self.session.draft
        if draft.delivery == Delivery.DIRECT_DELIVERY.value:
            blockers = direct_delivery_blockers(
                draft, self.kiosk.context.today(), self.kiosk.context.language
            )
            if blockers:
                self.kiosk.message.emit(blockers[0][1])
                return False
        return True


SCREEN = AusweisFeeScreen
