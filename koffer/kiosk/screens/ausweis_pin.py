"""Step 6: PIN-Brief handed out — then the application is checked, and paid.

"Weiter" builds the :class:`~koffer.cases.IdCardApplication` from the
draft and runs every rule (:func:`koffer.cases.ensure_valid`); the first
problem is shown in German. A valid application is saved with the draft
(``"application"``, the canonical :func:`~koffer.cases.case_to_dict` form)
and the payment step follows (:mod:`~koffer.kiosk.screens.ausweis_payment`,
which goes on to the citizen review).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from koffer.cases import RuleViolation, case_to_dict, ensure_valid
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.validation import din91379
from koffer.kiosk.widgets.field import ValidatedField


def after_wizard() -> str:
    """The screen after the last step: the citizen review."""
    return "review"


class AusweisPinScreen(AusweisStep):
    name = "ausweis_pin"
    step = "pin"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self._loading = False
        self.info = QLabel(self.body)
        self.info.setWordWrap(True)
        self.handed_out = QCheckBox(self.body)
        self.handed_out.setObjectName("pin_handed_out")
        self.handed_out.toggled.connect(self._toggled)
        self.number = ValidatedField("pin_number", din91379("B", self._language), parent=self.body)
        self.number.edited.connect(self._number_changed)
        self.result_label = QLabel(self.body)
        self.result_label.setObjectName("pin_result")
        self.result_label.setWordWrap(True)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.info)
        layout.addWidget(self.handed_out)
        layout.addWidget(self.number)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        self.number.setMaximumWidth(420)
        self.retranslate()

    def _language(self) -> str:
        return self.kiosk.context.language

    def retranslate(self) -> None:
        super().retranslate()
        self.info.setText(
            self.tr(
                "Der PIN-Brief wird bei der Antragstellung ausgehändigt. Bitte bestätigen Sie "
                "die Übergabe und tragen Sie die Nummer des PIN-Briefs ein."
            )
        )
        self.handed_out.setText(self.tr("PIN-Brief wurde ausgehändigt"))
        self.number.set_label(self.tr("Nummer des PIN-Briefs"))
        # "Weiter" (from the frame) runs the check; the payment step follows

    def show_draft(self) -> None:
        draft = self.session.draft
        self._loading = True
        self.handed_out.setChecked(draft.pin_handed_out)
        self.number.set_text(draft.pin_number)
        self.number.setEnabled(draft.pin_handed_out)
        self._loading = False

    def first_focus(self) -> QWidget | None:
        return self.handed_out

    def _toggled(self, on: bool) -> None:
        self.number.setEnabled(on)
        if self._loading:
            return
        self.session.draft.pin_handed_out = on
        self.session.touch()
        if on:
            self.number.edit.setFocus()

    def _number_changed(self, text: str) -> None:
        if self._loading:
            return
        self.session.draft.pin_number = text
        self.session.touch()

    def ready_to_continue(self) -> bool:
        draft = self.session.draft
        if draft.pin_handed_out and not draft.pin_number.strip():
            self.kiosk.message.emit(self.tr("Bitte tragen Sie die Nummer des PIN-Briefs ein."))
            self.number.edit.setFocus()
            return False
        language = self.kiosk.context.language
        rules = self.kiosk.context.rules
        try:
            app = draft.to_application(
                self.kiosk.context.today(),
                case_id=self.session.case_id,
                case_number=self.session.case_number,
                rules=rules,
            )
            ensure_valid(app, self.kiosk.context.today(), rules)
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


SCREEN = AusweisPinScreen
