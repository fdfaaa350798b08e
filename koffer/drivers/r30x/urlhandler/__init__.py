"""pyserial URL handlers of the R30x simulator.

:func:`install` adds this package to ``serial.protocol_handler_packages`` so
that ``serial.serial_for_url("sim://r30x?...")`` reaches
:mod:`.protocol_sim`. It is idempotent.
"""

from __future__ import annotations

import serial

PACKAGE = __name__


def install() -> None:
    if PACKAGE not in serial.protocol_handler_packages:
        serial.protocol_handler_packages.append(PACKAGE)
