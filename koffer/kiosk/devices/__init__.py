"""The kiosk's devices: a hub of per-device I/O workers and its Qt bridge.

- :class:`~koffer.kiosk.devices.hub.DeviceHub` (no Qt) opens the configured
  devices, each on its own :class:`~koffer.devices.worker.DeviceWorker`,
  follows hot-plug and answers the status bar's probes;
- :class:`~koffer.kiosk.devices.bridge.QtDevices` runs device calls on those
  workers and delivers results on the GUI thread through Qt signals.
"""
