"""One screen per module, loaded when first needed.

:data:`SCREENS` lists them in the order the window builds them: the screen's
name and a loader that imports its module (plain imports, so that the kiosk
starts without loading them all) and returns its ``SCREEN``, a
:class:`~koffer.kiosk.screens.base.Screen` subclass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from koffer.kiosk.screens.base import Screen


def _login() -> type[Screen]:
    from koffer.kiosk.screens import login

    return login.SCREEN


def _dashboard() -> type[Screen]:
    from koffer.kiosk.screens import dashboard

    return dashboard.SCREEN


def _anmeldung() -> type[Screen]:
    from koffer.kiosk.screens import anmeldung

    return anmeldung.SCREEN


def _abmeldung() -> type[Screen]:
    from koffer.kiosk.screens import abmeldung

    return abmeldung.SCREEN


def _hauptwohnung() -> type[Screen]:
    from koffer.kiosk.screens import hauptwohnung

    return hauptwohnung.SCREEN


def _ausweis_person() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_person

    return ausweis_person.SCREEN


def _ausweis_photo() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_photo

    return ausweis_photo.SCREEN


def _ausweis_fingerprints() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_fingerprints

    return ausweis_fingerprints.SCREEN


def _ausweis_signature() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_signature

    return ausweis_signature.SCREEN


def _ausweis_fee() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_fee

    return ausweis_fee.SCREEN


def _ausweis_pin() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_pin

    return ausweis_pin.SCREEN


def _ausweis_representative_signature() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_representative_signature

    return ausweis_representative_signature.SCREEN


def _ausweis_passport() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_passport

    return ausweis_passport.SCREEN


def _ausweis_payment() -> type[Screen]:
    from koffer.kiosk.screens import ausweis_payment

    return ausweis_payment.SCREEN


def _review() -> type[Screen]:
    from koffer.kiosk.screens import review

    return review.SCREEN


def _completion() -> type[Screen]:
    from koffer.kiosk.screens import completion

    return completion.SCREEN


def _outbox() -> type[Screen]:
    from koffer.kiosk.screens import outbox

    return outbox.SCREEN


def _technician() -> type[Screen]:
    from koffer.kiosk.screens import technician

    return technician.SCREEN


def _admin() -> type[Screen]:
    from koffer.kiosk.screens import admin

    return admin.SCREEN


def _kassenabschluss() -> type[Screen]:
    from koffer.kiosk.screens import kassenabschluss

    return kassenabschluss.SCREEN


SCREENS: tuple[tuple[str, Callable[[], type[Screen]]], ...] = (
    ("login", _login),
    ("dashboard", _dashboard),
    ("anmeldung", _anmeldung),
    ("abmeldung", _abmeldung),
    ("hauptwohnung", _hauptwohnung),
    ("ausweis_person", _ausweis_person),
    ("ausweis_photo", _ausweis_photo),
    ("ausweis_fingerprints", _ausweis_fingerprints),
    ("ausweis_signature", _ausweis_signature),
    ("ausweis_fee", _ausweis_fee),
    ("ausweis_pin", _ausweis_pin),
    ("ausweis_representative_signature", _ausweis_representative_signature),
    ("ausweis_passport", _ausweis_passport),
    ("ausweis_payment", _ausweis_payment),
    ("review", _review),
    ("completion", _completion),
    ("outbox", _outbox),
    ("technician", _technician),
    ("admin", _admin),
    ("kassenabschluss", _kassenabschluss),
)
