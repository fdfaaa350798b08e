"""What the back end refuses: :class:`Refusal` (HTTP status, stable code, German text).

The suitcase shows the German message; the ``code`` is stable for programs.
"""

from __future__ import annotations

from koffer.errors import KofferError


class Refusal(KofferError):
    """A request the back end refuses (HTTP status + code + German message)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        message_en: str,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, message_en=message_en)
        self.status = status
        self.code = code
        #: seconds for a ``Retry-After`` header (503 "busy")
        self.retry_after = retry_after

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "message_en": self.message_en}


def storage_failed() -> Refusal:
    """503: the case cannot be stored now (database or disk); the suitcase retries."""
    return Refusal(
        503,
        "storage_unavailable",
        "Die Gegenstelle kann den Vorgang gerade nicht speichern. Er bleibt im Koffer "
        "gespeichert und wird später erneut gesendet.",
        "The back end cannot store the case right now. It stays queued on the device.",
    )


def bad_token() -> Refusal:
    return Refusal(
        403,
        "bad_token",
        "Der Einrichtungscode ist ungültig, abgelaufen oder wurde schon benutzt. "
        "Bitte lassen Sie einen neuen ausstellen.",
        "The enrollment code is invalid, expired or already used.",
    )


def token_used() -> Refusal:
    return Refusal(
        409,
        "token_used",
        "Dieser Einrichtungscode wurde bereits für einen Koffer eingelöst. Ein Code gilt "
        "nur einmal; bitte lassen Sie für diesen Koffer einen neuen ausstellen.",
        "This enrollment code has already been redeemed; please have a new one issued.",
    )


def revoked() -> Refusal:
    return Refusal(
        403,
        "revoked",
        "Dieses Gerät wurde bei der Gegenstelle gesperrt. Die Vorgänge bleiben "
        "versiegelt gespeichert; bitte wenden Sie sich an die Fachadministration.",
        "This device has been revoked at the back end. Cases stay sealed on the device.",
    )
