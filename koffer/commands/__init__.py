"""The ``koffer`` command line: the entry point and one module per command family.

:mod:`koffer.commands.cli` parses the command line and runs one handler;
:mod:`koffer.commands.common` holds what the families share (the data
directory, the configuration, passphrases, unlocking the store for a
command). Each family module exposes ``register(subparsers)``:
:mod:`~koffer.commands.store` (``init``, ``accounts``),
:mod:`~koffer.commands.enrollment` (``enroll``, ``enrollment``),
:mod:`~koffer.commands.outbox` (``outbox``, ``sync``),
:mod:`~koffer.commands.backend`, :mod:`~koffer.commands.selftest`,
:mod:`~koffer.commands.doctor`, :mod:`~koffer.commands.wipe` and
:mod:`~koffer.commands.simulate_visit`.

Commands sit at the top of the layers: they may import every other koffer
package, nothing imports them (the kiosk included).
"""
