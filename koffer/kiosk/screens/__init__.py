"""One screen per module.

:data:`SCREEN_MODULES` lists them in the order the window builds them; each
module exposes ``SCREEN``, a :class:`~koffer.kiosk.screens.base.Screen`
subclass with a unique ``name``.
"""

SCREEN_MODULES: tuple[str, ...] = (
    "koffer.kiosk.screens.login",
    "koffer.kiosk.screens.dashboard",
    "koffer.kiosk.screens.anmeldung",
)
