"""Last step of the Reisepass application: options, old passport, delivery, fee, check.

The options are those of PassV § 27 (48 pages, express, vorläufiger
Reisepass, surcharges) and § 28 (fee waiver with its reason); Direktversand
needs a second photo ID, consent and an e-mail address for the notice
(§ 17 Abs. 2–3). The fee lines come from :func:`koffer.cases.passport.fee_breakdown`
with the configured readings of § 27 Abs. 2 (``KioskContext.rules``).
"Antrag prüfen" builds the :class:`~koffer.cases.PassportApplication` and runs
every rule; the first problem is shown in German, a valid application goes to
the payment step and then the citizen review (as after the Personalausweis PIN step).
"""

from __future__ import annotations

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

from koffer.cases import Delivery, RuleViolation, case_to_dict, ensure_valid, passport
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.screens.ausweis_fee import money
from koffer.kiosk.screens.ausweis_pin import after_wizard
from koffer.kiosk.validation import din91379
from koffer.kiosk.widgets.field import ValidatedField

#: check box → (draft attribute, on the passport options?)
FLAGS: dict[str, tuple[str, bool]] = {
    "pages_48": ("pages_48", True),
    "express": ("express", False),
    "provisional": ("provisional", True),
    "in_person": ("in_person", True),
    "outside_hours": ("outside_hours", False),
    "non_competent": ("non_competent", True),
    "fee_waived": ("fee_waived", True),
    "old_presented": ("old_presented", True),
    "old_invalidated": ("old_invalidated", True),
    "old_visas": ("old_visas", True),
    "second_id": ("second_id_present", False),
    "consent": ("consent", True),
}


