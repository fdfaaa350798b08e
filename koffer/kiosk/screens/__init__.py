"""One screen per module.

:data:`SCREEN_MODULES` lists them in the order the window builds them; each
module exposes ``SCREEN``, a :class:`~koffer.kiosk.screens.base.Screen`
subclass with a unique ``name``.
"""

SCREEN_MODULES: tuple[str, ...] = (
    "koffer.kiosk.screens.login",
    "koffer.kiosk.screens.dashboard",
    "koffer.kiosk.screens.anmeldung",
    "koffer.kiosk.screens.abmeldung",
    "koffer.kiosk.screens.hauptwohnung",
    "koffer.kiosk.screens.ausweis_person",
    "koffer.kiosk.screens.ausweis_photo",
    "koffer.kiosk.screens.ausweis_fingerprints",
    "koffer.kiosk.screens.ausweis_signature",
    "koffer.kiosk.screens.ausweis_fee",
    "koffer.kiosk.screens.ausweis_pin",
    "koffer.kiosk.screens.review",
    "koffer.kiosk.screens.completion",
    "koffer.kiosk.screens.outbox",
    "koffer.kiosk.screens.technician",
    "koffer.kiosk.screens.admin",
)
