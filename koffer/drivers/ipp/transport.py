"""IPP over HTTP with httpx: POST ``application/ipp`` to the printer URI.

``ipp://host[:port]/path`` becomes ``http://host:port/path`` (default port
631), ``ipps://`` becomes ``https://``. The httpx transport is injectable.
The only module of the IPP family that uses httpx; HTTP errors become
:mod:`koffer.errors` here.
"""

from __future__ import annotations

import itertools
from typing import TypeAlias
from urllib.parse import urlsplit, urlunsplit

import httpx

from koffer.drivers.ipp import codec
from koffer.errors import DeviceDisconnected, DeviceNotFound, DeviceProtocolError, DeviceTimeout

#: the injectable httpx transport (tests and the simulator pass their own)
HttpTransport: TypeAlias = httpx.BaseTransport


def http_url(uri: str) -> str:
    """The HTTP(S) URL an ``ipp://``/``ipps://``/``http(s)://`` URI is posted to."""
    parts = urlsplit(uri)
    scheme = {"ipp": "http", "ipps": "https", "http": "http", "https": "https"}.get(parts.scheme)
    if scheme is None or not parts.hostname:
        raise ValueError(f"not an IPP URI: {uri!r}")
    port = parts.port or (631 if parts.scheme in ("ipp", "ipps") else None)
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


class IppClient:
    """Sends IPP requests to one printer URI."""

    def __init__(
        self,
        uri: str,
        *,
        timeout: float = 10.0,
        transport: HttpTransport | None = None,
    ) -> None:
        self.uri = uri
        self.url = http_url(uri)
        self._timeout = timeout
        self._transport = transport
        self._http: httpx.Client | None = None
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def open(self) -> None:
        if self._http is None:
            self._http = httpx.Client(timeout=self._timeout, transport=self._transport)

    def close(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            http.close()

    def send(self, request: codec.Message, timeout: float | None = None) -> codec.Message:
        if self._http is None:
            self.open()
        assert self._http is not None
        try:
            response = self._http.post(
                self.url,
                content=codec.encode(request),
                headers={"Content-Type": "application/ipp"},
                timeout=timeout if timeout is not None else self._timeout,
            )
        except httpx.TimeoutException as exc:
            raise DeviceTimeout(
                "Der Drucker antwortet nicht. Bitte prüfen Sie, ob er eingeschaltet und "
                "mit dem Netz verbunden ist.",
                message_en=f"IPP request to {self.uri} timed out.",
            ) from exc
        except httpx.ConnectError as exc:
            raise DeviceNotFound(
                "Der Drucker ist nicht erreichbar. Bitte prüfen Sie, ob er eingeschaltet "
                "und mit dem Netz verbunden ist.",
                message_en=f"Cannot connect to IPP printer {self.uri}.",
            ) from exc
        except httpx.HTTPError as exc:
            raise DeviceDisconnected(
                "Die Verbindung zum Drucker wurde unterbrochen. Bitte versuchen Sie es erneut.",
                message_en=f"HTTP error talking to {self.uri}: {exc}",
            ) from exc
        if response.status_code != 200:
            raise DeviceProtocolError(
                "Der Drucker hat die Anfrage abgelehnt. Bitte prüfen Sie die Druckeradresse.",
                message_en=f"IPP printer answered HTTP {response.status_code}.",
            )
        message = codec.decode(response.content)
        if message.request_id != request.request_id:
            raise codec.IppDecodeError(
                "Der Drucker hat eine unpassende Antwort geschickt. Bitte versuchen Sie es erneut.",
                message_en="IPP response request-id does not match the request.",
            )
        return message
