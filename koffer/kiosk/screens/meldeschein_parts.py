"""Parts of the Meldeschein wizard's pages that have no case logic.

- :class:`CheckPage`: the check step — the findings as a list the clerk taps
  to jump to the field, a summary line and the signer choice;
- :func:`titled_page`: a page with a title, optional hints and a body.

The wizard (:mod:`koffer.kiosk.screens.meldeschein`) fills them from its
draft; they hold no draft themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from koffer.cases import Finding
from koffer.kiosk.forms.choice_form import ChoiceForm


def heading(parent: QWidget, role: str = "title") -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", role)
    return label


def hint(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


def titled_page(
    parent: QWidget, title: QLabel, above: Sequence[QWidget], body: QWidget | QLayout
) -> QWidget:
    """``title``, then ``above`` (hints, a choice), then ``body`` taking the height."""
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in (title, *above):
        widget.setParent(page)
        layout.addWidget(widget)
    if isinstance(body, QLayout):
        layout.addLayout(body, 1)
    else:
        body.setParent(page)
        layout.addWidget(body, 1)
    return page


class CheckPage(QWidget):
    """The check step: summary, the findings, the signer."""

    #: the clerk chose a finding; carries the field path it names
    finding_chosen = Signal(str)

    def __init__(self, object_prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading(self)
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{object_prefix}_check_summary")
        self.summary.setWordWrap(True)
        self.finding_list = QListWidget(self)
        self.finding_list.setObjectName(f"{object_prefix}_findings")
        self.finding_list.setWordWrap(True)
        self.finding_list.itemActivated.connect(self._chosen)
        self.finding_list.itemClicked.connect(self._chosen)
        self.signer_form = ChoiceForm("signer", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.finding_list, 1)
        layout.addWidget(self.signer_form)

    def _chosen(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(path, str):
            self.finding_chosen.emit(path)

    def retranslate(self, title: str) -> None:
        self.heading.setText(title)
        self.signer_form.choices["signer"].label.setText(self.tr("Den Meldeschein unterschreibt"))

    def show_signers(self, options: list[tuple[str, str]], value: str) -> None:
        signer = self.signer_form.choices["signer"]
        signer.set_options(options)
        signer.set_value(value)

    def show_findings(
        self, findings: Sequence[Finding], texts: Sequence[str], *, checked: bool, error_colour: str
    ) -> None:
        """List ``findings`` (shown as ``texts``) and sum them up once checked."""
        self.finding_list.clear()
        for finding, text in zip(findings, texts, strict=True):
            item = QListWidgetItem(text, self.finding_list)
            item.setData(Qt.ItemDataRole.UserRole, finding.field)
            if finding.severity == "error":
                item.setForeground(QColor(error_colour))
        errors = sum(1 for f in findings if f.severity == "error")
        if not checked:
            self.summary.setText("")
        elif errors:
            self.summary.setText(
                self.tr(
                    "Es fehlen noch Angaben oder sind fehlerhaft (%1). Tippen Sie auf einen "
                    "Eintrag, um ihn zu korrigieren."
                ).replace("%1", str(errors))
            )
        elif findings:
            self.summary.setText(
                self.tr(
                    "Alle Pflichtangaben sind vollständig. Bitte beachten Sie die Hinweise; "
                    "sie verhindern die Meldung nicht."
                )
            )
        else:
            self.summary.setText(self.tr("Alle Angaben sind vollständig. Weiter zur Durchsicht."))
