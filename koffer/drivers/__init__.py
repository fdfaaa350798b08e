"""Concrete device drivers.

One package per device family, each with a pure protocol codec, a transport
and a wire-level simulator speaking the device side of the same protocol.
Drivers import :mod:`koffer.devices` (the interfaces they implement) and are
reached only through :mod:`koffer.devices.registry` (``"module:function"``
strings), never imported by name from ``koffer.devices``.

- :mod:`koffer.drivers.r30x`: ZhianTec / Grow R30x, R503 fingerprint modules
- :mod:`koffer.drivers.camera`: V4L2 cameras and the camera simulator
- ``koffer.drivers.wacom_stu``, ``koffer.drivers.escpos``, ``koffer.drivers.ipp``
"""
