"""koffer.crypto: the key hierarchy and every cryptographic operation.

Modules, each with one job:

- :mod:`koffer.crypto.aead` — AES-256-GCM record encryption.
- :mod:`koffer.crypto.kdf` — Argon2id passphrase derivation.
- :mod:`koffer.crypto.keys` — random keys, key wrapping, HKDF sub-keys.
- :mod:`koffer.crypto.identity`, :mod:`~koffer.crypto.enrollment`,
  :mod:`~koffer.crypto.sealing`, :mod:`~koffer.crypto.receipts`,
  :mod:`~koffer.crypto.tls` — device identity, sealing to the back end
  (HPKE), signed receipts, mutual TLS.

Only primitives of the ``cryptography`` library are used; nothing here
imports other ``koffer`` packages except :mod:`koffer.errors` and
:mod:`koffer.config`.
"""