class AusweisPassportScreen(AusweisStep):
    name = "ausweis_passport"
    step = "passport"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self._loading = False
        self.boxes: dict[str, QCheckBox] = {}
        for key in FLAGS:
            box = QCheckBox(self.body)
            box.setObjectName(f"passport_{key}")
            box.toggled.connect(lambda on, k=key: self._flag(k, on))
            self.boxes[key] = box
        self.options_heading = QLabel(self.body)
        self.options_heading.setProperty("role", "title")
        self.in_person_hint = QLabel(self.body)
        self.in_person_hint.setWordWrap(True)
        self.in_person_hint.setProperty("role", "hint")
        self.waiver_reason = ValidatedField(
            "fee_waiver_reason", din91379("C", self._language), parent=self.body
        )
        self.waiver_reason.edited.connect(lambda text: self._text("fee_waiver_reason", text))
        self.old_heading = QLabel(self.body)
        self.old_heading.setProperty("role", "title")
        self.delivery_heading = QLabel(self.body)
        self.delivery_heading.setProperty("role", "title")
        self.group = QButtonGroup(self)
        self.pickup = QRadioButton(self.body)
        self.pickup.setObjectName("passport_pickup")
        self.direct = QRadioButton(self.body)
        self.direct.setObjectName("passport_direct")
        self.group.addButton(self.pickup)
        self.group.addButton(self.direct)
        self.direct.toggled.connect(self._delivery_changed)
        self.email = ValidatedField("notice_email", parent=self.body)
        self.email.edited.connect(lambda text: self._text("notice_email", text))
        self.fee_heading = QLabel(self.body)
        self.fee_heading.setProperty("role", "title")
        self.fee_card = QFrame(self.body)
        self.fee_card.setProperty("role", "card")
        self.fee_grid = QGridLayout(self.fee_card)
        self.fee_grid.setContentsMargins(20, 16, 20, 16)
        self.fee_grid.setHorizontalSpacing(32)
        self.fee_rows: list[tuple[str, str]] = []
        self.result_label = QLabel(self.body)
        self.result_label.setObjectName("passport_result")
        self.result_label.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(self.options_heading)
        for key in ("pages_48", "express", "provisional", "in_person"):
            left.addWidget(self.boxes[key])
        left.addWidget(self.in_person_hint)
        for key in ("outside_hours", "non_competent", "fee_waived"):
            left.addWidget(self.boxes[key])
        left.addWidget(self.waiver_reason)
        left.addWidget(self.old_heading)
        for key in ("old_presented", "old_invalidated", "old_visas"):
            left.addWidget(self.boxes[key])
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.delivery_heading)
        right.addWidget(self.pickup)
        right.addWidget(self.direct)
        right.addWidget(self.boxes["second_id"])
        right.addWidget(self.boxes["consent"])
        right.addWidget(self.email)
        right.addWidget(self.fee_heading)
        right.addWidget(self.fee_card)
        right.addWidget(self.result_label)
        right.addStretch(1)
        layout = QHBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(48)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self.retranslate()

    def _language(self) -> str:
        return self.kiosk.context.language

    def retranslate(self) -> None:
        super().retranslate()
        self.options_heading.setText(self.tr("Reisepass"))
        texts = {
            "pages_48": self.tr("48 Seiten statt 32 (+22,00 EUR)"),
            "express": self.tr("Expressverfahren (+32,00 EUR)"),
            "provisional": self.tr("Vorläufiger Reisepass (26,00 EUR, höchstens 1 Jahr gültig)"),
            "in_person": self.tr("Die antragstellende Person ist persönlich erschienen"),
            "outside_hours": self.tr("Auf Wunsch außerhalb der Dienstzeit"),
            "non_competent": self.tr("Bei einer nicht zuständigen Behörde beantragt"),
            "fee_waived": self.tr("Gebühr erlassen: bedürftige Person (§ 28 PassV)"),
            "old_presented": self.tr("Bisheriger Reisepass wurde vorgelegt"),
            "old_invalidated": self.tr("Bisheriger Reisepass wurde entwertet"),
            "old_visas": self.tr("Bisheriger Reisepass enthält gültige ausländische Visa"),
            "second_id": self.tr("Zweiter gültiger Lichtbildausweis wurde vorgelegt"),
            "consent": self.tr("Die antragstellende Person willigt in den Direktversand ein"),
        }
        for key, text in texts.items():
            self.boxes[key].setText(text)
        self.in_person_hint.setText(
            self.tr(
                "Wer nicht persönlich erscheinen kann, kann nur einen vorläufigen Reisepass "
                "beantragen."
            )
        )
        self.waiver_reason.set_label(self.tr("Grund für den Gebührenerlass"))
        self.old_heading.setText(self.tr("Bisheriger Reisepass"))
        self.delivery_heading.setText(self.tr("Zustellung des Reisepasses"))
        self.pickup.setText(self.tr("Abholung bei der Behörde"))
        self.direct.setText(self.tr("Direktversand nach Hause (15,00 EUR)"))
        self.email.set_label(self.tr("E-Mail-Adresse für die Versandmitteilung"))
        self.fee_heading.setText(self.tr("Gebühr"))
        self.next_button.setText(self.tr("Antrag prüfen"))
        self.show_draft()

    # -- the draft -------------------------------------------------------------

    def _value(self, key: str) -> bool:
        attr, on_options = FLAGS[key]
        draft = self.session.draft
        return bool(getattr(draft.passport if on_options else draft, attr))

    def show_draft(self) -> None:
        draft = self.session.draft
        self._loading = True
        for key, box in self.boxes.items():
            box.setChecked(self._value(key))
        direct = draft.delivery == Delivery.DIRECT_DELIVERY.value
        self.direct.setChecked(direct)
        self.pickup.setChecked(not direct)
        for widget in (self.boxes["second_id"], self.boxes["consent"], self.email):
            widget.setVisible(direct)
        self.waiver_reason.setVisible(draft.passport.fee_waived)
        self.waiver_reason.set_text(draft.passport.fee_waiver_reason)
        self.email.set_text(draft.passport.notice_email)
        self._loading = False
        self._render_fee()

    def _render_fee(self) -> None:
        while self.fee_grid.count():
            entry = self.fee_grid.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.hide()  # not painted again until Qt deletes it
                widget.deleteLater()
        draft = self.session.draft
        language = self.kiosk.context.language
        born = draft.birth_date()
        self.fee_rows = []
        if born is None:
            return
        o = draft.passport
        try:
            items = passport.fee_breakdown(
                self.kiosk.context.today(),
                born,
                pages_48=o.pages_48,
                express=draft.express,
                provisional=o.provisional,
                direct_delivery=draft.delivery == Delivery.DIRECT_DELIVERY.value,
                authority_photo=draft.photo_source == "authority_capture",
                outside_hours_surcharge=draft.outside_hours,
                non_competent_authority=o.non_competent,
                rules=self.kiosk.context.rules.passport_fee_rules,
            )
        except KofferError as exc:
            self.fee_grid.addWidget(QLabel(exc.localized(language), self.fee_card), 0, 0)
            return
        rows = [(i.label_en if language == "en" else i.label, i.amount) for i in items]
        total = sum((amount for _label, amount in rows), Decimal("0.00"))
        if o.fee_waived:
            rows.append((self.tr("Gebührenerlass (§ 28 PassV)"), -total))
            total = Decimal("0.00")
        rows.append((self.tr("Summe"), total))
        for row, (label, amount) in enumerate(rows):
            self.fee_rows.append((label, money(amount, language)))
            text = QLabel(label, self.fee_card)
            value = QLabel(money(amount, language), self.fee_card)
            if row == len(rows) - 1:
                text.setProperty("role", "title")
                value.setProperty("role", "title")
                value.setObjectName("passport_fee_total")
            self.fee_grid.addWidget(text, row, 0)
            self.fee_grid.addWidget(value, row, 1)

    def _flag(self, key: str, on: bool) -> None:
        if self._loading:
            return
        attr, on_options = FLAGS[key]
        draft = self.session.draft
        setattr(draft.passport if on_options else draft, attr, on)
        self.session.touch()
        self.show_draft()

    def _text(self, attr: str, text: str) -> None:
        if self._loading:
            return
        setattr(self.session.draft.passport, attr, text)
        self.session.touch()

    def _delivery_changed(self, direct: bool) -> None:
        if self._loading:
            return
        self.session.draft.delivery = (
            Delivery.DIRECT_DELIVERY.value if direct else Delivery.PICKUP.value
        )
        self.session.touch()
        self.show_draft()

    # -- check and finish ---------------------------------------------------------

    def ready_to_continue(self) -> bool:
        draft = self.session.draft
        language = self.kiosk.context.language
        today = self.kiosk.context.today()
        rules = self.kiosk.context.rules
        try:
            app = draft.to_application(
                today,
                case_id=self.session.case_id,
                case_number=self.session.case_number,
                rules=rules,
            )
            ensure_valid(app, today, rules)
        except RuleViolation as exc:
            self.result_label.setText("⚠ " + exc.localized(language))
            self.kiosk.message.emit(exc.localized(language))
            return False
        except KofferError as exc:
            self.result_label.setText("⚠ " + exc.localized(language))
            return False
        draft.application = case_to_dict(app)
        self.result_label.setText(self.tr("✔ Der Antrag ist vollständig."))
        self.session.touch()
        return True

    def finish(self) -> None:
        self.session.flush()
        case_id = self.session.case_id
        target = after_wizard()
        self.kiosk.go(target, {"case_id": case_id} if target == "review" and case_id else {})


SCREEN = AusweisPassportScreen
