"""Municipality settings for the documents (table ``[municipality]``).

Example::

    [municipality]
    name = "Stadt Musterstadt"
    authority = "Bürgeramt – Meldebehörde"
    address = "Rathausplatz 1; 12345 Musterstadt"   # lines: ";" or newlines
    phone = "0123 456-0"
    email = "buergeramt@musterstadt.example"
    logo = "/etc/koffer/logo.png"   # optional PNG

The logo may also be given as bytes when the settings are built in code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from koffer.config import Config
from koffer.errors import ConfigError

DEFAULT_NAME = "Gemeinde (nicht konfiguriert)"


@dataclass(frozen=True)
class MunicipalitySettings:
    """Name, address and logo of the municipality that issues the documents."""

    name: str = DEFAULT_NAME
    authority: str = "Meldebehörde"
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    #: PNG path or PNG/JPEG bytes
    logo: Path | bytes | None = field(default=None, repr=False)

    @classmethod
    def from_config(cls, config: Config) -> MunicipalitySettings:
        """Read ``[municipality]``; unknown keys and bad values raise ``ConfigError``."""
        reader = config.reader("municipality")
        name = reader.string("name", DEFAULT_NAME).strip()
        authority = reader.string("authority", "Meldebehörde").strip()
        raw_address = reader.string("address", "")
        address = tuple(
            line.strip() for line in raw_address.replace(";", "\n").splitlines() if line.strip()
        )
        settings = cls(
            name=name or DEFAULT_NAME,
            authority=authority,
            address=address,
            phone=reader.string("phone", "").strip(),
            email=reader.string("email", "").strip(),
            website=reader.string("website", "").strip(),
            logo=reader.optional_path("logo"),
        )
        reader.finish()
        if isinstance(settings.logo, Path) and not settings.logo.is_file():
            raise ConfigError(
                f"Konfiguration: [municipality] logo – Datei nicht gefunden: {settings.logo}",
                message_en=f"Configuration: [municipality] logo – file not found: {settings.logo}",
            )
        return settings

    def logo_image(self) -> Image.Image | None:
        """The logo as an RGB image flattened onto white (PDF/A: no transparency)."""
        if self.logo is None:
            return None
        try:
            if isinstance(self.logo, bytes):
                image = Image.open(io.BytesIO(self.logo))
            else:
                image = Image.open(self.logo)
            image.load()
        except (OSError, UnidentifiedImageError) as exc:
            raise ConfigError(
                "Das Wappen/Logo der Gemeinde kann nicht gelesen werden. "
                "Bitte geben Sie unter [municipality] logo eine PNG-Datei an.",
                message_en="The municipality logo cannot be read. "
                "Please set [municipality] logo to a PNG file.",
            ) from exc
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
