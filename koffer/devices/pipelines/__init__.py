"""Capture pipelines (no Qt): fingerprints, signature, photo.

They run on a device's worker thread, talk to people only through a
:class:`~koffer.devices.interfaces.Prompt` and return plain frozen
dataclasses that the kiosk stores encrypted.
"""
