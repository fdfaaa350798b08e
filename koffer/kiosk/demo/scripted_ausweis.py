"""A scripted Personalausweis application, driven through the real screens.

Shared by the demo tour (``koffer demo --screenshots``) and the clerk-effort
benchmark: :func:`ausweis_stages` returns the application as a list of
:class:`Stage` objects — each acts like the clerk, then names the condition
that tells the caller the UI has caught up, and optionally a screenshot name.
The caller decides how to wait (a timer in the tour, a polling loop in the
benchmark). Everything the clerk does goes through a :class:`Clerk`, so the
benchmark can count keystrokes, pointer actions and device waits by
overriding its hooks.

The application: Person und Anschrift → Lichtbild (live preview, still) →
Fingerabdrücke (one finger exempted as injured, its substitute captured) →
Unterschrift on the simulated pad → Gebühr → PIN-Brief handed out → the fee
paid (by card on the simulated Kartenterminal when there is one, else in cash)
→ the citizen review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget

from koffer.devices.interfaces import DeviceKind
from koffer.drivers.wacom_stu.simulator import PenPoint, StuSimulator, line_stroke
from koffer.kiosk.controller import KioskController
from koffer.kiosk.window import MainWindow

PERSON: dict[str, str] = {
    "family_name": "Schmidt",
    "given_names": "Erika",
    "birth_date": "07.03.1985",
    "birth_place": "Köln",
    "nationalities": "deutsch",
}
ADDRESS: dict[str, str] = {
    "street": "Lindenweg",
    "house_number": "5",
    "postcode": "53111",
    "city": "Bonn",
}
PIN_LETTER = "PB12345678"
#: what the citizen hands over when the fee is paid in cash
CASH_GIVEN = "100,00"
#: the injured finger's substitute (left thumb), then the right index finger
CAPTURED_FINGERS: tuple[str, ...] = ("6", "2")
#: pen samples the ink view must show before the signature counts as written
INK_SAMPLES = 120


def signature_strokes() -> list[list[PenPoint]]:
    """A plausible scripted signature across the STU-430 screen (320 × 200)."""
    return [
        line_stroke((40, 120), (90, 60), 30),
        line_stroke((90, 60), (130, 125), 30),
        line_stroke((140, 110), (200, 80), 30),
        line_stroke((200, 80), (270, 120), 30),
    ]


class Clerk:
    """Acts on widgets like a clerk; the hooks (``on_*``) do nothing here."""

    def type(self, widget: QWidget, text: str) -> None:
        """Type ``text`` key by key into ``widget`` (then Tab/Enter, counted only)."""
        widget.setFocus()
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)
        self.on_typed(len(text))

    def click(self, button: QAbstractButton, *, decision: bool = False) -> None:
        button.click()
        self.on_pointer(1, decision)

    def choose(self, combo: QComboBox, index: int, *, decision: bool = True) -> None:
        """Open ``combo`` and pick entry ``index``."""
        combo.setCurrentIndex(index)
        self.on_pointer(2, decision)

    def next_screen(self, button: QAbstractButton) -> None:
        """Click Weiter; the next screen is one more decision."""
        self.click(button)
        self.on_screen()

    def device(self, action: str) -> None:
        """A device action: ``still``, ``capture``, ``declaration``, ``signature``, ``card``."""
        self.on_device(action)

    def think(self) -> None:
        """A decision without input (explaining the fee, asking about delivery)."""
        self.on_decision()

    # -- hooks -----------------------------------------------------------------

    def on_typed(self, characters: int) -> None:
        pass

    def on_pointer(self, count: int, decision: bool) -> None:
        pass

    def on_screen(self) -> None:
        pass

    def on_device(self, action: str) -> None:
        pass

    def on_decision(self) -> None:
        pass


@dataclass(frozen=True)
class Stage:
    """One clerk action; ``ready`` tells when the UI has caught up.

    ``shot`` names the screenshot to take once ready (``None``: none).
    """

    act: Callable[[], None]
    ready: Callable[[], bool]
    shot: str | None = None


def pad_simulator(kiosk: KioskController) -> StuSimulator:
    """The simulated STU pad behind the kiosk's device hub (demo and benchmark)."""
    device = getattr(kiosk.context.devices, "device", None)
    simulator = getattr(device(DeviceKind.SIGNATURE_PAD), "simulator", None) if device else None
    if not isinstance(simulator, StuSimulator):
        raise RuntimeError("the scripted application needs the simulated signature pad")
    return simulator


