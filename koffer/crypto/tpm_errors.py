"""The German messages of the TPM errors (one constructor per situation).

:mod:`koffer.crypto.tpm` translates the TSS's return codes into these.
"""

from __future__ import annotations

from koffer.errors import TpmAuthError, TpmError, TpmLockoutError, TpmUnavailableError


def unavailable(detail: str = "") -> TpmUnavailableError:
    hint = f" ({detail})" if detail else ""
    return TpmUnavailableError(
        f"Der TPM-Sicherheitschip ist nicht erreichbar{hint}. Bitte prüfen Sie, ob der "
        "TPM im BIOS eingeschaltet ist, und wenden Sie sich an die Technik.",
        message_en=f"The TPM security chip cannot be reached{hint}. Check that the TPM is "
        "enabled in the firmware and contact support.",
    )


def auth_failed() -> TpmAuthError:
    return TpmAuthError(
        "Der TPM-Sicherheitschip hat die Passphrase abgelehnt. Bitte prüfen Sie die "
        "Eingabe und versuchen Sie es erneut; jeder Fehlversuch wird vom Chip gezählt.",
        message_en="The TPM security chip rejected the passphrase. Please check it and "
        "try again; the chip counts every failed attempt.",
    )


def locked_out() -> TpmLockoutError:
    return TpmLockoutError(
        "Der TPM-Sicherheitschip ist nach zu vielen falschen Passphrasen gesperrt und "
        "nimmt zurzeit keine Passphrase an, auch nicht die richtige. Bitte warten Sie, "
        "bis die Sperre abläuft, oder lassen Sie sie von der Technik mit dem "
        "Wiederherstellungscode aufheben.",
        message_en="The TPM security chip is locked after too many wrong passphrases and "
        "accepts none right now, not even the right one. Wait until the lock-out "
        "expires or have support lift it with the recovery code.",
    )


def foreign() -> TpmError:
    return TpmError(
        "Der versiegelte Schlüssel gehört nicht zu diesem TPM-Sicherheitschip (anderes "
        "Gerät, oder der Chip wurde zurückgesetzt). Ohne den ursprünglichen Chip lässt "
        "er sich nicht öffnen. Bitte wenden Sie sich an die Technik.",
        message_en="The sealed key does not belong to this TPM (another device, or the "
        "TPM was cleared). Use the recovery code or contact support.",
    )


def owned_elsewhere() -> TpmError:
    return TpmError(
        "Der TPM-Sicherheitschip ist durch ein Passwort eines anderen Programms geschützt "
        "und kann nicht eingerichtet werden. Bitte wenden Sie sich an die Technik.",
        message_en="The TPM is protected by another program's password and cannot be "
        "set up. Please contact support.",
    )


def failed(action: str) -> TpmError:
    return TpmError(
        f"Der TPM-Sicherheitschip konnte den Vorgang nicht ausführen ({action}). Bitte "
        "versuchen Sie es erneut und wenden Sie sich an die Technik, wenn es wieder "
        "nicht klappt.",
        message_en=f"The TPM could not complete the operation ({action}).",
    )
