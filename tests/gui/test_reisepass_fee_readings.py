"""A configured reading of PassV § 27 Abs. 2 changes the Reisepass fee shown and recorded."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from koffer.cases import PassportApplication, RuleSettings, case_from_dict
from tests.gui.ausweis_helpers import Kit, current, fill_person, go_next, signature_strokes
from tests.gui.conftest import MakeKiosk, login, settle, type_text


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


def _choose(form: Any, key: str, code: str) -> None:
    combo = form.choices[key].combo
    combo.setCurrentIndex(combo.findData(code))


def _to_the_options(qtbot: QtBot, window: Any, kit: Kit) -> Any:
    """A 5-year-old (no fingerprints, no signature), the mother applies and signs."""
    window.navigator.page("dashboard").start_buttons["reisepass"].click()
    person = window.navigator.page("ausweis_person")
    qtbot.waitUntil(lambda: person.session.case_id is not None, timeout=10_000)
    fill_person(person, birth_date="01.06.2020")
    form = person.representative_form
    _choose(form, "rep_relationship", "mutter")
    _choose(form, "rep_custody", "allein")
    type_text(form.fields["rep_family_name"].edit, "Schmidt")
    type_text(form.fields["rep_given_names"].edit, "Maria")
    type_text(form.fields["rep_birth_date"].edit, "12.04.1980")
    _choose(form, "rep_id_kind", "PA")
    type_text(form.fields["rep_id_serial"].edit, "L01X00T47")
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    rep_sign = go_next(qtbot, window, signature, "ausweis_representative_signature")
    qtbot.waitUntil(lambda: rep_sign.pad is not None, timeout=5_000)
    duration = kit.pad.sign(signature_strokes())
    qtbot.waitUntil(
        lambda: rep_sign.ink.touching_samples >= 120, timeout=int(duration * 1000) + 5_000
    )
    rep_sign.confirm_button.click()
    qtbot.waitUntil(lambda: rep_sign.confirmed, timeout=5_000)
    return go_next(qtbot, window, rep_sign, "ausweis_passport")


def test_doubling_the_48_pages_is_shown_and_recorded(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    """GIVEN ``[rules] passport_double_48_pages = true`` WHEN a child's passport with
    48 pages is applied for at a non-competent authority THEN the options step
    shows the 48 pages doubled (119,00 instead of 97,00 EUR), the payment step
    asks for 119,00 EUR and the application records that fee and its reading."""
    kiosk, window = make_kiosk(devices=kit.hub)
    kiosk.context.rules = RuleSettings(passport_double_48_pages=True)
    login(qtbot, window)
    options = _to_the_options(qtbot, window, kit)
    options.boxes["pages_48"].click()
    options.boxes["non_competent"].click()
    # under 24: 37.50 doubled, 48 pages 22.00 doubled (no authority photo: provider code)
    assert options.fee_rows[-1][1] == "119,00 EUR"
    assert ("Verdoppelung: 48 Seiten statt 32", "22,00 EUR") in options.fee_rows
    kiosk.context.rules = RuleSettings()  # the default reading, for comparison
    options.show_draft()
    assert options.fee_rows[-1][1] == "97,00 EUR"
    kiosk.context.rules = RuleSettings(passport_double_48_pages=True)
    options.show_draft()

    options.next_button.click()
    qtbot.waitUntil(lambda: current(window) == "ausweis_payment", timeout=10_000)
    payment = window.navigator.page("ausweis_payment")
    qtbot.waitUntil(lambda: payment.known, timeout=10_000)
    assert payment.fee_label.text() == "119,00 EUR"
    application = options.session.draft.application
    assert application is not None
    app = case_from_dict(application)
    assert isinstance(app, PassportApplication)
    assert app.fee_amount == Decimal("119.00") and app.fee_rules.double_48_pages
    settle(qtbot, kiosk)
