"""The ``[kiosk]`` configuration table as a typed, frozen settings object."""

from __future__ import annotations

from dataclasses import dataclass

from koffer.config import Config

LANGUAGES: tuple[str, ...] = ("de", "en")


@dataclass(frozen=True)
class KioskSettings:
    """Options of the kiosk UI.

    ``idle_lock_seconds`` locks the screen after that many seconds without
    input (0 switches the lock off), ``high_contrast`` starts with the
    high-contrast theme, ``language`` is the UI language ("de" or "en").
    """

    idle_lock_seconds: int = 300
    high_contrast: bool = False
    language: str = "de"
    #: how often the device status and connectivity are polled (seconds)
    poll_seconds: float = 2.0

    @classmethod
    def from_config(cls, config: Config) -> KioskSettings:
        reader = config.reader("kiosk")
        settings = cls(
            idle_lock_seconds=reader.integer(
                "idle_lock_seconds", cls.idle_lock_seconds, minimum=0, maximum=86_400
            ),
            high_contrast=reader.boolean("high_contrast", cls.high_contrast),
            language=reader.choice("language", LANGUAGES, cls.language),
            poll_seconds=reader.number("poll_seconds", cls.poll_seconds, minimum=0.2, maximum=60),
        )
        reader.finish()
        return settings
