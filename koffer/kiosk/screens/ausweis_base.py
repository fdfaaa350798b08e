"""Common frame of the Personalausweis and Reisepass wizards' step screens.

Each step is its own screen module (``ausweis_person``, ``ausweis_photo`` …);
they share the open application through
:class:`~koffer.kiosk.screens.ausweis_session.AusweisSession`. The frame
(:class:`~koffer.kiosk.screens.wizard_frame.WizardFrame`, shared with the
Meldeschein wizard) shows "Schritt n von N", the save state and Zurück /
Weiter; Enter continues
when the step allows it (:meth:`AusweisStep.ready_to_continue`). The steps
come from the open draft (:meth:`~koffer.casework.ausweis_draft.AusweisDraft.steps`):
the Reisepass path has its options step instead of fee and PIN-Brief, both
end with the payment step (``ausweis_payment``),
and the representatives sign after the applicant when there are any.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from koffer.casework.ausweis_draft import STEPS
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.ausweis_session import AusweisSession
from koffer.kiosk.screens.base import Params
from koffer.kiosk.screens.wizard_frame import WizardFrame
from koffer.kiosk.widgets.scrolling import scrolled


def step_title(step: str) -> str:
    names = {
        "person": QCoreApplication.translate("AusweisSteps", "Person und Anschrift"),
        "photo": QCoreApplication.translate("AusweisSteps", "Lichtbild"),
        "fingerprints": QCoreApplication.translate("AusweisSteps", "Fingerabdrücke"),
        "signature": QCoreApplication.translate("AusweisSteps", "Unterschrift"),
        "fee": QCoreApplication.translate("AusweisSteps", "Gebühr und Zustellung"),
        "pin": QCoreApplication.translate("AusweisSteps", "PIN-Brief"),
        "representative_signature": QCoreApplication.translate(
            "AusweisSteps", "Unterschrift der gesetzlichen Vertretung"
        ),
        "passport": QCoreApplication.translate("AusweisSteps", "Reisepass: Optionen und Gebühr"),
        "payment": QCoreApplication.translate("AusweisSteps", "Bezahlung"),
    }
    return names.get(step, step)


def screen_name(step: str) -> str:
    return f"ausweis_{step}"


class AusweisStep(WizardFrame):
    """A step of the wizard; subclasses fill :attr:`body` and set :attr:`step`.

    :attr:`body` scrolls when it does not fit; the step's own buttons go into
    :attr:`step_actions`, which stays in view with the navigation. "Weiter" is the
    screen's one primary button; a step action has the role ``action``.
    """

    step: ClassVar[str] = ""
    #: screen shown after the last step when it is not installed
    FINISH_FALLBACK: ClassVar[str] = "dashboard"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.session = AusweisSession.of(kiosk)
        self.body = QWidget(self)
        self.content.addWidget(scrolled(self.body, self), 1)
        self.session.save_state.connect(self.show_save_state)
        self.session.loaded.connect(self._loaded)
        self._active = False

    # -- texts ---------------------------------------------------------------

    def title(self) -> str:
        number = self.session.case_number
        if self.session.draft.is_passport:
            if number:
                return self.tr("Reisepass %1").replace("%1", number)
            return self.tr("Reisepass")
        if number:
            return self.tr("Personalausweis %1").replace("%1", number)
        return self.tr("Personalausweis")

    def steps(self) -> tuple[str, ...]:
        return self.session.draft.steps()

    def retranslate(self) -> None:
        self.show_progress()
        self.show_navigation()

    def show_progress(self) -> None:
        """ "Schritt n von N" of this draft's path."""
        steps = self.steps()
        index = steps.index(self.step) if self.step in steps else 0
        self.show_step(index, len(steps), step_title(self.step))

    # -- life cycle ------------------------------------------------------------

    def state(self) -> Params:
        case_id = self.session.case_id
        return {"case_id": case_id} if case_id else {}

    def enter(self, params: Params) -> None:
        self._active = True
        case_id = params.get("case_id")
        if isinstance(case_id, str):
            # opened from the dashboard: a saved draft continues at its own step
            resuming = case_id != self.session.case_id and self.step == STEPS[0]
            self.session.open(case_id, self._resume if resuming else self._ready)
        elif self.session.case_id is not None:
            self._ready()

    def _resume(self) -> None:
        saved = self.session.draft.step
        if self._active and saved != self.step and saved in self.steps():
            self.go_to_step(saved)
        else:
            self._ready()

    def _ready(self) -> None:
        if not self._active:
            return
        draft = self.session.draft
        if draft.step != self.step:
            draft.step = self.step
            # reaching a step is progress, not typing: save it now, so that a
            # crash right after "Weiter" resumes here
            self.session.flush()
        self.kiosk.refresh_title()
        self.show_progress()
        self.show_draft()
        self.entered()
        focus = self.first_focus()
        if focus is not None and self.isVisible():
            focus.setFocus()

    def _loaded(self) -> None:
        if self._active:
            self.show_draft()

    def leave(self) -> None:
        self._active = False
        self.left()
        self.session.flush()

    # -- for subclasses --------------------------------------------------------

    def show_draft(self) -> None:
        """Show the draft's state (after loading and after changes)."""

    def entered(self) -> None:
        """The step became visible with its draft loaded (start devices here)."""

    def left(self) -> None:
        """The step is being left (stop devices here)."""

    def ready_to_continue(self) -> bool:
        """Check the step; show what is missing and return False to stay."""
        return True

    # -- navigation ------------------------------------------------------------

    def _neighbour(self, offset: int) -> str | None:
        steps = self.steps()
        if self.step not in steps:
            return None
        index = steps.index(self.step) + offset
        return steps[index] if 0 <= index < len(steps) else None

    def go_to_step(self, step: str) -> None:
        case_id = self.session.case_id
        self.kiosk.go(screen_name(step), {"case_id": case_id} if case_id else {})

    def proceed(self) -> None:
        if self.session.case_id is None or not self.ready_to_continue():
            return
        following = self._neighbour(1)
        if following is not None:
            self.go_to_step(following)
        else:
            self.finish()

    def finish(self) -> None:
        """After the last step (overridden by the last step)."""
        self.kiosk.go(self.FINISH_FALLBACK)

    def go_back(self) -> None:
        previous = self._neighbour(-1)
        if previous is not None and self.session.case_id is not None:
            self.go_to_step(previous)
        else:
            self.session.flush()
            self.kiosk.go("dashboard")
