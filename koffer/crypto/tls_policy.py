"""The process-wide OpenSSL policy: TLS 1.3 suites and key-exchange groups of BSI TR-02102-2.

Python's :mod:`ssl` can restrict the TLS 1.2 cipher list (``set_ciphers``)
but has no API for the TLS 1.3 suites, and OpenSSL enables
TLS_CHACHA20_POLY1305_SHA256 by default, which TR-02102-2 does not list.
OpenSSL's documented mechanism is a configuration file named by the
``OPENSSL_CONF`` environment variable: its ``system_default`` section
(``Ciphersuites``, ``MinProtocol``) is applied to every ``SSL_CTX`` the process
creates. OpenSSL reads that file once, when the library initialises; in
Python that is the first import of :mod:`ssl` or :mod:`hashlib` (their C
modules ``_ssl`` / ``_hashlib``). Setting the variable later has no effect.

So :func:`apply` must run at the very start of the process, before anything
imports those modules: the ``koffer`` command calls it first thing. An
``OPENSSL_CONF`` the operator has set is respected as it is.
:func:`koffer.crypto.tls.unlisted_tls13_suites` checks a context afterwards;
the back end logs a warning at start-up when the policy is not in effect.

This module must not import :mod:`ssl` or :mod:`hashlib` (a test checks it).
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

#: the environment variable OpenSSL reads its configuration file from
ENV_VAR = "OPENSSL_CONF"

#: the configuration file shipped in this package
CONFIG_FILE: Path = Path(__file__).with_name("openssl.cnf")

#: TLS 1.3 suites listed by BSI TR-02102-2 (the file's ``Ciphersuites`` line)
ALLOWED_TLS13_SUITES: frozenset[str] = frozenset(
    {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_SHA256"}
)

#: key-exchange groups listed by BSI TR-02102-2 (the file's ``Groups`` line, in order)
ALLOWED_GROUPS: tuple[str, ...] = ("P-256", "P-384", "P-521")

#: C modules whose import initialises OpenSSL (and so reads OPENSSL_CONF)
OPENSSL_MODULES: tuple[str, ...] = ("_ssl", "_hashlib")


class PolicySource(enum.Enum):
    """Where the OpenSSL configuration of this process comes from."""

    #: ``OPENSSL_CONF`` names the file shipped with koffer
    KOFFER = "koffer"
    #: the operator set ``OPENSSL_CONF`` to a file of their own
    OPERATOR = "operator"
    #: no ``OPENSSL_CONF``: OpenSSL's built-in defaults (ChaCha20 offered)
    NONE = "none"
    #: OpenSSL was initialised before :func:`apply` ran: the file cannot take effect
    TOO_LATE = "too-late"


def openssl_initialised(modules: Mapping[str, object]) -> bool:
    """Whether OpenSSL has been initialised (``modules`` is ``sys.modules``)."""
    return any(name in modules for name in OPENSSL_MODULES)


def _is_ours(value: str) -> bool:
    try:
        return os.path.samefile(value, CONFIG_FILE)
    except OSError:
        return False


def source(environ: Mapping[str, str]) -> PolicySource:
    """Where ``environ``'s OpenSSL configuration comes from (no side effects)."""
    value = environ.get(ENV_VAR, "")
    if not value:
        return PolicySource.NONE
    return PolicySource.KOFFER if _is_ours(value) else PolicySource.OPERATOR


def apply(environ: MutableMapping[str, str], modules: Mapping[str, object]) -> PolicySource:
    """Point ``OPENSSL_CONF`` at the shipped file unless the operator has set one.

    ``environ`` is the process environment (``os.environ``) and ``modules``
    ``sys.modules``. Returns :attr:`PolicySource.TOO_LATE` and changes nothing
    when OpenSSL is already initialised (the variable would only leak to child
    processes without any effect here).
    """
    current = source(environ)
    if current is not PolicySource.NONE:
        return current
    if openssl_initialised(modules):
        return PolicySource.TOO_LATE
    environ[ENV_VAR] = str(CONFIG_FILE)
    return PolicySource.KOFFER
