"""The one exception tree of the Bürgerservice-Koffer.

::

    KofferError
    ├── ConfigError
    ├── ValidationError
    ├── StoreError
    │   ├── LockedError            (passphrase throttle / lock-out)
    │   └── AuthenticationError    (wrong passphrase, unknown account)
    ├── CryptoError
    │   └── TpmError               (the TPM refused or cannot be reached)
    │       ├── TpmAuthError       (wrong auth value, i.e. wrong passphrase)
    │       ├── TpmLockoutError    (the TPM's dictionary-attack lock-out)
    │       └── TpmUnavailableError (no TPM, or the TSS cannot reach it)
    ├── TransmissionError
    │   └── FatalTransmissionError (stops a sync batch)
    └── DeviceError
        ├── DeviceNotFound
        ├── DeviceTimeout
        ├── DeviceDisconnected
        └── DeviceProtocolError

Every error that reaches a person carries a German ``message`` that says what
happened and what to do next, and never contains personal data. ``message_en``
is the English translation used when the interface language is English.
Lower layers translate library exceptions at their boundary with
``raise SomeKofferError(...) from exc``.
"""

from __future__ import annotations


class KofferError(Exception):
    """Base of every error the product raises on purpose.

    :param message: German text for the person in front of the screen.
    :param message_en: optional English translation.
    """

    #: process exit code used by the ``koffer`` command for this kind of error
    exit_code: int = 1

    def __init__(self, message: str, *, message_en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en if message_en is not None else message

    def localized(self, language: str) -> str:
        """The message in ``language`` ("de" or "en")."""
        return self.message_en if language == "en" else self.message


class ConfigError(KofferError):
    """The configuration file or a command-line value is not usable."""

    exit_code = 2


class ValidationError(KofferError):
    """Input data breaks a domain rule."""


class StoreError(KofferError):
    """The encrypted local store cannot do what was asked."""


class AuthenticationError(StoreError):
    """Unknown account or wrong passphrase."""


class LockedError(StoreError):
    """Too many wrong passphrases: the account is throttled or locked."""


class CryptoError(KofferError):
    """A cryptographic check failed (bad key, tampered data, bad signature)."""


class TpmError(CryptoError):
    """The TPM refused an operation (see :mod:`koffer.crypto.tpm`)."""


class TpmAuthError(TpmError):
    """The TPM rejected the auth value: the passphrase is wrong."""


class TpmLockoutError(TpmError):
    """The TPM is in dictionary-attack lock-out and refuses every attempt."""


class TpmUnavailableError(TpmError):
    """No TPM, or the TSS cannot reach the configured one."""


class TransmissionError(KofferError):
    """Sending to the back end failed; the item stays queued."""


class FatalTransmissionError(TransmissionError):
    """A failure that makes further sends in this batch pointless."""


class DeviceError(KofferError):
    """A device could not do what was asked."""


class DeviceNotFound(DeviceError):
    """The configured device is not connected or cannot be opened."""


class DeviceTimeout(DeviceError):
    """The device did not answer in time."""


class DeviceDisconnected(DeviceError):
    """The device went away while in use."""


class DeviceProtocolError(DeviceError):
    """The device sent bytes that do not follow its protocol."""
