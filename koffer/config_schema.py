"""The declarative schema of the configuration file: every table, key and type.

:data:`SCHEMA` holds the subsystem tables, :data:`DEVICE_SCHEMA` the
``[devices.KIND]`` tables per driver type. :mod:`koffer.config` checks a
file against them once, when it is loaded. A subsystem that reads a new key
declares it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["string", "boolean", "integer", "number", "path", "port"]

#: how each kind is named in the German message "… muss … sein."
EXPECTED: Mapping[Kind, str] = {
    "string": "ein Text",
    "boolean": "true oder false",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "path": "ein Dateipfad",
    "port": "eine Portnummer (TCP) oder ein Gerätepfad (seriell)",
}


@dataclass(frozen=True)
class Key:
    """One key of a table: its kind and, where the schema says, its range or choices."""

    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


def _s(*choices: str) -> Key:
    return Key("string", choices=choices)


def _i(minimum: float | None = None, maximum: float | None = None) -> Key:
    return Key("integer", minimum, maximum)


def _n(minimum: float | None = None, maximum: float | None = None) -> Key:
    return Key("number", minimum, maximum)


_BOOL = Key("boolean")
_PATH = Key("path")
_TEXT = _s()

#: the tables and their keys (devices: see :data:`DEVICE_SCHEMA`)
SCHEMA: Mapping[str, Mapping[str, Key]] = {
    "store": {  # Argon2id parameters, throttling
        "argon2_memory_kib": _i(7168, 4 * 1024 * 1024),  # floors: koffer.crypto.kdf
        "argon2_iterations": _i(1, 100),
        "argon2_lanes": _i(1, 64),
        # the store's own floors (koffer.store.policy) refuse a loosened policy
        "max_failed_attempts": _i(1, 1000),
        "throttle_base_seconds": _n(0.0),
        "throttle_max_seconds": _n(0.0),
        "min_passphrase_length": _i(1, 1024),
        "busy_timeout_ms": _i(0, 600_000),
    },
    "transmission": {  # back-off, timeouts
        "max_attempts": _i(1),
        "backoff_base_seconds": _n(0.0),
        "backoff_max_seconds": _n(0.0),
        "batch_size": _i(1),
        "ack_batch_size": _i(1),
        "max_in_flight": _i(1, 16),
        "connect_timeout_seconds": _n(0.1),
        "read_timeout_seconds": _n(0.1),
        "poll_interval_seconds": _n(0.05),
        "clock_tolerance_seconds": _n(1.0, 86_400.0),
    },
    "backend": {  # the reference back end's own settings
        "header_timeout_seconds": _n(0.1, 300.0),
        "keep_alive_timeout_seconds": _i(1, 3600),
        "body_timeout_seconds": _n(0.1, 3600.0),
    },
    "municipality": {  # name, address, logo for documents
        "name": _TEXT,
        "authority": _TEXT,
        "address": _TEXT,
        "phone": _TEXT,
        "email": _TEXT,
        "website": _TEXT,
        "logo": _PATH,
    },
    "kiosk": {  # idle lock, high contrast, language
        "idle_lock_seconds": _i(0, 86_400),
        "high_contrast": _BOOL,
        "language": _s("de", "en"),
        "poll_seconds": _n(0.2, 60),
    },
    "rules": {  # legal rules marked [unverified]: configurable
        "late_registration_days": _i(0, 365),
        "abmeldung_earliest_days": _i(0, 365),
        "late_abmeldung_days": _i(0, 365),
        "self_registration_min_age": _i(0, 18),
        "adult_age": _i(14, 21),
        "signature_min_age": _i(0, 18),
        "fingerprint_min_age": _i(0, 18),
        "direct_delivery_min_age": _i(0, 18),
        "max_captures_per_finger": _i(1, 10),
        "joint_custody_consent": _BOOL,
        "passport_double_48_pages": _BOOL,  # PassV § 27 Abs. 2: readings the text leaves open
        "passport_surcharges_stack": _BOOL,
    },
}

_U16 = _i(0, 0xFFFF)
_U32 = _i(0, 0xFFFFFFFF)
_ESCPOS_PROFILE: Mapping[str, Key] = {
    "code_page": _s("cp437", "cp850", "cp858", "cp1252"),
    "max_width": _i(8, 2048),
    "model": _TEXT,
}

#: ``[devices.KIND]``: for each kind, the driver types and their options
#: (``type`` and ``required`` are common to all). The driver's factory checks
#: what a schema cannot say (e.g. a baud rate that is a multiple of 9600).
DEVICE_SCHEMA: Mapping[str, Mapping[str, Mapping[str, Key]]] = {
    "fingerprint": {
        "r30x": {
            "port": _TEXT,
            "baudrate": _i(9600, 115200),
            "password": _U32,
            "address": _U32,
            "ppi": _i(250, 2000),
            "reply_timeout": _n(0.05, 60.0),
            "poll_interval": _n(0.0, 5.0),
        },
        "vendor-sdk": {"sdk": _TEXT, "device": _TEXT},
        "simulator": {"model": _s("r30x", "r503"), "quality": _n(0.0, 1.0), "name": _TEXT},
    },
    "signature_pad": {
        "wacom-stu": {
            "vendor_id": _U16,
            "product_id": _U16,
            "timeout": _n(0.05, 60.0),
            "image_encoding": _s("mono", "rgb565", "bgr24"),
        },
        "simulator": {"model": _TEXT, "rate": _n(1.0, 10000.0)},
    },
    "receipt_printer": {
        "escpos-usb": {
            "vendor_id": _U16,
            "product_id": _U16,
            "out_endpoint": _i(0, 0x0F),
            "in_endpoint": _i(0x80, 0x8F),
            "interface": _i(0, 31),
            "timeout": _n(0.1, 120.0),
            **_ESCPOS_PROFILE,
        },
        "escpos-serial": {
            "port": _TEXT,
            "baudrate": _i(300, 4_000_000),
            "timeout": _n(0.1, 120.0),
            **_ESCPOS_PROFILE,
        },
        "simulator": {"transport": _s("usb", "pty"), "paper": _s("ok", "low", "out")},
    },
    "document_printer": {
        "ipp": {"uri": _TEXT, "timeout": _n(0.5, 600.0), "poll_interval": _n(0.05, 30.0)},
        "simulator": {"print_dir": _PATH, "job_seconds": _n(0.0, 60.0)},
    },
    "camera": {
        "v4l2": {
            "device": _TEXT,
            "width": _i(160, 7680),
            "height": _i(120, 4320),
            "format": _s("YUYV", "MJPG"),
            "timeout": _n(0.1, 30.0),
        },
        "simulator": {"width": _i(160, 4096), "height": _i(120, 4096)},
    },
    "payment_terminal": {  # koffer.drivers.zvt.factory checks ranges and forms
        "zvt": {
            "host": _TEXT,
            "port": Key("port"),
            "password": _TEXT,
            "baudrate": _i(1200, 115200),
            "stopbits": _i(1, 2),
            "ack_timeout": _n(0.1, 60.0),
            "reply_timeout": _n(0.1, 60.0),
            "completion_timeout": _n(0.1, 3600.0),
            "model": _TEXT,
        },
        "simulator": {
            "transport": _s("tcp", "pty"),
            "timings": _s("fast", "realistic"),
            "password": _TEXT,
            "name": _TEXT,
            "reply_timeout": _n(0.1, 60.0),
            "completion_timeout": _n(0.1, 3600.0),
        },
    },
}

#: keys every ``[devices.KIND]`` table has besides its driver's options
DEVICE_COMMON: Mapping[str, Key] = {"type": _TEXT, "required": _BOOL}

#: top-level tables a configuration file may contain
KNOWN_SECTIONS: frozenset[str] = frozenset({*SCHEMA, "devices"})
