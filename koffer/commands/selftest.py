"""``koffer selftest``: check every configured device before a visit.

Usage::

    koffer selftest [--config FILE] [--simulate] [--json] [--report FILE.pdf]

Exit code 0 only when every *required* device passed; 1 when a required
device failed; 2 for configuration mistakes.

``--json`` prints one JSON array on stdout, one object per configured
device::

    [{"kind": "fingerprint", "type": "r30x", "required": true, "ok": true,
      "detail": "Fingerabdruck 256×288 bei 500 ppi erfasst, Qualität 91 (…).",
      "model": "R503", "firmware": "1.2", "serial": "…", "duration_ms": 812}]

``kind``, ``type``, ``ok`` and ``detail`` are always present; ``detail`` is
German. Without ``--json`` a table is printed. ``--report`` additionally
writes a PDF through ``koffer.documents.selftest_report.render(results)``.
See docs/selftest.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from koffer.commands.common import add_config, config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import Prompt
from koffer.devices.selftest import SelfTestResult, all_required_ok, run_selftest
from koffer.documents import selftest_report
from koffer.errors import ConfigError


class _StderrPrompt:
    """Shows driver prompts ("Bitte legen Sie den Finger auf.") to the technician."""

    def show(self, key: str, text: str) -> None:
        del key
        print(text, file=sys.stderr)

    def cancelled(self) -> bool:
        return False


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("selftest", help="alle konfigurierten Geräte prüfen")
    add_config(parser)
    parser.add_argument("--simulate", action="store_true", help="simulierte Geräte verwenden")
    parser.add_argument("--json", action="store_true", help="Ergebnis als JSON ausgeben")
    parser.add_argument("--report", metavar="FILE.pdf", help="PDF-Bericht schreiben")
    parser.set_defaults(func=handler)


def render_report(results: list[SelfTestResult]) -> bytes:
    return selftest_report.render(results)


def format_table(results: list[SelfTestResult]) -> str:
    lines = []
    for r in results:
        mark = "OK    " if r.ok else ("FEHLER" if r.required else "fehlt ")
        ident = " ".join(x for x in (r.model, r.firmware and f"FW {r.firmware}") if x)
        lines.append(f"{mark} {r.kind:<17} {r.type:<14} {ident}")
        lines.append(f"       {r.detail}")
    return "\n".join(lines)


def handler(args: argparse.Namespace) -> int:
    settings = DeviceSettings.from_config(config(args), simulate=args.simulate)
    if not settings.devices:
        raise ConfigError(
            "Es sind keine Geräte konfiguriert. Bitte ergänzen Sie [devices.…] in der "
            "Konfiguration oder verwenden Sie --simulate.",
            message_en="No devices configured; add [devices.…] tables or use --simulate.",
        )
    prompt: Prompt = _StderrPrompt()
    results = run_selftest(settings, prompt=prompt)
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    else:
        print(format_table(results))
    if args.report:
        write_report(Path(args.report), render_report(results))
    return 0 if all_required_ok(results) else 1


def write_report(path: Path, pdf: bytes) -> None:
    """Write the PDF; a path that cannot be written is a message, not a traceback."""
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        reason = "keine Schreibberechtigung" if isinstance(exc, PermissionError) else exc.strerror
        raise ConfigError(
            f"Der Bericht kann nicht geschrieben werden: {path} ({reason}). Bitte geben Sie "
            "bei --report einen Pfad an, in den Sie schreiben dürfen, z. B. "
            "--report /tmp/bericht.pdf.",
            message_en=f"Cannot write the report {path} ({exc.strerror}); "
            "choose a writable path for --report.",
        ) from exc
