"""``koffer demo --offscreen --screenshots DIR``: one command, no configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from koffer.kiosk.demo.embedded_backend import start_for_demo
from koffer.store import Store, StoreSettings

REGISTRATION_SHOTS = (
    "16-review.png",
    "17-completion-printed.png",
    "18-outbox.png",
    "21-technician-selftest.png",
    "22-admin.png",
)
AUSWEIS_SHOTS = (
    "24-ausweis-person.png",
    "25-ausweis-photo-preview.png",
    "26-ausweis-photo.png",
    "27-ausweis-fingerprints-exemption.png",
    "28-ausweis-fingerprints.png",
    "29-ausweis-signature.png",
    "30-ausweis-fee.png",
    "31-ausweis-pin.png",
    "32-ausweis-payment.png",
    "33-ausweis-review.png",
    "34-ausweis-completion.png",
    "35-hauptwohnung-dwelling.png",
    "36-hauptwohnung-others.png",
    "37-hauptwohnung-check.png",
)


def test_embedded_backend_enrolls_the_demo_suitcase(tmp_path: Path) -> None:
    settings = StoreSettings.insecure_fast()
    Store.create(tmp_path, "demo", "demo-passphrase", settings)
    backend = start_for_demo(tmp_path, "demo", "demo-passphrase", settings)
    try:
        assert backend.reachable()
        assert (tmp_path / "gegenstelle").is_dir()
        from koffer.enrollment import device

        with Store.open(tmp_path, settings) as store, store.unlock("demo", "demo-passphrase") as u:
            creds = device.load_credentials(u)
            assert creds is not None and creds.backend_url == backend.url
    finally:
        backend.stop()
    assert not backend.reachable()


def test_demo_walks_every_flow_headless(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
            "demo",
            "--offscreen",
            "--data-dir",
            str(tmp_path / "data"),
            "--screenshots",
            str(shots),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in REGISTRATION_SHOTS + AUSWEIS_SHOTS:
        assert (shots / name).stat().st_size > 10_000, name
    assert len(list(shots.glob("*.png"))) == 37
    # it says where the PNGs went: the count and the absolute directory
    assert f"37 Bildschirmfotos (PNG) gespeichert in {shots.resolve()}" in result.stdout
    assert "propagateSizeHints" not in result.stderr  # the offscreen noise is filtered
