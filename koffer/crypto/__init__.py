"""koffer.crypto: the key hierarchy and every cryptographic operation.

Modules (each with one job):

- :mod:`koffer.crypto.aead` — AES-256-GCM record encryption.
- :mod:`koffer.crypto.kdf` — Argon2id passphrase derivation.
- :mod:`koffer.crypto.keys` — random keys, key wrapping, HKDF sub-keys.

Only primitives of the ``cryptography`` library are used; nothing here
imports other ``koffer`` packages except :mod:`koffer.errors`.
"""
