"""A crafted export header cannot make ``koffer enrollment import`` run a huge Argon2id.

The file is a genuine export whose header was changed to ask for 4 GiB and
100 passes. The real command runs in its own process; the refusal must come
from the header check, so the process never comes near the asked memory
(its peak RSS is read from the kernel via ``wait4``).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.crypto.kdf import Argon2Params
from koffer.enrollment import bundle as eb
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

ROOT = Path(__file__).resolve().parents[3]
EXPORT_PASS = "Ersatzkoffer für Dorf 7"
ADMIN_PASS = "korrekt-pferd-batterie"
#: generous for a Python process that imported the CLI, far below 4 GiB
MODEST_RSS_KIB = 400 * 1024


def _export() -> bytes:
    ca_key, ca_cert = tls.create_ca("Test CA")
    tls_key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(tls_key, "k"), "dev-0001")
    hpke = identity.generate_key().public_key()
    creds = DeviceCredentials(
        device_id="dev-0001",
        name="k",
        backend_url="https://registry.example:8443",
        ca_pem=tls.cert_to_pem(ca_cert),
        client_cert_pem=tls.cert_to_pem(cert),
        tls_key=tls_key,
        signing_key=identity.generate_key(),
        hpke_key_id=identity.key_id(hpke),
        hpke_public=hpke,
        receipt_public=identity.generate_key().public_key(),
    )
    bundle = eb.EnrollmentBundle(creds, (), datetime(2026, 12, 1, tzinfo=UTC))
    return eb.encode_bundle(bundle, EXPORT_PASS, Argon2Params(64, 1, 1))


def test_huge_cost_header_is_refused_by_the_real_command_without_deriving(
    tmp_path: Path,
) -> None:
    data = bytearray(_export())
    struct.pack_into(">III", data, len(eb.MAGIC) + 2, 4 * 1024 * 1024, 100, 1)
    crafted = tmp_path / "crafted.kanm"
    crafted.write_bytes(bytes(data))
    store = tmp_path / "suitcase"
    Store.create(store, "admin", ADMIN_PASS, StoreSettings.insecure_fast())
    (tmp_path / "pass").write_text(ADMIN_PASS + "\n")
    (tmp_path / "export-pass").write_text(EXPORT_PASS + "\n")
    argv = [sys.executable, "-m", "koffer.commands.cli", "enrollment", "import", str(crafted)]
    argv += ["--data-dir", str(store), "--passphrase-file", str(tmp_path / "pass")]
    argv += ["--export-passphrase-file", str(tmp_path / "export-pass")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # A forked child's peak RSS includes its parent's pages from before exec:
    # start the command from a small launcher, not from this (large) pytest
    # process, and let the launcher report the command's own peak.
    launcher = (
        "import os, sys\n"
        "pid = os.spawnv(os.P_NOWAIT, sys.argv[1], sys.argv[1:])\n"
        "_pid, status, usage = os.wait4(pid, 0)\n"
        "sys.stderr.write(f'\\nMAXRSS {usage.ru_maxrss}\\n')\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", launcher, *argv], cwd=ROOT, env=env, capture_output=True
    )
    out, err = proc.stdout, proc.stderr
    peak = int(err.decode().rsplit("MAXRSS ", 1)[1])
    text = err.decode()
    assert proc.returncode == 1, text
    assert "unzulässige Schlüsselableitung" in text
    assert "4096 MiB, 100 Durchläufe" in text
    assert "übernommen" not in out.decode()
    assert peak < MODEST_RSS_KIB, peak
