"""The application context: everything a screen may use, injected (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from koffer.cases.settings import RuleSettings
from koffer.config import Config
from koffer.kiosk.settings import KioskSettings

if TYPE_CHECKING:
    from koffer.casework.case_store import StoreGateway
    from koffer.kiosk.device_status import DeviceStatusSource


@dataclass
class KioskContext:
    """Configuration and services of one kiosk instance.

    ``store`` is the locked store (opened off the GUI thread), ``devices`` the
    device status source, ``connectivity`` a blocking check whether the back
    end is reachable (``None`` until transmission exists). ``language`` and
    ``high_contrast`` are the current UI choices. ``rules`` is the ``[rules]``
    table (:class:`~koffer.cases.settings.RuleSettings`) the wizards apply.
    """

    config: Config
    data_dir: Path
    settings: KioskSettings
    store: StoreGateway
    devices: DeviceStatusSource
    language: str = "de"
    high_contrast: bool = False
    mode: str = "kiosk"
    connectivity: Callable[[], bool | None] | None = None
    today: Callable[[], date] = field(default=date.today)
    rules: RuleSettings = field(default_factory=RuleSettings)

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"
