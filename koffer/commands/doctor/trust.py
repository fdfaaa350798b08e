"""``koffer doctor``'s checks of trust: device certificate, enrollment, TPM, back end.

The enrollment and the TPM are read without unlocking the store
(:mod:`koffer.enrollment.public`, :func:`koffer.store.tpm_slot.doctor_facts`).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from koffer.commands.doctor.results import CheckResult, _r
from koffer.enrollment import public
from koffer.store import tpm_slot

CERT_WARN_DAYS = 30
BACKEND_TIMEOUT_S = 2.0


def check_certificate(pem: bytes, now: datetime, warn_days: int = CERT_WARN_DAYS) -> CheckResult:
    """The device certificate is valid now and for at least ``warn_days`` more."""
    from cryptography import x509

    cid = "enrollment"
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError:
        return _r(
            cid,
            "fail",
            "Das Gerätezertifikat ist beschädigt. Melden Sie den Koffer neu an "
            "(koffer enroll mit einem neuen Einrichtungscode der Gegenstelle).",
            "The device certificate is damaged; enroll again.",
        )
    not_after = cert.not_valid_after_utc
    not_before = cert.not_valid_before_utc
    day = not_after.strftime("%Y-%m-%d")
    if now < not_before:
        return _r(
            cid,
            "fail",
            "Das Gerätezertifikat ist noch nicht gültig; vermutlich geht die Systemuhr nach. "
            "Stellen Sie die Uhr richtig.",
            "The device certificate is not yet valid; check the clock.",
        )
    if now >= not_after:
        return _r(
            cid,
            "fail",
            f"Das Gerätezertifikat ist am {day} abgelaufen; Vorgänge können nicht übertragen "
            "werden. Melden Sie den Koffer neu an (koffer enroll).",
            f"The device certificate expired on {day}; enroll again.",
        )
    if not_after - now < timedelta(days=warn_days):
        return _r(
            cid,
            "warn",
            f"Das Gerätezertifikat läuft am {day} ab. Melden Sie den Koffer rechtzeitig neu "
            "an (koffer enroll).",
            f"The device certificate expires on {day}; enroll again soon.",
        )
    return _r(
        cid,
        "ok",
        f"Koffer eingerichtet, Zertifikat gültig bis {day}.",
        f"Enrolled, certificate valid until {day}.",
    )


#: reads the device's client certificate without unlocking: ``(data_dir) -> PEM | None``
CertificateReader = Callable[[Path], bytes | None]
#: reads what the store's TPM protection looks like: ``(data_dir) -> facts | None``
TpmReader = Callable[[Path], Mapping[str, object] | None]


def enrolled_backend_url(data: Path) -> str | None:
    """The back end's URL saved at enrollment (no unlock needed), if any."""
    return public.backend_url(data)


def check_enrollment(
    data: Path, now: datetime, reader: CertificateReader = public.device_certificate_pem
) -> CheckResult:
    """Enrollment present and certificate not expiring soon."""
    pem = reader(data)
    if pem is None:
        return _r(
            "enrollment",
            "warn",
            "Der Koffer ist noch nicht bei der Gegenstelle eingerichtet. Richten Sie ihn mit "
            "'koffer enroll' und dem Einrichtungscode der Gegenstelle ein.",
            "Not enrolled yet; run 'koffer enroll'.",
        )
    return check_certificate(bytes(pem), now)


def tpm_facts(data: Path, reader: TpmReader = tpm_slot.doctor_facts) -> Mapping[str, object] | None:
    """The TPM facts of the store in ``data``."""
    return reader(data)


