"""Scripted Reisepass and under-16 Personalausweis applications through the real screens.

The companions of :mod:`koffer.kiosk.demo.scripted_ausweis` (same
:class:`~koffer.kiosk.demo.scripted_ausweis.Clerk` and
:class:`~koffer.kiosk.demo.scripted_ausweis.Stage`), counted by
``benchmarks/bench_clerk_effort_reisepass.py``:

- :func:`passport_stages`: an adult's Reisepass — Person und Anschrift →
  Lichtbild → both index fingers → Unterschrift → Reisepass options (the old
  passport presented and entwertet, pickup) → the fee paid in cash → review;
- :func:`representative_stages`: a Personalausweis for a 12-year-old, applied
  for by the mother (joint custody, the father's consent) — the
  representative typed on the person step, the child's and the mother's
  signatures, Gebühr, PIN-Brief, the fee paid in cash → review.

Fingerprint captures are repeated only while the quality is short
(:mod:`koffer.cases.fingerprint_quality`): after each finger, the script
reports one ``capture`` device action per attempt the kiosk really made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from koffer.kiosk.demo.scripted_ausweis import (
    ADDRESS,
    CASH_GIVEN,
    INK_SAMPLES,
    PERSON,
    PIN_LETTER,
    Clerk,
    Stage,
    pad_simulator,
    signature_strokes,
)
from koffer.kiosk.window import MainWindow

#: both index fingers, one capture round per hand
HANDS = 2
#: the mother who applies for her child (PAuswG § 9 Abs. 2)
REPRESENTATIVE: dict[str, str] = {
    "rep_family_name": "Schmidt",
    "rep_given_names": "Erika",
    "rep_birth_date": "07.03.1985",
    "rep_id_serial": "L01X00T47",
}
#: choices of the representative form: key → option code
REPRESENTATIVE_CHOICES: dict[str, str] = {
    "rep_relationship": "mutter",
    "rep_custody": "gemeinsam",
    "rep_id_kind": "PA",
}
CHILD_AGE = 12
CHILD_GIVEN_NAMES = "Mia"


def child_birth_date(today: date) -> str:
    """The birth date of a child ``CHILD_AGE`` years old (a 1 June birthday)."""
    year = today.year - CHILD_AGE - (0 if (today.month, today.day) >= (6, 1) else 1)
    return date(year, 6, 1).strftime("%d.%m.%Y")


class _Script:
    """The stages shared by both applications, bound to one window and clerk."""

    def __init__(self, window: MainWindow, clerk: Clerk) -> None:
        self.window = window
        self.clerk = clerk
        self.pages = window.navigator

    def page(self, name: str) -> Any:
        return self.pages.page(name)

    def on(self, name: str) -> bool:
        state = self.pages.current_state()
        return state is not None and state[0] == name

    def session(self) -> Any:
        return self.page("ausweis_person").session

    def saved(self) -> bool:
        return not self.session().busy

    def start(self, case_type: str) -> Stage:
        def act() -> None:
            self.clerk.next_screen(self.page("dashboard").start_buttons[case_type])

        def ready() -> bool:
            return self.session().case_id is not None and self.on("ausweis_person")

        return Stage(act, ready)

    def type_person(self, values: dict[str, str]) -> None:
        person = self.page("ausweis_person")
        for key, text in values.items():
            self.clerk.type(person.person_form.fields[key].edit, text)
        self.clerk.choose(person.person_form.choices["sex"].combo, 1)
        for key, text in ADDRESS.items():
            self.clerk.type(person.address_form.fields[key].edit, text)

    def type_representative(self) -> None:
        person = self.page("ausweis_person")
        form = person.representative_form
        for key, code in REPRESENTATIVE_CHOICES.items():
            combo = form.choices[key].combo
            self.clerk.choose(combo, combo.findData(code))
        for key, text in REPRESENTATIVE.items():
            self.clerk.type(form.fields[key].edit, text)
        self.clerk.click(person.other_parent, decision=True)

    def next_from(self, name: str) -> Callable[[], None]:
        return lambda: self.clerk.next_screen(self.page(name).next_button)

    def photo_stages(self) -> list[Stage]:
        def photo_preview() -> bool:
            return self.on("ausweis_photo") and self.page("ausweis_photo").preview.frames_shown >= 3

        def capture_photo() -> None:
            self.clerk.click(self.page("ausweis_photo").capture_button)
            self.clerk.device("still")

        return [
            Stage(self.next_from("ausweis_person"), photo_preview, "photo-preview"),
            Stage(capture_photo, lambda: bool(self.session().draft.photo_attachment), "photo"),
            Stage(self.next_from("ausweis_photo"), lambda: self.on("ausweis_fingerprints")),
        ]

    def finger_stages(self) -> list[Stage]:
        """Both index fingers; then one device wait per attempt the kiosk made."""
        captured: list[int] = []

        def fingers() -> list[Any]:
            return list(self.session().draft.fingers)

        def capture() -> None:
            captured.append(len(fingers()))
            self.clerk.click(self.page("ausweis_fingerprints").capture_button)

        def attempts() -> None:
            for _ in fingers()[-1].qualities:
                self.clerk.device("capture")

        stages: list[Stage] = []
        for hand in range(HANDS):
            stages.append(Stage(capture, lambda: len(fingers()) > captured[-1]))
            shot = "fingerprints" if hand == HANDS - 1 else None
            stages.append(Stage(attempts, lambda: True, shot))
        return stages

    def signature_stages(self, screen: str, shot: str) -> list[Stage]:
        """The declaration on the pad, the signature written, confirmed."""

        def pad_ready() -> bool:
            return self.on(screen) and self.page(screen).pad is not None

        def sign() -> None:
            self.clerk.device("declaration")  # the declaration went up to the pad
            pad_simulator(self.window.kiosk).sign(signature_strokes())
            self.clerk.device("signature")

        def confirm() -> None:
            self.clerk.click(self.page(screen).confirm_button)

        return [
            Stage(lambda: None, pad_ready),
            Stage(sign, lambda: self.page(screen).ink.touching_samples >= INK_SAMPLES, shot),
            Stage(confirm, lambda: bool(self.page(screen).confirmed)),
        ]

    def payment_stages(self, last_step: str) -> list[Stage]:
        def payment_ready() -> bool:
            return self.on("ausweis_payment") and self.page("ausweis_payment").known

        def pay() -> None:
            payment = self.page("ausweis_payment")
            self.clerk.type(payment.given.edit, CASH_GIVEN)
            self.clerk.click(payment.book_button)

        def finish() -> None:
            self.clerk.click(self.page("ausweis_payment").next_button)

        def left_payment() -> bool:
            return not self.on("ausweis_payment") and self.pages.current_state() is not None

        return [
            Stage(self.next_from(last_step), payment_ready),
            Stage(pay, lambda: self.page("ausweis_payment").paid is not None, "payment"),
            Stage(finish, left_payment),
        ]


def passport_stages(window: MainWindow, clerk: Clerk) -> list[Stage]:
    """An adult's Reisepass application from the dashboard to the citizen review."""
    script = _Script(window, clerk)

    def options() -> None:
        boxes = script.page("ausweis_passport").boxes
        clerk.think()  # 32 or 48 pages, express, pickup or Direktversand, the fee
        clerk.click(boxes["old_presented"], decision=True)
        clerk.click(boxes["old_invalidated"], decision=True)

    return [
        script.start("reisepass"),
        Stage(lambda: script.type_person(PERSON), script.saved, "person"),
        *script.photo_stages(),
        *script.finger_stages(),
        Stage(script.next_from("ausweis_fingerprints"), lambda: script.on("ausweis_signature")),
        *script.signature_stages("ausweis_signature", "signature"),
        Stage(script.next_from("ausweis_signature"), lambda: script.on("ausweis_passport")),
        Stage(options, script.saved, "passport"),
        *script.payment_stages("ausweis_passport"),
    ]


