"""Configuration entry points for the IPP driver (loaded by the device registry).

``[devices.document_printer]``:

- ``type = "ipp"`` (:func:`create`): ``uri`` (``ipp://``, ``ipps://``,
  ``http://`` or ``https://``; required, e.g. "ipp://127.0.0.1:631/printers/a4"
  for a CUPS queue), ``timeout`` (seconds per request, default 10),
  ``poll_interval`` (seconds between job polls, default 0.5).
- ``type = "simulator"`` (:func:`create_simulated`): ``print_dir`` (optional
  folder where the simulated printer keeps the PDFs it receives, for review in
  demo mode — simulation only), ``job_seconds`` (default 0.5).
"""

from __future__ import annotations

from koffer.config import SectionReader
from koffer.drivers.ipp.driver import IppPrinter
from koffer.drivers.ipp.simulator import IppSimulator
from koffer.drivers.ipp.transport import http_url
from koffer.errors import ConfigError


def create(reader: SectionReader) -> IppPrinter:
    uri = reader.string("uri")
    try:
        http_url(uri)
    except ValueError as exc:
        raise ConfigError(
            f"Konfiguration: [{reader.name}] uri muss eine ipp://-, ipps://- oder "
            "http(s)://-Adresse sein.",
            message_en=f"Configuration: [{reader.name}] uri must be an IPP or HTTP URI.",
        ) from exc
    timeout = reader.number("timeout", 10.0, minimum=0.5, maximum=600.0)
    poll = reader.number("poll_interval", 0.5, minimum=0.05, maximum=30.0)
    reader.finish()
    return IppPrinter(uri, timeout=timeout, poll_interval=poll)


def create_simulated(reader: SectionReader) -> IppPrinter:
    print_dir = reader.optional_path("print_dir")
    job_seconds = reader.number("job_seconds", 0.5, minimum=0.0, maximum=60.0)
    reader.finish()
    sim = IppSimulator(print_dir=print_dir)
    sim.job_seconds = job_seconds
    return IppPrinter(
        "ipp://127.0.0.1/ipp/print",
        timeout=5.0,
        poll_interval=0.05,
        type_name="simulator",
        simulator=sim,
    )
