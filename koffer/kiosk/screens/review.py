"""Citizen review: exactly what the citizen confirms, in large type.

Works for every case type (registrations and Personalausweis applications):
the stored payload is turned into the domain case
(:func:`koffer.casework.review.load_for_review`) off the GUI thread. Errors
block and lead back to the wizard; warnings are shown but do not block.

A Personalausweis application also shows what was captured: the photo, the
fingerprints and the signature as thumbnails (decoded and scaled off the GUI
thread); an image that is missing or damaged shows a plain-language
placeholder instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.review import THUMBNAIL_BOX, ReviewData, ReviewImage, load_for_review
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.ausweis_fingerprints import finger_label
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.widgets.scrolling import scrolled
from koffer.kiosk.widgets.thumbnail import Thumbnail, rgb_qimage

#: where "Zurück" leads from the review: the wizard of each case type, at its last step
WIZARD_OF: dict[str, str] = {
    "anmeldung": "anmeldung",
    "abmeldung": "abmeldung",
    "hauptwohnung": "hauptwohnung",
    "personalausweis": "ausweis_payment",
    "reisepass": "ausweis_payment",
}


class ReviewScreen(Screen):
    name = "review"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.case_id: str | None = None
        self.data: ReviewData | None = None
        #: the thumbnails currently shown, in order (empty for registrations)
        self.thumbnails: list[Thumbnail] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setProperty("role", "subtitle")
        self.body = QWidget(self)
        self.body.setObjectName("review_body")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(18)
        self.area = area = scrolled(self.body, self)
        #: the citizen has seen the end of the review (scrolled to the bottom,
        #: or everything fits): only then can they confirm
        self.seen_all = False
        bar = area.verticalScrollBar()
        bar.valueChanged.connect(self._check_seen)
        bar.rangeChanged.connect(self._range_changed)
        self.more_button = QPushButton(self)
        self.more_button.setObjectName("review_more")
        self.more_button.clicked.connect(self.show_more)
        self.gate = QLabel(self)
        self.gate.setObjectName("review_gate")
        self.gate.setWordWrap(True)
        self.gate.setProperty("role", "hint")
        self.notes = QLabel(self)
        self.notes.setObjectName("review_notes")
        self.notes.setWordWrap(True)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("review_back")
        self.back_button.clicked.connect(self.go_back)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("review_confirm")
        self.confirm_button.setProperty("role", "primary")
        self.confirm_button.setMinimumHeight(64)
        self.confirm_button.clicked.connect(self.proceed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.gate, 2)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(12)
        layout.addWidget(self.intro)
        layout.addWidget(area, 1)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        self.retranslate()

    def title(self) -> str:
        number = self.data.case_number if self.data else ""
        return self.tr("Durchsicht %1").replace("%1", number).strip()

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Bitte lesen Sie alle Angaben in Ruhe durch. Stimmt alles, bestätigen Sie "
                "unten. Stimmt etwas nicht, sagen Sie es bitte der Sachbearbeitung."
            )
        )
        self.back_button.setText(self.tr("Zurück zur Erfassung"))
        self.confirm_button.setText(self.tr("Ja, alle Angaben sind richtig"))
        self.more_button.setText(self.tr("Weiter lesen ▼"))
        self.gate.setText(
            self.tr("Bitte lesen Sie bis zum Ende. Danach können Sie unten rechts bestätigen.")
        )
        self._render()

    def state(self) -> Params:
        return {"case_id": self.case_id} if self.case_id else {}

    def enter(self, params: Params) -> None:
        case_id = params.get("case_id")
        session = self.kiosk.session
        if not isinstance(case_id, str) or session is None:
            return
        self.case_id = case_id
        self.data = None
        self._render()
        store = session.store
        today = self.kiosk.context.today()
        language = self.kiosk.context.language

        def op() -> ReviewData:
            return load_for_review(store, case_id, today, language)

        self.kiosk.run_in_store(op, self._loaded)

    def leave(self) -> None:
        pass

    def _loaded(self, data: ReviewData) -> None:
        if data.case_id != self.case_id:
            return
        self.data = data
        self._render()
        self.kiosk.refresh_title()

    def _clear(self) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # out of the tree at once: a stale card must not be found (or
                # read by a screen reader) until Qt gets round to deleting it
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def _caption(self, image: ReviewImage) -> str:
        if image.kind == "photo":
            return self.tr("Lichtbild")
        if image.kind == "signature" and image.attachment.startswith("signature-representative"):
            return self.tr("Unterschrift der gesetzlichen Vertretung")
        if image.kind == "signature":
            return self.tr("Unterschrift")
        finger = image.finger
        if finger is None:
            return self.tr("Fingerabdruck")
        name = finger_label(finger, self.kiosk.context.language)
        return self.tr("Fingerabdruck\n%1").replace("%1", name)

    def _placeholder(self, image: ReviewImage) -> str:
        if image.problem == "cloud":
            return self.tr("Das Lichtbild kommt vom Fotostudio (über den Code).")
        if image.problem == "missing":
            return self.tr("Kein Bild gespeichert. Bitte sagen Sie es der Sachbearbeitung.")
        return self.tr(
            "Das Bild ist beschädigt und kann nicht angezeigt werden. "
            "Bitte sagen Sie es der Sachbearbeitung."
        )

    def _images_card(self, images: tuple[ReviewImage, ...]) -> QFrame:
        card = QFrame(self.body)
        card.setObjectName("review_images")
        card.setProperty("role", "card")
        column = QVBoxLayout(card)
        column.setContentsMargins(20, 16, 20, 16)
        column.setSpacing(12)
        heading = QLabel(self.tr("Aufgenommene Bilder"), card)
        heading.setProperty("role", "title")
        column.addWidget(heading)
        row = QHBoxLayout()
        row.setSpacing(24)
        for image in images:
            width, height = THUMBNAIL_BOX.get(image.kind, THUMBNAIL_BOX["photo"])
            pixels = rgb_qimage(image.width, image.height, image.rgb if image.shown else b"")
            tile = Thumbnail(
                self._caption(image),
                pixels,
                self._placeholder(image),
                QSize(width, height),
                card,
            )
            suffix = f"_{image.finger.value}" if image.finger is not None else ""
            if image.attachment.startswith("signature-representative"):
                suffix = "_" + image.attachment.removesuffix(".png").rsplit("-", 1)[-1]
            tile.setObjectName(f"review_image_{image.kind}{suffix}")
            self.thumbnails.append(tile)
            row.addWidget(tile, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        column.addLayout(row)
        return card

    def show_more(self) -> None:
        """Scroll one page further (for touch and mouse users alike)."""
        bar = self.area.verticalScrollBar()
        bar.setValue(bar.value() + bar.pageStep())

    def pages_left(self) -> int:
        """How many "Weiter lesen" presses are left to reach the end."""
        bar = self.area.verticalScrollBar()
        left = bar.maximum() - bar.value()
        return 0 if left <= 0 else -(-left // max(1, bar.pageStep()))

    def read_to_end(self) -> int:
        """Page through to the end as the citizen would; returns the pages turned."""
        # lay out the cards now, so the scroll range is the real one
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        turned = 0
        while self.pages_left():
            self.show_more()
            turned += 1
        self._check_seen()
        return turned

    def _range_changed(self, low: int, high: int) -> None:
        del low, high
        self._check_seen()

    def _content_fits(self) -> bool:
        """The whole review fits the visible area (computed from the layout,
        not from the scroll range, which Qt updates only after a layout pass)."""
        viewport = self.area.viewport()
        width = viewport.width()
        body = self.body
        needed = (
            body.heightForWidth(width) if body.hasHeightForWidth() else body.sizeHint().height()
        )
        return needed <= viewport.height()

    def _check_seen(self) -> None:
        bar = self.area.verticalScrollBar()
        if self.data is not None and (
            (bar.maximum() > 0 and bar.value() >= bar.maximum()) or self._content_fits()
        ):
            self.seen_all = True
        self._update_gate()

    def _update_gate(self) -> None:
        data = self.data
        ready = data is not None and data.case is not None and not data.blocking
        self.confirm_button.setEnabled(ready and self.seen_all)
        waiting = ready and not self.seen_all
        self.gate.setVisible(waiting)
        self.more_button.setVisible(waiting)

    def _render(self) -> None:
        self._clear()
        self.thumbnails = []
        self.seen_all = False
        self.area.verticalScrollBar().setValue(0)
        data = self.data
        if data is None:
            self.notes.setText("")
            self._update_gate()
            return
        for section in data.sections:
            card = QFrame(self.body)
            card.setProperty("role", "card")
            grid = QGridLayout(card)
            grid.setContentsMargins(20, 16, 20, 16)
            grid.setHorizontalSpacing(24)
            heading = QLabel(section.title, card)
            heading.setProperty("role", "title")
            grid.addWidget(heading, 0, 0, 1, 2)
            for row, (label, value) in enumerate(section.rows, start=1):
                name = QLabel(label, card)
                name.setStyleSheet("font-size: 20px;")
                text = QLabel(value, card)
                text.setWordWrap(True)
                text.setStyleSheet("font-size: 26px; font-weight: 600;")
                text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(text, row, 1)
            grid.setColumnStretch(1, 1)
            self.body_layout.addWidget(card)
        if data.images:  # after the applicant's card: what was captured of them
            self.body_layout.insertWidget(
                min(1, len(data.sections)), self._images_card(data.images)
            )
        self.body_layout.addStretch(1)
        # a layout shows the widgets added to a visible parent only on the next
        # turn of the event loop; show the cards now, so the review (and what a
        # screen reader finds) is complete as soon as the data is in
        for index in range(self.body_layout.count()):
            item = self.body_layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.show()
        english = self.kiosk.context.language == "en"
        lines = [
            ("✖ " if f.severity == "error" else "⚠ ") + (f.message_en if english else f.message)
            for f in data.findings
        ]
        self.notes.setText("\n".join(lines))
        self._update_gate()
        # everything may fit: the range is known once the new cards are laid out
        QTimer.singleShot(0, self, self._check_seen)

    def proceed(self) -> None:
        if self.data is None or self.data.blocking or self.data.case is None:
            return
        if not self.seen_all:
            self.show_more()
            return
        self.kiosk.go("completion", {"case_id": self.data.case_id})

    def go_back(self) -> None:
        if self.data is not None and self.case_id is not None:
            wizard = WIZARD_OF.get(self.data.case_type, "dashboard")
            self.kiosk.go(wizard, {"case_id": self.case_id})
        else:
            self.kiosk.go("dashboard")


SCREEN = ReviewScreen