def representative_stages(window: MainWindow, clerk: Clerk) -> list[Stage]:
    """A Personalausweis for a 12-year-old, applied for by the mother, to the review."""
    script = _Script(window, clerk)
    child = {
        **PERSON,
        "given_names": CHILD_GIVEN_NAMES,
        "birth_date": child_birth_date(window.kiosk.context.today()),
    }

    def person() -> None:
        script.type_person(child)
        script.type_representative()

    def pin_letter() -> None:
        pin = script.page("ausweis_pin")
        clerk.click(pin.handed_out, decision=True)
        clerk.type(pin.number.edit, PIN_LETTER)

    def explain_fee() -> None:
        clerk.think()
        script.next_from("ausweis_fee")()

    rep = "ausweis_representative_signature"
    return [
        script.start("personalausweis"),
        Stage(person, script.saved, "person-representative"),
        *script.photo_stages(),
        *script.finger_stages(),
        Stage(script.next_from("ausweis_fingerprints"), lambda: script.on("ausweis_signature")),
        *script.signature_stages("ausweis_signature", "signature"),
        Stage(script.next_from("ausweis_signature"), lambda: script.on(rep)),
        *script.signature_stages(rep, "signature-representative"),
        Stage(script.next_from(rep), lambda: script.on("ausweis_fee"), "fee"),
        Stage(explain_fee, lambda: script.on("ausweis_pin")),
        Stage(pin_letter, script.saved, "pin"),
        *script.payment_stages("ausweis_pin"),
    ]
