"""``koffer init`` and ``koffer accounts …``: set up the store, manage accounts.

::

    koffer init --data-dir DIR [--admin NAME] [--passphrase-file F]
    koffer accounts list [--json]
    koffer accounts add NAME --role clerk|technician|admin [--new-passphrase-file F]
    koffer accounts disable NAME
    koffer accounts unlock NAME
    koffer accounts reset-passphrase NAME [--new-passphrase-file F]
    koffer accounts recover NAME [--recovery-code-file F] [--new-passphrase-file F]
    koffer accounts policy [--argon2-memory-kib N ...]   # show, or change as admin
    koffer accounts recovery-code                        # a new recovery code (admin)

Commands that change accounts unlock the store as ``--account`` (default
``admin``) with ``--passphrase-file`` or a prompt.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from koffer import labels
from koffer.commands import common
from koffer.commands.parser import args_language
from koffer.commands.unlock import unlocked
from koffer.crypto.kdf import Argon2Params
from koffer.errors import ConfigError
from koffer.store import tpm_slot
from koffer.store.policy import SecurityPolicy
from koffer.store.records import ROLES, AccountInfo
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

DEFAULT_ADMIN = "admin"
#: ``koffer accounts policy`` options (the policy keys of ``[store]``)
POLICY_OPTIONS: dict[str, type[int] | type[float]] = {
    "argon2_memory_kib": int,
    "argon2_iterations": int,
    "argon2_lanes": int,
    "max_failed_attempts": int,
    "throttle_base_seconds": float,
    "throttle_max_seconds": float,
}
RECOVERY_NOTICE = (
    "Wiederherstellungscode (wird nur jetzt angezeigt): {code}\n"
    "Schreiben Sie ihn auf Papier und bewahren Sie ihn verschlossen getrennt vom Koffer "
    "auf. Mit ihm erhält ein gesperrtes Administrator-Konto eine neue Passphrase "
    "(`koffer accounts recover NAME`)."
)


def _common(parser: argparse.ArgumentParser) -> None:
    common.add_data_dir(parser)
    common.add_config(parser)


def _acting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--account",
        default=DEFAULT_ADMIN,
        metavar="NAME",
        help=f"Administrator-Konto, das die Änderung vornimmt (Standard: {DEFAULT_ADMIN})",
    )
    common.add_passphrase_file(parser)


def _new_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help="neue Passphrase aus dieser Datei lesen statt nachzufragen",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser("init", help="Datenbestand und erstes Administrator-Konto anlegen")
    _common(init)
    init.add_argument(
        "--admin",
        default=DEFAULT_ADMIN,
        metavar="NAME",
        help=f"Name des ersten Administrator-Kontos (Standard: {DEFAULT_ADMIN})",
    )
    common.add_passphrase_file(init)
    init.add_argument(
        "--tpm",
        metavar="TCTI",
        help="Datenbestand an diesen TPM 2.0 binden, z. B. device:/dev/tpmrm0 "
        "(ohne: kein TPM-Schutz)",
    )
    init.set_defaults(func=cmd_init)

    accounts = sub.add_parser("accounts", help="Konten verwalten")
    acc = accounts.add_subparsers(dest="accounts_command", metavar="AKTION", required=True)

    listing = acc.add_parser("list", help="Konten anzeigen")
    _common(listing)
    listing.add_argument("--json", action="store_true", help="Ausgabe als JSON")
    listing.set_defaults(func=cmd_list)

    add = acc.add_parser("add", help="Konto anlegen")
    _common(add)
    add.add_argument("name", metavar="NAME", help="Name des neuen Kontos")
    add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help=f"Rolle des neuen Kontos: {labels.role_choices()}",
    )
    _new_passphrase_option(add)
    _acting(add)
    add.set_defaults(func=cmd_add)

    disable = acc.add_parser("disable", help="Konto deaktivieren")
    _common(disable)
    disable.add_argument("name", metavar="NAME")
    _acting(disable)
    disable.set_defaults(func=cmd_disable)

    unlock = acc.add_parser("unlock", help="gesperrtes Konto entsperren")
    _common(unlock)
    unlock.add_argument("name", metavar="NAME")
    _acting(unlock)
    unlock.set_defaults(func=cmd_unlock)

    reset = acc.add_parser("reset-passphrase", help="Passphrase eines Kontos neu setzen")
    _common(reset)
    reset.add_argument("name", metavar="NAME")
    _new_passphrase_option(reset)
    _acting(reset)
    reset.set_defaults(func=cmd_reset_passphrase)

    recover = acc.add_parser(
        "recover",
        help="mit dem Wiederherstellungscode einem Administrator-Konto eine neue Passphrase geben",
    )
    _common(recover)
    recover.add_argument("name", metavar="NAME", help="Administrator-Konto")
    recover.add_argument(
        "--recovery-code-file",
        metavar="FILE",
        help="Wiederherstellungscode aus dieser Datei lesen statt nachzufragen",
    )
    _new_passphrase_option(recover)
    recover.set_defaults(func=cmd_recover)

    policy = acc.add_parser(
        "policy",
        help="Sicherheitseinstellungen des Datenbestands anzeigen oder (als Administrator) ändern",
    )
    _common(policy)
    for key, kind in POLICY_OPTIONS.items():
        policy.add_argument("--" + key.replace("_", "-"), type=kind, metavar="WERT")
    _acting(policy)
    policy.set_defaults(func=cmd_policy)

    renew = acc.add_parser(
        "recovery-code", help="neuen Wiederherstellungscode erzeugen (der alte wird ungültig)"
    )
    _common(renew)
    _acting(renew)
    renew.set_defaults(func=cmd_recovery_code)


# -- helpers -----------------------------------------------------------------


def _settings(args: argparse.Namespace) -> StoreSettings:
    return StoreSettings.from_config(common.config(args))


def _new_passphrase(args: argparse.Namespace, name: str) -> str:
    file = getattr(args, "new_passphrase_file", None)
    if file:
        return common.read_passphrase_file(Path(file))
    return common.ask_new_secret(f"Neue Passphrase für {name}: ", "Neue Passphrase wiederholen: ")


def _status(info: AccountInfo, language: str = "de") -> str:
    en = language == "en"
    if info.disabled:
        return "disabled" if en else "deaktiviert"
    if info.locked:
        return "locked" if en else "gesperrt"
    return "active" if en else "aktiv"


# -- handlers ----------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    data_dir = common.data_dir(args)
    settings = _settings(args)
    Store.ensure_absent(data_dir)  # refuse before asking for a passphrase
    if args.tpm:
        tpm_slot.probe(args.tpm)  # ... and before it if the TPM is not there
    # without a terminal: one line of stdin, or a German refusal (common._ask)
    secret = common.passphrase(
        args, f"Neue Passphrase für {args.admin}: ", confirm=not args.passphrase_file
    )
    code = Store.create(data_dir, args.admin, secret, settings, tpm_tcti=args.tpm or None)
    print(f"Datenbestand angelegt in {data_dir}. Administrator-Konto: {args.admin}")
    print(tpm_slot.INIT_WITH_TPM if args.tpm else tpm_slot.INIT_WITHOUT_TPM)
    print(RECOVERY_NOTICE.format(code=code))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with Store.open(common.data_dir(args), _settings(args)) as store:
        accounts = store.list_accounts()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": a.name,
                        "role": a.role,
                        "disabled": a.disabled,
                        "locked": a.locked,
                        "failed_attempts": a.failed_attempts,
                    }
                    for a in accounts
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    width = max((len(a.name) for a in accounts), default=5)
    language = args_language(args)
    account, role = ("Account", "Role") if language == "en" else ("Konto", "Rolle")
    width = max(width, len(account))
    print(f"{account:<{width}}  {role:<15}  Status")
    for a in accounts:
        print(f"{a.name:<{width}}  {labels.role(a.role, language):<15}  {_status(a, language)}")
    return 0


def _as_admin(args: argparse.Namespace, action: str, name: str) -> int:
    with unlocked(args, _settings(args)) as admin:
        if action == "add":
            admin.add_account(name, args.role, _new_passphrase(args, name))
            print(f"Konto {name} ({labels.role(args.role)}) angelegt.")
        elif action == "disable":
            admin.disable_account(name)
            print(f"Konto {name} deaktiviert.")
        elif action == "unlock":
            admin.unlock_account(name)
            print(f"Konto {name} entsperrt.")
        elif action == "reset":
            admin.reset_passphrase(name, _new_passphrase(args, name))
            print(f"Passphrase von Konto {name} neu gesetzt.")
        else:  # pragma: no cover - only the handlers below call this
            raise ValueError(action)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    return _as_admin(args, "add", args.name)


def cmd_disable(args: argparse.Namespace) -> int:
    return _as_admin(args, "disable", args.name)


def cmd_unlock(args: argparse.Namespace) -> int:
    return _as_admin(args, "unlock", args.name)


def cmd_reset_passphrase(args: argparse.Namespace) -> int:
    return _as_admin(args, "reset", args.name)


def cmd_recover(args: argparse.Namespace) -> int:
    with Store.open(common.data_dir(args), _settings(args)) as store:
        if args.recovery_code_file:
            code = common.read_passphrase_file(Path(args.recovery_code_file))
        else:
            code = common.ask_secret(
                "Wiederherstellungscode: ",
                common.no_terminal(
                    "Der Wiederherstellungscode", "the recovery code", "--recovery-code-file"
                ),
            )
        new_code = store.recover(code, args.name, _new_passphrase(args, args.name))
    print(f"Konto {args.name} hat eine neue Passphrase und ist entsperrt.")
    print("Der bisherige Wiederherstellungscode gilt nicht mehr.")
    print(RECOVERY_NOTICE.format(code=new_code))
    return 0


def _print_policy(policy: SecurityPolicy) -> None:
    for key, value in policy.values().items():
        print(f"{key} = {value:g}")


def cmd_policy(args: argparse.Namespace) -> int:
    changes = {k: getattr(args, k) for k in POLICY_OPTIONS if getattr(args, k) is not None}
    with Store.open(common.data_dir(args), _settings(args)) as store:
        if not changes:
            _print_policy(store.policy())
            return 0
        secret = common.passphrase(args, f"Passphrase für {args.account}: ")
        with store.unlock(args.account, secret) as unlocked:
            values = {**unlocked.policy().values(), **changes}
            try:
                params = Argon2Params(
                    memory_kib=int(values["argon2_memory_kib"]),
                    iterations=int(values["argon2_iterations"]),
                    lanes=int(values["argon2_lanes"]),
                )
            except ValueError as exc:
                raise ConfigError(
                    "Diese Argon2id-Werte sind ungültig (mindestens 1 Durchlauf, 1 Spur und "
                    "8 KiB je Spur).",
                    message_en="Invalid Argon2id values.",
                ) from exc
            new = SecurityPolicy(
                argon2=params,
                max_failed_attempts=int(values["max_failed_attempts"]),
                throttle_base_seconds=float(values["throttle_base_seconds"]),
                throttle_max_seconds=float(values["throttle_max_seconds"]),
            )
            unlocked.set_policy(new)
    print("Sicherheitseinstellungen geändert:")
    _print_policy(new)
    return 0


def cmd_recovery_code(args: argparse.Namespace) -> int:
    with unlocked(args, _settings(args)) as store:
        code = store.renew_recovery_code()
    print("Der bisherige Wiederherstellungscode gilt nicht mehr.")
    print(RECOVERY_NOTICE.format(code=code))
    return 0