def check_tpm(facts: Mapping[str, object] | None) -> CheckResult:
    """Is the store bound to a TPM, and can that TPM be used right now?"""
    cid = "tpm"
    if facts is None:
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: Noch kein Datenbestand vorhanden.",
            "Not checked: no store yet.",
        )
    if facts.get("unsupported"):
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: Diese Version kann den TPM-Schutz nicht prüfen.",
            "Not checked: this version cannot check the TPM protection.",
        )
    if not facts.get("protected"):
        return _r(
            cid,
            "warn",
            "Der Datenbestand ist nicht durch einen TPM-Sicherheitschip geschützt. Wer die "
            "Festplatte kopiert, kann Passphrasen ohne Sperre offline durchprobieren; nur "
            "die Argon2id-Rechenzeit bremst. Hat das Gerät einen TPM 2.0, legen Sie den "
            "Datenbestand mit 'koffer init --tpm device:/dev/tpmrm0' neu an (siehe "
            "Betriebshandbuch).",
            "The store is not protected by a TPM: a copied disk allows unthrottled offline "
            "guessing. With a TPM 2.0, re-create the store with 'koffer init --tpm'.",
        )
    if not facts.get("reachable"):
        return _r(
            cid,
            "fail",
            "Der Datenbestand ist an einen TPM-Sicherheitschip gebunden, der nicht "
            "erreichbar ist; so kann sich niemand anmelden. Prüfen Sie, ob der TPM im "
            "BIOS eingeschaltet ist; sonst hilft nur der Wiederherstellungscode.",
            "The store is bound to a TPM that cannot be reached; nobody can sign in.",
        )
    if not facts.get("parent_present"):
        return _r(
            cid,
            "fail",
            "Der Schlüssel des Datenbestands fehlt im TPM-Sicherheitschip (der Chip wurde "
            "zurückgesetzt oder ist ein anderer). Anmelden geht nur noch mit dem "
            "Wiederherstellungscode; wenden Sie sich an die Technik.",
            "The store's key is missing from the TPM (cleared or another TPM).",
        )
    if facts.get("locked_out"):
        return _r(
            cid,
            "fail",
            "Der TPM-Sicherheitschip ist nach zu vielen falschen Passphrasen gesperrt. "
            "Warten Sie, bis die Sperre abläuft, oder heben Sie sie mit dem "
            "Wiederherstellungscode auf ('koffer accounts recover').",
            "The TPM is in dictionary-attack lock-out; wait or use the recovery code.",
        )
    tries, limit = facts.get("failed_tries", 0), facts.get("max_tries", 0)
    return _r(
        cid,
        "ok",
        f"Datenbestand durch den TPM-Sicherheitschip geschützt ({tries} von {limit} "
        "Fehlversuchen bis zur Sperre des Chips).",
        f"Store protected by the TPM ({tries} of {limit} failed attempts before lock-out).",
    )


def backend_address(url: str | None) -> tuple[str, int] | None:
    """Host and port of the back end from its URL (``None`` if not usable)."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    if port is None:
        port = 80 if parts.scheme == "http" else 443
    return parts.hostname, port


def tcp_reachable(host: str, port: int, timeout: float = BACKEND_TIMEOUT_S) -> bool:
    """True if a TCP connection to ``host:port`` opens within ``timeout``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def check_backend(
    address: tuple[str, int] | None,
    reachable: Callable[[str, int], bool] = tcp_reachable,
) -> CheckResult:
    """The back end accepts TCP connections (offline is normal: a warning)."""
    cid = "backend"
    if address is None:
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: Der Koffer ist noch nicht eingerichtet. Geben Sie die Adresse "
            "der Gegenstelle mit --backend-url an (steht im Einrichtungscode, "
            "z. B. https://gegenstelle.example:8443).",
            "Not checked: give the back end's address with --backend-url.",
        )
    host, port = address
    if reachable(host, port):
        return _r(
            cid,
            "ok",
            f"Gegenstelle {host}:{port} erreichbar.",
            f"Back end {host}:{port} reachable.",
        )
    return _r(
        cid,
        "warn",
        f"Gegenstelle {host}:{port} nicht erreichbar. Unterwegs ohne Netz ist das normal: "
        "Abgeschlossene Vorgänge bleiben verschlüsselt im Postausgang. Im Rathaus prüfen Sie "
        "Netzwerkkabel/WLAN und die Adresse in der Konfiguration.",
        f"Back end {host}:{port} not reachable (normal when offline).",
    )
