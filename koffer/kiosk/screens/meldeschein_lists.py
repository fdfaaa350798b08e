"""The two list pages of the Meldeschein wizard: the persons (each with one ID
document) and the other dwellings.

Each page edits the wizard's draft (read through ``draft()``, so a resumed
draft is picked up) and reports every change through ``touched()``, which
saves it. The page keeps which entry is selected; the entry list sits left of
the entry's form (:class:`ListSide`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.registration import MeldeDraft
from koffer.kiosk.forms.address_form import AddressForm
from koffer.kiosk.forms.base import Form
from koffer.kiosk.forms.id_document_form import IdDocumentForm
from koffer.kiosk.forms.person_form import PersonForm
from koffer.kiosk.screens.meldeschein_parts import heading, hint
from koffer.kiosk.widgets.scrolling import scrolled

DraftOf = Callable[[], MeldeDraft]
Touched = Callable[[], None]


class ListSide(QWidget):
    """A list of entries with "+ … hinzufügen" and "… entfernen" below it."""

    def __init__(self, screen: str, entry: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = QListWidget(self)
        self.entries.setObjectName(f"{screen}_{entry}s")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName(f"{screen}_add_{entry}")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName(f"{screen}_remove_{entry}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.add_button)
        layout.addWidget(self.remove_button)
        self.setMaximumWidth(300)

    def show_entries(self, labels: Sequence[str], current: int, *, can_remove: bool) -> None:
        """Replace the entries without emitting a selection change."""
        self.entries.blockSignals(True)
        self.entries.clear()
        for index, label in enumerate(labels):
            self.entries.addItem(f"{index + 1}. {label}")
        self.entries.setCurrentRow(current)
        self.entries.blockSignals(False)
        self.remove_button.setEnabled(can_remove)

    def rename(self, index: int, label: str) -> None:
        item = self.entries.item(index)
        if item is not None:
            item.setText(f"{index + 1}. {label}")


class PersonsPage(QWidget):
    """The persons of the case; the selected one in the person and document forms."""

    def __init__(
        self,
        screen: str,
        language: Callable[[], str],
        today: Callable[[], date],
        draft: DraftOf,
        touched: Touched,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft = draft
        self._touched = touched
        self._loading = False
        self.index = 0
        self.side = ListSide(screen, "person", self)
        self.side.entries.currentRowChanged.connect(self.select)
        self.side.add_button.clicked.connect(self.add)
        self.side.remove_button.clicked.connect(self.remove)
        self.heading = heading(self)
        box = QWidget(self)
        self.form = PersonForm(language, today, box)
        self.document_heading = heading(box, "subtitle")
        self.document_form = IdDocumentForm(language, today, box)
        self.document_form.changed.connect(self._document_changed)
        #: every form that edits the selected person's own fields
        self.person_forms: list[Form] = []
        self.add_person_form(self.form)
        self.column = QVBoxLayout(box)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.form)
        self.column.addSpacing(12)
        self.column.addWidget(self.document_heading)
        self.column.addWidget(self.document_form)
        main = QVBoxLayout()
        main.addWidget(self.heading)
        main.addWidget(scrolled(box, self), 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addWidget(self.side)
        layout.addLayout(main, 1)

    def add_person_form(self, form: Form) -> None:
        """``form`` edits fields of the selected person too (the objections)."""
        self.person_forms.append(form)
        form.changed.connect(self._person_changed)

    def retranslate(self) -> None:
        self.side.add_button.setText(self.tr("+ Person hinzufügen"))
        self.side.remove_button.setText(self.tr("Person entfernen"))
        self.document_heading.setText(self.tr("Ausweisdokument dieser Person"))
        self.refresh()

    def label(self, index: int) -> str:
        return self._draft().person_label(index) or self.tr("(noch ohne Namen)")

    def refresh(self) -> None:
        count = len(self._draft().persons)
        self.side.show_entries(
            [self.label(i) for i in range(count)], self.index, can_remove=count > 1
        )
        self.heading.setText(
            self.tr("Person %1 von %2").replace("%1", str(self.index + 1)).replace("%2", str(count))
        )

    def load(self, index: int = 0) -> None:
        """Show person ``index`` in the forms."""
        draft = self._draft()
        self.index = max(0, min(index, len(draft.persons) - 1))
        self._loading = True
        for form in self.person_forms:
            form.load(draft.persons[self.index])
        documents = draft.documents
        self.document_form.load(documents[self.index] if self.index < len(documents) else {})
        self._loading = False

    def _person_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self._draft().set_person_field(self.index, key, value)
        if key in ("family_name", "given_names"):
            self.side.rename(self.index, self.label(self.index))
        self._touched()

    def _document_changed(self, key: str, value: str) -> None:
        if not self._loading:
            self._draft().set_document_field(self.index, key, value)
            self._touched()

    def select(self, row: int) -> None:
        if row < 0 or row == self.index or row >= len(self._draft().persons):
            return
        self.load(row)
        self.refresh()

    def add(self) -> None:
        if not (self.form.validate_all() and self.document_form.validate_all()):
            return
        self.load(self._draft().add_person())
        self.refresh()
        self._touched()
        first = self.form.first_input()
        if first is not None:
            first.setFocus()

    def remove(self) -> None:
        self._draft().remove_person(self.index)
        self.load(self.index)
        self.refresh()
        self._touched()

    def validate_all(self) -> bool:
        """Every person and document valid; stops at the first person with a problem."""
        for index in range(len(self._draft().persons)):
            if index != self.index:
                self.side.entries.setCurrentRow(index)
            if not (self.form.validate_all() and self.document_form.validate_all()):
                return False
        return True


class OthersPage(QWidget):
    """The other dwellings (Beiblatt); the selected one in an address form."""

    def __init__(
        self,
        screen: str,
        language: Callable[[], str],
        today: Callable[[], date],
        draft: DraftOf,
        touched: Touched,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft = draft
        self._touched = touched
        self._loading = False
        self.index = 0
        self.heading = heading(self)
        self.hint = hint(self)
        self.side = ListSide(screen, "other", self)
        self.side.entries.currentRowChanged.connect(self.select)
        self.side.add_button.clicked.connect(self.add)
        self.side.remove_button.clicked.connect(self.remove)
        self.form = AddressForm(language, today, statuses=("haupt", "neben"), parent=self)
        self.form.changed.connect(self._changed)
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addWidget(self.side)
        body.addWidget(scrolled(self.form, self), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(body, 1)

    def retranslate(self, title: str) -> None:
        self.heading.setText(title)
        self.hint.setText(
            self.tr(
                "Bitte tragen Sie alle weiteren Wohnungen ein. Genau eine Wohnung ist die "
                "Hauptwohnung (die vorwiegend benutzte), alle anderen sind Nebenwohnungen."
            )
        )
        self.side.add_button.setText(self.tr("+ Wohnung hinzufügen"))
        self.side.remove_button.setText(self.tr("Wohnung entfernen"))
        self.refresh()

    def refresh(self) -> None:
        others = self._draft().others
        labels = [
            " ".join(part for part in (o.get("street", ""), o.get("city", "")) if part)
            or self.tr("(neue Wohnung)")
            for o in others
        ]
        self.side.show_entries(labels, self.index, can_remove=bool(others))
        self.form.setEnabled(bool(others))

    def load(self, index: int = 0) -> None:
        """Show dwelling ``index`` (an empty form when there is none)."""
        others = self._draft().others
        self.index = max(0, min(index, len(others) - 1))
        self._loading = True
        self.form.load(others[self.index] if others else {})
        self._loading = False

    def _changed(self, key: str, value: str) -> None:
        draft = self._draft()
        if self._loading or not draft.others:
            return
        draft.set_other_field(self.index, key, value)
        if key in ("street", "city"):
            self.refresh()
        self._touched()

    def select(self, row: int) -> None:
        if 0 <= row < len(self._draft().others) and row != self.index:
            self.load(row)

    def add(self) -> None:
        draft = self._draft()
        if draft.others and not self.form.validate_all():
            return
        self.load(draft.add_other())
        self.refresh()
        self._touched()
        first = self.form.first_input()
        if first is not None:
            first.setFocus()

    def remove(self) -> None:
        self._draft().remove_other(self.index)
        self.load(self.index)
        self.refresh()
        self._touched()

    def validate_all(self) -> bool:
        """At least one dwelling, and the shown one valid (adds the first one)."""
        if not self._draft().others:
            self.add()
            return False
        return self.form.validate_all()
