"""Is the suitcase's clock wrong? Judged from the back end's ``Date`` header and certificate.

Two sources, both from the back end the suitcase already trusts:

- the ``Date`` header of every answer (RFC 9110; uvicorn sends it): the
  difference to the local clock is the skew, to about a second plus the round
  trip;
- the validity of the back end's TLS certificate: when the handshake fails
  because the certificate is "not yet valid" or "expired" by the local clock,
  the suitcase connects once more with the time check alone switched off
  (CA pin, host name and client certificate still checked), asks
  ``/v1/health`` for its ``Date`` and reads the certificate's validity.

:func:`diagnose` turns what was found into the message a person reads:
"Die Uhr des Koffers geht um etwa 10 Minuten falsch (sie geht nach) …"
instead of "nicht erreichbar". Pure apart from :func:`probe`.
"""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography import x509

from koffer.errors import FatalTransmissionError, TransmissionError

Clock = Callable[[], datetime]

#: OpenSSL's X509_V_ERR_CERT_NOT_YET_VALID and X509_V_ERR_CERT_HAS_EXPIRED
CERT_NOT_YET_VALID = 9
CERT_HAS_EXPIRED = 10
TIME_VERIFY_CODES = frozenset({CERT_NOT_YET_VALID, CERT_HAS_EXPIRED})

#: X509_V_FLAG_NO_CHECK_TIME (OpenSSL ≥ 1.1; not named by :mod:`ssl`)
_NO_CHECK_TIME = 0x200000

#: seconds the probe may take per step
PROBE_TIMEOUT = 5.0


class ClockSkewError(FatalTransmissionError):
    """The suitcase's clock is wrong by ``skew`` (local minus real time)."""

    def __init__(self, message: str, *, message_en: str, skew: timedelta) -> None:
        super().__init__(message, message_en=message_en)
        self.skew = skew


def server_time(date_header: str | None) -> datetime | None:
    """The time in an HTTP ``Date`` header (UTC), or None if missing or unreadable."""
    if not date_header:
        return None
    try:
        value = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def skew(local: datetime, date_header: str | None) -> timedelta | None:
    """Local clock minus the back end's (positive: the suitcase is ahead)."""
    server = server_time(date_header)
    return None if server is None else local - server


def _amount(seconds: float) -> tuple[str, str]:
    """A rounded German and English amount of time ("10 Minuten", "10 minutes")."""
    seconds = abs(seconds)
    units = (
        (86400 * 2, 86400, "Tag", "Tage", "day"),
        (3600 * 2, 3600, "Stunde", "Stunden", "hour"),
        (60 * 2, 60, "Minute", "Minuten", "minute"),
        (0, 1, "Sekunde", "Sekunden", "second"),
    )
    for threshold, size, one, many, english in units:
        if seconds >= threshold:
            n = max(1, round(seconds / size))
            return f"{n} {one if n == 1 else many}", f"{n} {english}{'' if n == 1 else 's'}"
    raise AssertionError("unreachable")  # pragma: no cover


_WHAT_TO_DO = (
    "Bitte stellen Sie Datum und Uhrzeit des Koffers richtig ein (oder lassen Sie sie "
    "von der Fachadministration einstellen). Die Vorgänge bleiben gespeichert und werden "
    "danach automatisch gesendet."
)


def skew_error(local_minus_real: timedelta, *, at_least: bool = False) -> ClockSkewError:
    """The message for a clock that is off by ``local_minus_real``."""
    de, en = _amount(local_minus_real.total_seconds())
    ahead = local_minus_real > timedelta(0)
    how = "mindestens" if at_least else "etwa"
    how_en = "at least" if at_least else "about"
    return ClockSkewError(
        f"Die Uhr des Koffers geht um {how} {de} falsch (sie geht "
        f"{'vor' if ahead else 'nach'}). Deshalb kommt keine sichere Verbindung zur "
        f"Gegenstelle zustande; es wurde nichts gesendet. {_WHAT_TO_DO}",
        message_en=f"The suitcase's clock is {how_en} {en} "
        f"{'fast' if ahead else 'slow'}, so no secure connection to the back end can be "
        "made; nothing was sent. Please set the date and time correctly; the cases stay "
        "queued and are sent afterwards.",
        skew=local_minus_real,
    )


