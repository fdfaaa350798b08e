"""``koffer simulate-visit``: a headless outreach visit.

Through the same services the kiosk uses: the encrypted store (each case
saved as a draft with its attachments), the capture pipelines of
:mod:`koffer.devices` for attachments (synthetic finger and face images →
WSQ and JPEG; a rendered signature), and the kiosk's completion
(:func:`koffer.casework.completion.complete_case`: rules, documents,
sealing into the outbox with crypto-shredding); ``--print`` sends the
documents to the configured A4 printer (``--simulate``: the simulated one),
``--sync`` sends afterwards. A case an earlier run left
completed but unsealed (the process was killed in between) is sealed first
(:func:`koffer.casework.sealing.reseal_completed`). ``--pay cash|card|invoice``
pays every fee of the visit that way before its case is completed
(:mod:`koffer.casework.payment`; card through the configured terminal,
``--simulate``: the simulated one; open card intents of an earlier run are
settled first). Prints a JSON summary (no personal data). The suitcase must
be enrolled unless ``--no-seal`` is given.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from koffer.cases.enums import CaseType
from koffer.cases.model import PassportApplication
from koffer.cases.people_file import person_from_json
from koffer.cases.person import Person
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.cases.settings import RuleSettings
from koffer.casework.case_store import CaseStore
from koffer.casework.completion import complete_case
from koffer.casework.passport_draft import passport_fee
from koffer.casework.payment import PAY_METHODS, FeePayments
from koffer.casework.sealing import reseal_completed, seal_completed
from koffer.casework.services import CaseServices
from koffer.commands import common
from koffer.commands.unlock import unlocked
from koffer.crypto.enrollment import DeviceCredentials
from koffer.devices.interfaces import DocumentPrinter, GreyImage
from koffer.devices.pipelines.fingerprint import encode_wsq
from koffer.devices.pipelines.photo import encode_jpeg
from koffer.devices.synthetic import face_image, fingerprint_pixels
from koffer.documents.settings import MunicipalitySettings
from koffer.enrollment import device
from koffer.errors import ConfigError, ValidationError
from koffer.payment.terminal import configured_terminal, optional_terminal
from koffer.queue.outbox import Outbox, OutboxEntry
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Timeouts, Transmitter
from koffer.store.settings import StoreSettings
from koffer.store.unlocked import INITIAL_STATE, UnlockedStore

CASE_TYPES = ("anmeldung", "abmeldung", "personalausweis", "reisepass")
#: what ``--case-type mixed`` cycles through (kept as it was, so that the figures
#: of earlier runs stay comparable; a list such as ``anmeldung,reisepass`` mixes others)
MIXED = ("anmeldung", "abmeldung", "personalausweis")


def case_kinds(value: str) -> tuple[str, ...]:
    """``--case-type``: one case type, ``mixed`` or a comma-separated list to cycle through."""
    if value == "mixed":
        return MIXED
    kinds = tuple(part.strip() for part in value.split(","))
    if any(kind not in CASE_TYPES for kind in kinds):
        raise argparse.ArgumentTypeError(
            f"»{value}« ist keine Vorgangsart. Möglich: {', '.join(CASE_TYPES)}, mixed "
            "oder mehrere durch Komma, z. B. anmeldung,reisepass."
        )
    return kinds


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("simulate-visit", help="Außentermin ohne Oberfläche durchspielen")
    common.add_data_dir(p)
    common.add_config(p)
    common.add_passphrase_file(p)
    p.add_argument("--account", default="admin", metavar="NAME")
    p.add_argument("--cases", type=int, required=True, metavar="N")
    p.add_argument("--people", metavar="FILE.jsonl", help="Personen aus Datei (eine je Zeile)")
    p.add_argument(
        "--case-type",
        type=case_kinds,
        default=MIXED,
        metavar="ART[,ART…]",
        help=f"{', '.join(CASE_TYPES)} oder mixed (Vorgabe: {', '.join(MIXED)}); "
        "mehrere durch Komma werden abwechselnd erfasst",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sync", action="store_true", help="danach an die Gegenstelle senden")
    p.add_argument("--no-seal", action="store_true", help="nur erfassen, nicht versiegeln")
    p.add_argument(
        "--print", action="store_true", help="Dokumente auf dem eingerichteten A4-Drucker drucken"
    )
    p.add_argument(
        "--simulate", action="store_true", help="simulierte Geräte (Drucker, Kartenterminal)"
    )
    p.add_argument(
        "--pay",
        choices=PAY_METHODS,
        help="jede Gebühr so bezahlen (bar, Karte über das Kartenterminal, Rechnung)",
    )
    p.set_defaults(func=run)


def read_people(path: Path) -> list[Person]:
    people: list[Person] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(
            f"Personendatei kann nicht gelesen werden: {path}",
            message_en=f"Cannot read people file: {path}",
        ) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            people.append(person_from_json(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"Personendatei, Zeile {number}: kein gültiges JSON.",
                message_en=f"People file, line {number}: not valid JSON.",
            ) from exc
    return people


def _signature_png(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    points = [(20 + i * 14, 100 + rng.randint(-60, 60)) for i in range(40)]
    draw.line(points, fill=0, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _strokes(seed: int) -> bytes:
    rng = random.Random(seed)
    samples = [
        [i * 5, rng.randint(0, 2000), rng.randint(0, 1000), rng.randint(0, 1023)]
        for i in range(400)
    ]
    return json.dumps({"format": "t,x,y,pressure", "samples": samples}).encode()


def capture_attachments(payload: dict[str, Any], seed: int) -> dict[str, bytes]:
    """Attachments through the capture pipelines (synthetic sensor images)."""
    out: dict[str, bytes] = {}
    for i, entry in enumerate(payload.get("fingerprints") or []):
        pixels = fingerprint_pixels(400, 500, seed=seed * 10 + i)
        out[entry["attachment"]] = encode_wsq(GreyImage(400, 500, pixels, 500))
    photo = payload.get("photo")
    if isinstance(photo, dict) and photo.get("attachment"):
        out[photo["attachment"]] = encode_jpeg(face_image(413, 531))
    for name in payload.get("signature_attachments") or []:
        out[name] = _strokes(seed) if name.endswith(".json") else _signature_png(seed)
    return out


@dataclass
class Visit:
    """What :func:`simulate` did (non-personal: ids and counts only)."""

    ids: list[str] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    documents: int = 0
    printed: int = 0
    #: cases a rule refused or whose data is damaged (they stay drafts, as in the
    #: kiosk): English message -> count
    refused: dict[str, int] = field(default_factory=dict)


@dataclass
class _Completer:
    """Completes cases of one run as the kiosk does, and counts what happened."""

    store: UnlockedStore
    services: CaseServices
    creds: DeviceCredentials | None
    print_documents: bool
    case_store: CaseStore
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    payments: FeePayments | None = None
    rules: RuleSettings = field(default_factory=RuleSettings)

    def seal(self, unlocked: UnlockedStore, case_id: str) -> OutboxEntry:
        return seal_completed(
            unlocked, case_id, creds=self.creds, settings=self.services.transmission
        )

    def complete(
        self, case_id: str, kind: str, visit: Visit, payload: dict[str, Any] | None = None
    ) -> None:
        if self.payments is not None:
            if payload is None:
                payload = self.store.load_case(case_id).payload
            self.payments.pay(self.store.case_meta(case_id).case_number, payload)
        try:
            completion = complete_case(
                self.case_store,
                case_id,
                self.today,
                self.services.municipality,
                seal=self.seal if self.creds is not None else None,
                rules=self.rules,
            )
        except ValidationError as exc:  # a rule (RuleViolation) or damaged case data
            visit.refused[exc.message_en] = visit.refused.get(exc.message_en, 0) + 1
            return
        visit.documents += len(completion.documents)
        if self.print_documents:
            for document in completion.documents:
                self.services.print_document(document)
                visit.printed += 1
        visit.ids.append(case_id)
        visit.by_type[kind] = visit.by_type.get(kind, 0) + 1

    def capture(
        self, cases: int, case_type: str | tuple[str, ...], people: list[Person] | None, seed: int
    ) -> Visit:
        kinds = case_kinds(case_type) if isinstance(case_type, str) else case_type
        visit = Visit()
        started = time.perf_counter()
        for n in range(cases):
            kind = kinds[n % len(kinds)]
            persons = None
            if people:
                persons = [people[n % len(people)]]
            case = sample_case(CaseType(kind), seed * 100_000 + n, self.today, persons)
            if isinstance(case, PassportApplication):  # the configured fee readings
                case.fee_rules = self.rules.passport_fee_rules
                case.fee_amount = passport_fee(case)
            payload = case_to_dict(case)
            case_id = self.store.create_case(kind, payload, capture_attachments(payload, seed + n))
            self.complete(case_id, kind, visit, payload)
        visit.seconds = time.perf_counter() - started
        return visit

    def finish_left(self) -> Visit:
        visit = Visit()
        for meta in self.store.list_cases([INITIAL_STATE]):
            if not meta.readable:
                continue
            if "schema_version" in self.store.load_case(meta.case_id).payload:
                self.complete(meta.case_id, meta.case_type, visit)
        return visit


def _completer(
    store: UnlockedStore,
    seal: bool,
    services: CaseServices | None,
    print_documents: bool,
    account: str,
    payments: FeePayments | None = None,
) -> _Completer:
    if services is None:
        services = CaseServices(MunicipalitySettings(), TransmissionSettings(), _no_printer)
    creds = device.require_credentials(store) if seal else None
    Outbox.open(store)  # crash recovery of the outbox itself
    case_store = CaseStore(store, account, store.account.role)
    return _Completer(store, services, creds, print_documents, case_store, payments=payments)


def simulate(
    store: UnlockedStore,
    *,
    cases: int,
    case_type: str | tuple[str, ...],
    people: list[Person] | None,
    seed: int,
    seal: bool,
    services: CaseServices | None = None,
    print_documents: bool = False,
    account: str = "admin",
    payments: FeePayments | None = None,
) -> Visit:
    """Capture ``cases`` cases and complete each as the kiosk does.

    Each case is saved as a draft with its attachments, then completed by
    :func:`koffer.casework.completion.complete_case`: rules, state
    transitions, documents, sealing into the outbox. With ``print_documents``
    the documents go to the configured A4 printer of ``services``; with
    ``payments`` each fee is paid before its case is completed.
    """
    completer = _completer(store, seal, services, print_documents, account, payments)
    return completer.capture(cases, case_type, people, seed)


def finish_left_drafts(
    store: UnlockedStore,
    *,
    seal: bool,
    services: CaseServices | None = None,
    print_documents: bool = False,
    account: str = "admin",
) -> Visit:
    """Complete the drafts an earlier run left when it was killed.

    Only drafts whose payload is a whole case (as :func:`simulate` saves
    them) are completed; the kiosk's own drafts wait for the clerk.
    """
    return _completer(store, seal, services, print_documents, account).finish_left()


def _no_printer() -> DocumentPrinter:
    raise ConfigError(
        "Zum Drucken ist kein A4-Drucker eingerichtet.",
        message_en="No A4 printer is set up for printing.",
    )


def run(args: argparse.Namespace) -> int:
    if args.cases < 0:
        raise ConfigError("--cases muss ≥ 0 sein.", message_en="--cases must be ≥ 0.")
    config = common.config(args)
    people = read_people(Path(args.people)) if args.people else None
    with unlocked(args, StoreSettings.from_config(config)) as store:
        # a case an earlier run left completed but unsealed (killed) is sealed first
        resealed = None
        if not args.no_seal:
            resealed = reseal_completed(store, TransmissionSettings.from_config(config))
        services = CaseServices.from_config(config, demo=False, simulate=args.simulate)
        terminal = None
        if args.pay == "card":
            terminal = configured_terminal(config, simulate=args.simulate)
        elif args.pay is not None:  # to settle open card intents of an earlier run, if any
            terminal = optional_terminal(config, simulate=args.simulate)
        payments = None
        try:
            if args.pay is not None:
                payments = FeePayments(store, args.pay, terminal)
                payments.start()  # open card intents of an earlier run first
            completer = _completer(
                store, not args.no_seal, services, args.print, args.account, payments
            )
            completer.rules = RuleSettings.from_config(config)
            left = completer.finish_left()
            visit = completer.capture(args.cases, args.case_type, people, args.seed)
        finally:
            services.close()
            if terminal is not None:
                terminal.close()
        summary: dict[str, Any] = {
            "cases": len(visit.ids),
            "by_case_type": visit.by_type,
            "capture_and_seal_seconds": round(visit.seconds, 3),
            "documents": visit.documents,
            "printed": visit.printed,
        }
        if left.ids:
            summary["finished_left"] = len(left.ids)
        refused = Counter(left.refused) + Counter(visit.refused)
        if refused:
            summary["refused"] = dict(refused)
        if payments is not None:
            summary["payments"] = payments.counts.to_json()
        if resealed is not None:
            summary["resealed"] = len(resealed.sealed)
            if resealed.failed:
                summary["reseal_failed"] = [number for number, _de, _en in resealed.failed]
        if args.sync:
            settings = TransmissionSettings.from_config(config)
            outbox = Outbox.open(store, settings)
            creds = device.require_credentials(store)
            timeouts = Timeouts(connect=settings.connect_timeout, read=settings.read_timeout)
            with Transmitter(creds, timeouts=timeouts) as tx:
                total = {"sent": 0, "rejected": 0, "failed": 0, "dead_letter": 0}
                while True:
                    report = outbox.sync_once(tx)
                    for key, value in report.to_json().items():
                        if key in total and isinstance(value, int):
                            total[key] += value
                    if report.stopped or report.sent == 0:
                        break
            summary["sync"] = {**total, "stopped": report.stopped}
        summary["outbox"] = Outbox(store).counts()
    print(json.dumps(summary, ensure_ascii=False))
    return 0