def ausweis_stages(window: MainWindow, clerk: Clerk) -> list[Stage]:
    """The application from the dashboard to the citizen review."""
    kiosk = window.kiosk
    pages = window.navigator

    def page(name: str) -> Any:
        return pages.page(name)

    def on(name: str) -> bool:
        state = pages.current_state()
        return state is not None and state[0] == name

    def saved() -> bool:
        return not page("ausweis_person").session.busy

    def start() -> None:
        clerk.next_screen(page("dashboard").start_buttons["personalausweis"])

    def type_person() -> None:
        person = page("ausweis_person")
        for key, text in PERSON.items():
            clerk.type(person.person_form.fields[key].edit, text)
        clerk.choose(person.person_form.choices["sex"].combo, 1)
        for key, text in ADDRESS.items():
            clerk.type(person.address_form.fields[key].edit, text)

    def next_from(name: str) -> Callable[[], None]:
        return lambda: clerk.next_screen(page(name).next_button)

    def capture_photo() -> None:
        clerk.click(page("ausweis_photo").capture_button)
        clerk.device("still")

    def exempt_finger() -> None:
        fingers = page("ausweis_fingerprints")
        clerk.choose(fingers.reason_combo, 0, decision=False)  # injured
        clerk.click(fingers.skip_button, decision=True)

    def capture_finger() -> None:
        clerk.click(page("ausweis_fingerprints").capture_button)
        for _ in range(3):
            clerk.device("capture")

    def has_finger(code: str) -> Callable[[], bool]:
        return lambda: any(f.finger == code for f in session().draft.fingers)

    def sign() -> None:
        clerk.device("declaration")  # the declaration went up to the pad
        pad_simulator(kiosk).sign(signature_strokes())
        clerk.device("signature")

    def confirm_signature() -> None:
        clerk.click(page("ausweis_signature").confirm_button)

    def explain_fee() -> None:
        clerk.think()
        next_from("ausweis_fee")()

    def pin_letter() -> None:
        pin = page("ausweis_pin")
        clerk.click(pin.handed_out, decision=True)
        clerk.type(pin.number.edit, PIN_LETTER)

    def check() -> None:
        clerk.next_screen(page("ausweis_pin").next_button)

    def payment_ready() -> bool:
        return on("ausweis_payment") and page("ausweis_payment").known

    def pay() -> None:
        payment = page("ausweis_payment")
        if payment.methods["card"].isEnabled():
            clerk.click(payment.methods["card"], decision=True)
            clerk.click(payment.book_button)
            clerk.device("card")
        else:
            clerk.type(payment.given.edit, CASH_GIVEN)
            clerk.click(payment.book_button)

    def finish() -> None:
        clerk.click(page("ausweis_payment").next_button)

    def person_ready() -> bool:
        screen = page("ausweis_person")
        return screen.session.case_id is not None and on("ausweis_person")

    def pad_ready() -> bool:
        return on("ausweis_signature") and page("ausweis_signature").pad is not None

    def photo_preview() -> bool:
        return on("ausweis_photo") and page("ausweis_photo").preview.frames_shown >= 3

    def session() -> Any:
        return page("ausweis_person").session

    return [
        Stage(start, person_ready),
        Stage(type_person, saved, "person"),
        Stage(next_from("ausweis_person"), photo_preview, "photo-preview"),
        Stage(capture_photo, lambda: bool(session().draft.photo_attachment), "photo"),
        Stage(next_from("ausweis_photo"), lambda: on("ausweis_fingerprints")),
        Stage(exempt_finger, lambda: not session().busy, "fingerprints-exemption"),
        Stage(capture_finger, has_finger(CAPTURED_FINGERS[0])),
        Stage(capture_finger, has_finger(CAPTURED_FINGERS[1]), "fingerprints"),
        Stage(next_from("ausweis_fingerprints"), pad_ready),
        Stage(
            sign,
            lambda: page("ausweis_signature").ink.touching_samples >= INK_SAMPLES,
            "signature",
        ),
        Stage(confirm_signature, lambda: bool(session().draft.signature_attachments)),
        Stage(next_from("ausweis_signature"), lambda: on("ausweis_fee"), "fee"),
        Stage(explain_fee, lambda: on("ausweis_pin")),
        Stage(pin_letter, saved, "pin"),
        Stage(check, payment_ready),
        Stage(pay, lambda: page("ausweis_payment").paid is not None, "payment"),
        Stage(finish, lambda: not on("ausweis_payment") and pages.current_state() is not None),
    ]