def skew_warning(local_minus_real: timedelta) -> TransmissionError:
    """What to tell when sending worked but the clock is noticeably off."""
    de, en = _amount(local_minus_real.total_seconds())
    ahead = local_minus_real > timedelta(0)
    return TransmissionError(
        f"Die Uhr des Koffers geht um etwa {de} falsch (sie geht "
        f"{'vor' if ahead else 'nach'}). Die Vorgänge wurden trotzdem gesendet. Bitte stellen "
        "Sie Datum und Uhrzeit richtig ein, damit die Zeitangaben neuer Vorgänge stimmen.",
        message_en=f"The suitcase's clock is about {en} {'fast' if ahead else 'slow'}. "
        "The cases were sent anyway; please set the date and time correctly.",
    )


@dataclass(frozen=True)
class Probe:
    """What the time-tolerant second connection found (either may be missing)."""

    server_time: datetime | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None


def diagnose(
    local: datetime, verify_code: int, probe: Probe, tolerance: timedelta
) -> FatalTransmissionError:
    """The message for a handshake that failed on the certificate's validity period."""
    if probe.server_time is not None:
        off = local - probe.server_time
        if abs(off) > tolerance:
            return skew_error(off)
        return _certificate_out_of_date(verify_code)
    if probe.not_before is not None and local < probe.not_before:
        # certificates are not issued in the future: the clock is slow by at least this
        return skew_error(local - probe.not_before, at_least=True)
    if verify_code == CERT_NOT_YET_VALID:
        return FatalTransmissionError(
            "Das Zertifikat der Gegenstelle ist nach der Uhr des Koffers noch nicht gültig: "
            "Die Uhr des Koffers geht wahrscheinlich falsch (sie geht nach). " + _WHAT_TO_DO,
            message_en="By the suitcase's clock the back end's certificate is not valid "
            "yet: the clock is probably slow. Please set the date and time correctly.",
        )
    since = ""
    since_en = ""
    if probe.not_after is not None and local > probe.not_after:
        de, en = _amount((local - probe.not_after).total_seconds())
        since, since_en = f" (Zeitunterschied: {de})", f" for {en}"
    return FatalTransmissionError(
        f"Das Zertifikat der Gegenstelle ist nach der Uhr des Koffers abgelaufen{since}. "
        "Entweder geht die Uhr des Koffers falsch (sie geht vor) – dann stellen Sie bitte "
        "Datum und Uhrzeit richtig ein – oder das Zertifikat der Gegenstelle muss erneuert "
        "werden; wenden Sie sich dann bitte an die Fachadministration. Es wurde nichts "
        "gesendet; die Vorgänge bleiben gespeichert.",
        message_en=f"By the suitcase's clock the back end's certificate expired{since_en}: "
        "either the clock is fast or the certificate must be renewed. Nothing was sent.",
    )


def _certificate_out_of_date(verify_code: int) -> FatalTransmissionError:
    state = "noch nicht gültig" if verify_code == CERT_NOT_YET_VALID else "abgelaufen"
    state_en = "not valid yet" if verify_code == CERT_NOT_YET_VALID else "expired"
    return FatalTransmissionError(
        f"Das Zertifikat der Gegenstelle ist {state}; die Uhr des Koffers geht richtig. "
        "Es wurde nichts gesendet; die Vorgänge bleiben gespeichert. Bitte wenden Sie sich an "
        "die Fachadministration: das Zertifikat der Gegenstelle muss erneuert werden.",
        message_en=f"The back end's certificate is {state_en}; the suitcase's clock is "
        "right. Nothing was sent; the back end's certificate must be renewed.",
    )


def time_tolerant(ctx: ssl.SSLContext) -> ssl.SSLContext:
    """``ctx`` with only the certificate time check switched off (in place)."""
    ctx.verify_flags = ssl.VerifyFlags(int(ctx.verify_flags) | _NO_CHECK_TIME)
    return ctx


def probe(base_url: str, ctx: ssl.SSLContext, timeout: float = PROBE_TIMEOUT) -> Probe:
    """Connect with ``ctx`` (see :func:`time_tolerant`); the ``Date`` and the validity.

    Returns an empty :class:`Probe` when the back end cannot be reached this
    way either; it never raises for network or TLS errors.
    """
    parts = urlsplit(base_url)
    host, port = parts.hostname or "", parts.port or 443
    conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ctx)
    not_before = not_after = None
    try:
        conn.connect()
        sock = conn.sock
        der = sock.getpeercert(binary_form=True) if isinstance(sock, ssl.SSLSocket) else None
        if der:
            cert = x509.load_der_x509_certificate(der)
            not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
        conn.request("GET", "/v1/health")
        answer = conn.getresponse()
        answer.read(4096)
        return Probe(server_time(answer.getheader("Date")), not_before, not_after)
    except (OSError, http.client.HTTPException, ValueError):
        return Probe(None, not_before, not_after)
    finally:
        conn.close()
