"""Step 3: fingerprints — one finger per hand, up to three captures a round, the best kept.

The hand diagram shows the finger to capture now and its substitutes in the
order index → thumb → middle → ring (never the little finger). Each capture
runs on the scanner's own worker and its quality appears at once. A capture
is repeated only while its quality is short of the finger's NFIQ threshold
(:mod:`koffer.cases.fingerprint_quality`, TR-03121-3 table 5.4), at most three
times a round; then the best is WSQ-encoded off the GUI thread and stored as
an encrypted attachment. "Erfassen" again starts a new round. A finger that
cannot be captured gets a reason (fehlt, verletzt, Qualität), which makes its
substitute the target. Nobody under 6 gives fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from koffer.cases import ExemptionReason, FingerCode
from koffer.cases.enums import Hand
from koffer.cases.fingerprint_quality import ATTEMPTS_PER_ROUND, another_attempt, passes
from koffer.casework.ausweis_draft import FingerDraft, fingerprint_attachment
from koffer.devices.interfaces import DeviceKind, Finger, FingerprintScanner, GreyImage
from koffer.devices.pipelines.fingerprint import FingerResult, process_captures, to_500ppi
from koffer.devices.pipelines.quality import QualityScorer, default_scorer
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.bridge import QtDevices
from koffer.kiosk.prompt import QtPrompt
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.widgets.hand_diagram import HandDiagram

CAPTURE_TIMEOUT = 15.0

#: reasons the clerk can give for one finger
FINGER_REASONS = (ExemptionReason.INJURED, ExemptionReason.MISSING, ExemptionReason.QUALITY)


def reason_label(reason: ExemptionReason) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        ExemptionReason.INJURED: QCoreApplication.translate("Fingers", "Finger verletzt"),
        ExemptionReason.MISSING: QCoreApplication.translate("Fingers", "Finger fehlt"),
        ExemptionReason.QUALITY: QCoreApplication.translate(
            "Fingers", "Abdruck nicht lesbar (Qualität)"
        ),
        ExemptionReason.PERMANENT: QCoreApplication.translate("Fingers", "dauerhaft nicht möglich"),
        ExemptionReason.TEMPORARY: QCoreApplication.translate(
            "Fingers", "vorübergehend nicht möglich"
        ),
        ExemptionReason.UNDER_AGE: QCoreApplication.translate("Fingers", "jünger als 6 Jahre"),
    }
    return labels[reason]


def _text(widget: QLabel | QPushButton, text: str) -> None:
    """Set ``text`` only when it changed (each change costs a relayout)."""
    if widget.text() != text:
        widget.setText(text)


def _visible(widget: QWidget, on: bool) -> None:
    if widget.isHidden() == on:
        widget.setVisible(on)


def _enabled(widget: QWidget, on: bool) -> None:
    if widget.isEnabled() != on:
        widget.setEnabled(on)


def finger_label(finger: FingerCode, language: str) -> str:
    return finger.label_en if language == "en" else finger.label


@dataclass(frozen=True)
class Capture:
    image: GreyImage
    quality: int


def capture_once(
    device: object, prompt: QtPrompt, scorer: QualityScorer, timeout: float = CAPTURE_TIMEOUT
) -> Capture:
    """One capture and its quality (device thread)."""
    if not isinstance(device, FingerprintScanner):
        raise TypeError("not a fingerprint scanner")
    image = device.capture(prompt, timeout)
    return Capture(image, scorer.score(to_500ppi(image)))


class AusweisFingerprintsScreen(AusweisStep):
    name = "ausweis_fingerprints"
    step = "fingerprints"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.devices = QtDevices.of(kiosk)
        self.scorer = default_scorer()
        self.prompt = QtPrompt(self)
        self.prompt.message.connect(self._prompt)
        self.captures: list[Capture] = []
        self.finger: FingerCode | None = None
        self.capturing = False
        self.encoding = False

        self.diagram = HandDiagram(self.body)
        self.diagram.finger_clicked.connect(self._finger_clicked)
        self.now_label = QLabel(self.body)
        self.now_label.setProperty("role", "title")
        self.now_label.setObjectName("fingers_now")
        self.prompt_label = QLabel(self.body)
        self.prompt_label.setObjectName("fingers_prompt")
        self.prompt_label.setWordWrap(True)
        self.quality_labels = [QLabel(self.body) for _ in range(ATTEMPTS_PER_ROUND)]
        for index, label in enumerate(self.quality_labels):
            label.setObjectName(f"fingers_quality_{index}")
            label.setMinimumWidth(150)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setMargin(8)
        self.method_label = QLabel(self.body)
        self.method_label.setProperty("role", "hint")
        self.capture_button = QPushButton(self.body)
        self.capture_button.setObjectName("fingers_capture")
        self.capture_button.setProperty("role", "action")
        self.capture_button.setMinimumHeight(56)
        self.capture_button.clicked.connect(self.capture)
        self.cancel_button = QPushButton(self.body)
        self.cancel_button.setObjectName("fingers_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.reason_combo = QComboBox(self.body)
        self.reason_combo.setObjectName("fingers_reason")
        self.skip_button = QPushButton(self.body)
        self.skip_button.setObjectName("fingers_skip")
        self.skip_button.clicked.connect(self.skip_finger)
        self.exempt_button = QPushButton(self.body)
        self.exempt_button.setObjectName("fingers_exempt_all")
        self.exempt_button.clicked.connect(self.exempt_all)
        self.summary_label = QLabel(self.body)
        self.summary_label.setObjectName("fingers_summary")
        self.summary_label.setWordWrap(True)
        self.legend_label = QLabel(self.body)
        self.legend_label.setProperty("role", "hint")
        self.legend_label.setWordWrap(True)

        qualities = QHBoxLayout()
        for label in self.quality_labels:
            qualities.addWidget(label)
        qualities.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.capture_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        skip = QHBoxLayout()
        skip.addWidget(self.reason_combo)
        skip.addWidget(self.skip_button)
        skip.addStretch(1)
        skip.addWidget(self.exempt_button)
        side = QVBoxLayout()
        side.addWidget(self.now_label)
        side.addWidget(self.prompt_label)
        side.addLayout(qualities)
        side.addWidget(self.method_label)
        side.addLayout(skip)
        side.addWidget(self.summary_label)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.diagram, 1)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top, 3)
        layout.addWidget(self.legend_label)
        layout.addLayout(side, 2)
        self.step_actions.addLayout(actions)
        self.retranslate()

    # -- texts ---------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        self.capture_button.setText(self.tr("Finger erfassen (3 Aufnahmen)"))
        self.cancel_button.setText(self.tr("Abbrechen"))
        self.skip_button.setText(self.tr("Finger nicht möglich → Ersatzfinger"))
        self.exempt_button.setText(self.tr("Abnahme dauerhaft nicht möglich"))
        self.legend_label.setText(
            self.tr(
                "Blau: jetzt erfassen · gestrichelt: Ersatzfinger (Zeigefinger → Daumen → "
                "Mittelfinger → Ringfinger) · grün: erfasst · grau: nicht möglich · kleine "
                "Finger werden nie erfasst. Erfasste Finger antippen, um sie neu zu erfassen."
            )
        )
        self.method_label.setText(
            self.tr("Qualität 0–100: %1").replace("%1", self.tr(self.scorer.method))
        )
        current = self.reason_combo.currentData()
        self.reason_combo.clear()
        for reason in FINGER_REASONS:
            self.reason_combo.addItem(reason_label(reason), reason.value)
        if current:
            self.reason_combo.setCurrentIndex(max(0, self.reason_combo.findData(current)))
        self.show_draft()

    # -- state ---------------------------------------------------------------

    def _age(self) -> int | None:
        return self.session.draft.age(self.kiosk.context.today())

    def under_age(self) -> bool:
        age = self._age()
        return age is not None and age < self.kiosk.context.rules.fingerprint_min_age

    def next_target(self) -> FingerCode | None:
        draft = self.session.draft
        if self.under_age() or draft.fingerprint_exemption:
            return None
        for hand in (Hand.LEFT, Hand.RIGHT):
            candidate, _ = draft.hand_plan(hand)
            if candidate is not None:
                return candidate
        return None

    def show_draft(self) -> None:
        draft = self.session.draft
        language = self.kiosk.context.language
        if not self.capturing:
            self.finger = self.next_target()
        states: dict[FingerCode, tuple[str, str]] = {}
        if not self.under_age() and not draft.fingerprint_exemption:
            for hand in (Hand.LEFT, Hand.RIGHT):
                target, substitutes = draft.hand_plan(hand)
                if target is not None:
                    states[target] = ("target" if target == self.finger else "substitute", "")
                for substitute in substitutes:
                    states[substitute] = ("substitute", "")
            for code in draft.unavailable:
                states[FingerCode(code)] = ("unavailable", "")
            for record in draft.fingers:
                state = "captured" if passes(record.finger, record.quality) else "low"
                states[FingerCode(record.finger)] = (state, str(record.quality))
        self.diagram.set_states(states)
        busy = self.capturing or self.encoding
        finger = self.finger
        if self.under_age():
            _text(
                self.now_label, self.tr("Keine Fingerabdrücke: die Person ist jünger als 6 Jahre.")
            )
        elif draft.fingerprint_exemption:
            _text(
                self.now_label,
                self.tr("Keine Fingerabdrücke: %1.").replace(
                    "%1", reason_label(ExemptionReason(draft.fingerprint_exemption))
                ),
            )
        elif finger is None:
            _text(self.now_label, self.tr("✔ Fingerabdrücke vollständig"))
        else:
            _text(
                self.now_label, self.tr("Jetzt: %1").replace("%1", finger_label(finger, language))
            )
        capturable = finger is not None
        _visible(self.capture_button, capturable)
        _enabled(self.capture_button, not busy)
        _visible(self.cancel_button, self.capturing)
        _visible(self.reason_combo, capturable)
        _visible(self.skip_button, capturable)
        _enabled(self.skip_button, not busy)
        _visible(self.exempt_button, not self.under_age())
        _text(
            self.exempt_button,
            self.tr("Befreiung aufheben")
            if draft.fingerprint_exemption
            else self.tr("Abnahme dauerhaft nicht möglich"),
        )
        _enabled(self.exempt_button, not busy)
        for index, label in enumerate(self.quality_labels):
            _visible(label, capturable or bool(self.captures))
            if index < len(self.captures):
                quality = self.captures[index].quality
                good = self.finger is not None and passes(self.finger, quality)
                mark = "✔" if good else "⚠"
                _text(
                    label,
                    self.tr("Aufnahme %1: %2 %3")
                    .replace("%1", str(index + 1))
                    .replace("%2", str(quality))
                    .replace("%3", mark),
                )
            else:
                _text(label, self.tr("Aufnahme %1: –").replace("%1", str(index + 1)))
        _text(self.summary_label, self._summary())

    def _summary(self) -> str:
        draft = self.session.draft
        language = self.kiosk.context.language
        lines = []
        for record in draft.fingers:
            finger = FingerCode(record.finger)
            line = self.tr("%1: beste von %2 Aufnahmen, Qualität %3").replace(
                "%1", finger_label(finger, language)
            )
            line = line.replace("%2", str(len(record.qualities))).replace("%3", str(record.quality))
            if not passes(finger, record.quality):
                line += " " + self.tr("(niedrig – Ersatzfinger möglich: Finger antippen)")
            lines.append("✔ " + line)
        for code, reason in sorted(draft.unavailable.items(), key=lambda kv: int(kv[0])):
            lines.append(
                "✕ "
                + finger_label(FingerCode(code), language)
                + ": "
                + reason_label(ExemptionReason(reason))
            )
        return "\n".join(lines)

    def left(self) -> None:
        if self.capturing:
            self.cancel()

    # -- capture -------------------------------------------------------------

    def _prompt(self, key: str, text: str) -> None:
        del key
        if self.capturing:
            self.prompt_label.setText(self.tr(text))

    def capture(self) -> None:
        """Start a round of up to three captures of the current finger."""
        if self.capturing or self.encoding or self.finger is None:
            return
        self.capturing = True
        self.captures = []
        self.prompt.reset()
        self.show_draft()
        self._capture_next()

    def _capture_next(self) -> None:
        self.devices.with_device(
            DeviceKind.FINGERPRINT,
            lambda device: capture_once(device, self.prompt, self.scorer),
            on_success=self._captured,
            on_error=self._failed,
        )

    def _captured(self, capture: Capture) -> None:
        if not self.capturing:
            return
        self.captures.append(capture)
        self.show_draft()
        finger_now = self.finger
        qualities = [c.quality for c in self.captures]
        if finger_now is not None and another_attempt(finger_now, qualities):
            self._capture_next()
            return
        self.capturing = False
        self.encoding = True
        self.prompt_label.setText(
            self.tr("Bitte Finger abheben. Die beste Aufnahme wird gespeichert …")
        )
        finger = self.finger
        if finger is None:  # pragma: no cover - guarded by capture()
            return
        images = [c.image for c in self.captures]
        scorer = self.scorer
        self.kiosk.run_in_background(
            lambda: process_captures(Finger(finger.value), images, scorer),
            self._encoded,
            self._encode_failed,
        )
        self.show_draft()

    def _encoded(self, result: FingerResult) -> None:
        self.encoding = False
        draft = self.session.draft
        finger = FingerCode(result.finger.value)
        name = fingerprint_attachment(finger)
        draft.fingers = [f for f in draft.fingers if f.finger != finger.value]
        draft.fingers.append(
            FingerDraft(
                finger=finger.value,
                qualities=list(result.qualities),
                kept_index=result.kept_index,
                attachment=name,
                method=result.quality_method,
            )
        )
        self.session.save_attachments({name: result.wsq})
        self.captures = []
        self.prompt_label.setText(
            self.tr("✔ %1 gespeichert (Qualität %2).")
            .replace("%1", finger_label(finger, self.kiosk.context.language))
            .replace("%2", str(result.quality))
        )
        self.show_draft()

    def _encode_failed(self, exc: BaseException) -> None:
        self.encoding = False
        self.captures = []
        self.kiosk.show_error(exc)
        self.show_draft()

    def _failed(self, exc: BaseException) -> None:
        was_capturing = self.capturing
        self.capturing = False
        self.captures = []
        if was_capturing:
            self.kiosk.show_error(exc)
            self.prompt_label.setText(
                self.tr(
                    "Die Erfassung wurde unterbrochen. Bitte prüfen Sie den Scanner und "
                    "versuchen Sie es erneut."
                )
            )
        self.show_draft()

    def cancel(self) -> None:
        if self.capturing:
            self.prompt.cancel()
            self.capturing = False
            self.captures = []
            self.prompt_label.setText(self.tr("Erfassung abgebrochen."))
            self.show_draft()

    # -- exemptions ----------------------------------------------------------

    def skip_finger(self) -> None:
        """The current finger cannot be captured: record the reason, go to the substitute."""
        finger = self.finger
        if finger is None or self.capturing or self.encoding:
            return
        reason = str(self.reason_combo.currentData() or ExemptionReason.INJURED.value)
        self.session.draft.unavailable[finger.value] = reason
        self.session.touch()
        self.captures = []
        self.show_draft()

    def _finger_clicked(self, code: str) -> None:
        """Tapping a captured or skipped finger makes it capturable again."""
        if self.capturing or self.encoding:
            return
        draft = self.session.draft
        finger = FingerCode(code)
        hand = finger.hand
        record = draft.finger(finger)
        if record is not None:
            draft.fingers = [f for f in draft.fingers if f.finger != code]
            self.session.save_attachments({record.attachment: None})
            if not passes(finger, record.quality):
                # low quality: note it and let the substitute be captured
                draft.unavailable[code] = ExemptionReason.QUALITY.value
                self.session.touch()
        elif code in draft.unavailable:
            # undo this mark and every mark after it on the same hand
            order = [f.value for f in _order(hand)]
            position = order.index(code) if code in order else 0
            for later in order[position:]:
                draft.unavailable.pop(later, None)
            self.session.touch()
        self.show_draft()

    def exempt_all(self) -> None:
        draft = self.session.draft
        if draft.fingerprint_exemption:
            draft.fingerprint_exemption = ""
        else:
            draft.fingerprint_exemption = ExemptionReason.PERMANENT.value
        self.session.touch()
        self.show_draft()

    def ready_to_continue(self) -> bool:
        if self.capturing or self.encoding:
            self.kiosk.message.emit(self.tr("Bitte warten Sie, bis die Erfassung beendet ist."))
            return False
        if not self.session.draft.fingerprints_done(
            self.kiosk.context.today(), self.kiosk.context.rules
        ):
            self.kiosk.message.emit(
                self.tr(
                    "Es fehlt noch ein Fingerabdruck. Bitte erfassen Sie ihn oder geben Sie "
                    "den Grund an, warum es nicht geht."
                )
            )
            return False
        return True


def _order(hand: Hand) -> tuple[FingerCode, ...]:
    from koffer.cases.id_card import finger_substitution_order

    return finger_substitution_order(hand)


SCREEN = AusweisFingerprintsScreen
