"""Hostile envelopes and ids against the real server on loopback TLS: always a 4xx.

Each malformed input gets a 4xx with a stable ``code``; a property-based test
feeds mutated envelopes and checks that the server never answers 5xx and never
accepts anything but the byte-identical genuine envelope.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koffer.backend.server import Backend
from koffer.crypto import sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import CryptoError
from tests.unit.raw_http import read_response

CASE = {"case_type": "anmeldung", "persons": []}


def _seal(creds: DeviceCredentials, **kw: object) -> sealing.SealedEnvelope:
    payload = sealing.Payload(1, CASE, ())
    args: dict[str, object] = {
        "case_type": "anmeldung",
        "device_id": creds.device_id,
        "signing_key": creds.signing_key,
        "recipient_key": creds.hpke_public,
    }
    args.update(kw)
    return sealing.seal(payload, **args)  # type: ignore[arg-type]


@pytest.fixture
def client(creds: DeviceCredentials) -> Iterator[httpx.Client]:
    ctx = tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )
    with httpx.Client(base_url=creds.backend_url, verify=ctx, trust_env=False) as http:
        yield http


def _put(client: httpx.Client, envelope_id: str, data: bytes) -> httpx.Response:
    return client.put(f"/v1/envelopes/{envelope_id}", content=data)


def _frame(header: bytes, signature: bytes = b"s" * 70, ciphertext: bytes = b"c" * 40) -> bytes:
    """Envelope bytes around an arbitrary header (the framing itself is valid)."""
    return b"".join(
        [
            sealing.ENVELOPE_MAGIC,
            struct.pack(">BI", sealing.FORMAT_VERSION, len(header)),
            header,
            struct.pack(">H", len(signature)),
            signature,
            ciphertext,
        ]
    )


def _with_header(sealed: sealing.SealedEnvelope, header: bytes) -> bytes:
    env = sealing.parse_envelope(sealed.data)
    return _frame(header, env.signature, env.ciphertext)


def test_trailing_newline_in_url_id_is_refused(
    client: httpx.Client, creds: DeviceCredentials
) -> None:
    """``PUT /v1/envelopes/<uuid>%0A`` with an envelope signed under ``"<uuid>\\n"``."""
    plain = sealing.new_envelope_id()
    sealed = _seal(creds, envelope_id=plain + "\n")
    answer = _put(client, plain + "%0A", sealed.data)
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_id"
    # under the plain id the header's own id is refused by the parser
    answer = _put(client, plain, sealed.data)
    assert answer.status_code == 400
    assert answer.json()["code"] == "malformed"
    for suffix in ("%00", "%0D", "%20", "x"):
        assert _put(client, plain + suffix, sealed.data).json()["code"] == "bad_id"


def _header_doc(sealed: sealing.SealedEnvelope) -> dict[str, object]:
    doc = json.loads(sealed.header.to_bytes())
    assert isinstance(doc, dict)
    return doc


def _raw(doc: dict[str, object]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    "field_value",
    [
        ("v", "1e400"),
        ("v", "-1e400"),
        ("v", "NaN"),
        ("v", "Infinity"),
        ("v", "1" * 5000),
        ("v", '"1"'),
        ("v", "true"),
        ("v", "1.0"),
        ("schema_version", "1e400"),
        ("schema_version", "[1]"),
        ("envelope_id", "123"),
        ("envelope_id", "null"),
        ("device_id", '"' + "d" * 65 + '"'),
        ("device_id", '"dev-1\\n"'),
        ("device_id", '"dev-1\\u0000"'),
        ("case_type", '"' + "a" * 41 + '"'),
        ("created", '"2026-05-01T10:00:00Z\\n"'),
        ("created", '"' + "2" * 4000 + '"'),
        ("key_id", '"abc\\u0000"'),
    ],
)
def test_malformed_header_values_are_4xx(
    client: httpx.Client, creds: DeviceCredentials, field_value: tuple[str, str]
) -> None:
    field, value = field_value
    sealed = _seal(creds)
    doc = _header_doc(sealed)
    doc[field] = "@@"
    header = _raw(doc).replace(b'"@@"', value.encode())
    answer = _put(client, sealed.envelope_id, _with_header(sealed, header))
    assert answer.status_code in (400, 413), answer.text
    assert answer.json()["code"] == "malformed"


def test_header_nested_1500_deep_is_4xx(client: httpx.Client, creds: DeviceCredentials) -> None:
    sealed = _seal(creds)
    deep = b'{"v":' + b"[" * 1500 + b"]" * 1500 + b"}"
    answer = _put(client, sealed.envelope_id, _with_header(sealed, deep))
    assert answer.status_code == 400
    assert answer.json()["code"] == "malformed"
    deep_objects = b'{"v":' + b'{"a":' * 1000 + b"1" + b"}" * 1000 + b"}"
    answer = _put(client, sealed.envelope_id, _with_header(sealed, deep_objects))
    assert answer.status_code == 400
    # the genuine envelope is still accepted afterwards
    assert _put(client, sealed.envelope_id, sealed.data).status_code == 201


def _raw_put(creds: DeviceCredentials, head: bytes) -> tuple[bytes, bytes]:
    ctx = tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )
    host, port = creds.backend_url.removeprefix("https://").rsplit(":", 1)
    with (
        socket.create_connection((host, int(port))) as raw,
        ctx.wrap_socket(raw, server_hostname=host) as sock,
    ):
        sock.sendall(head)
        return read_response(sock)


def test_oversized_or_bad_content_length_is_refused_unread(creds: DeviceCredentials) -> None:
    """A declared 1 TB body is refused from its head alone (nothing is buffered)."""
    url = f"/v1/envelopes/{sealing.new_envelope_id()}".encode()
    head, body = _raw_put(
        creds, b"PUT " + url + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\nKOFE"
    )
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["code"] == "too_large"


# ---------------------------------------------------------------- property test


@st.composite
def _mutations(draw: st.DrawFn, size: int) -> list[tuple[str, int, int]]:
    """A few edits: flip a byte, insert bytes, delete a range, truncate."""
    kinds = st.sampled_from(["flip", "insert", "delete", "truncate", "header"])
    edits = st.tuples(kinds, st.integers(0, size - 1), st.integers(0, 255))
    return draw(st.lists(edits, min_size=1, max_size=4))


_HEADER_VALUES = st.sampled_from(
    [
        b"1e400",
        b"NaN",
        b"-Infinity",
        b"[" * 1500 + b"]" * 1500,
        b'"\\n"',
        b"null",
        b"{}",
        b"1" * 30,
        b"1.0",
        b"true",
    ]
)
_KEYS = ("case_type", "created", "device_id", "envelope_id", "key_id", "schema_version", "v")


def _replace_value(header: bytes, key: str, value: bytes) -> bytes:
    """``header`` with the JSON value of ``key`` replaced by ``value`` (raw bytes)."""
    start = header.index(b'"' + key.encode() + b'":') + len(key) + 3
    end = header.find(b',"', start)
    end = len(header) - 1 if end < 0 else end
    return header[:start] + value + header[end:]


def _apply(data: bytes, edits: list[tuple[str, int, int]], header_value: bytes) -> bytes:
    out = bytearray(data)
    for kind, pos, byte in edits:
        pos = min(pos, max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[pos] ^= byte or 1
        elif kind == "insert":
            out[pos:pos] = bytes([byte]) * (1 + byte % 7)
        elif kind == "delete":
            del out[pos : pos + 1 + byte % 9]
        elif kind == "truncate":
            del out[pos:]
        elif kind == "header":
            # one header value replaced by a hostile one, framed with the right length
            try:
                env = sealing.parse_envelope(bytes(out))
            except CryptoError:
                continue
            header = _replace_value(env.header_bytes, _KEYS[byte % len(_KEYS)], header_value)
            out = bytearray(_frame(header, env.signature, env.ciphertext))
    return bytes(out)


def test_mutated_envelopes_never_5xx_never_accepted(
    client: httpx.Client, creds: DeviceCredentials, backend: Backend
) -> None:
    sealed = _seal(creds)
    assert _put(client, sealed.envelope_id, sealed.data).status_code == 201
    ids = st.sampled_from(
        [sealed.envelope_id, sealed.envelope_id.upper(), sealed.envelope_id + "%0A", "x"]
    )

    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(edits=_mutations(len(sealed.data)), header_value=_HEADER_VALUES, envelope_id=ids)
    def check(edits: list[tuple[str, int, int]], header_value: bytes, envelope_id: str) -> None:
        mutated = _apply(sealed.data, edits, header_value)
        answer = _put(client, envelope_id, mutated)
        assert answer.status_code < 500, answer.text
        if answer.status_code in (200, 201):
            assert mutated == sealed.data and envelope_id == sealed.envelope_id
        else:
            assert 400 <= answer.status_code < 500
            assert answer.json()["code"]

    check()
    assert backend.intake.stats()["total"] == 1
