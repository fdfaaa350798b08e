"""Configurable rule values (table ``[rules]`` of the configuration file).

Every value whose legal basis the domain page marks **[unverified]** or which
is local practice is configurable here; the defaults follow the domain page.

=========================  =======  ==================================================
key                        default  meaning
=========================  =======  ==================================================
late_registration_days     14       Anmeldung / change later than this after the move
                                    gives a warning (§ 17 Abs. 1 BMG, § 54 BMG)
abmeldung_earliest_days    7        Abmeldung at most this many days before Auszug
late_abmeldung_days        14       Abmeldung later than this after Auszug: warning
self_registration_min_age  16       from this age a person registers themselves
adult_age                  18       age of the adult who registers persons under 16
signature_min_age          10       [unverified] no ID-card signature below this age
fingerprint_min_age        6        no fingerprints below this age
direct_delivery_min_age    16       Direktversand of a Personalausweis from this age
max_captures_per_finger    3        captures per finger (BSI: 3, best kept)
joint_custody_consent      true     [unverified] with gemeinsame Sorge and one
                                    representative present, the other holder's
                                    consent must be recorded (PAuswG § 9, PassG § 6)
passport_double_48_pages   false    [unverified] at a non-competent authority the
                                    48-page add-on (PassV § 27 Abs. 1 Nr. 1 c) is
                                    doubled with the base fee (§ 27 Abs. 2 Nr. 2)
passport_surcharges_stack  false    [unverified] outside office hours and at a
                                    non-competent authority each add a doubling to a
                                    vorläufiger Reisepass (§ 27 Abs. 2 Nr. 1 and 2)
=========================  =======  ==================================================

The two passport readings are recorded in each Reisepass application
(:attr:`~koffer.cases.model.PassportApplication.fee_rules`), so every later
check (completion, back end) computes the fee the citizen was charged.
"""

from __future__ import annotations

from dataclasses import dataclass

from koffer.cases.passport import PassportFeeRules
from koffer.config import Config


@dataclass(frozen=True)
class RuleSettings:
    late_registration_days: int = 14
    abmeldung_earliest_days: int = 7
    late_abmeldung_days: int = 14
    self_registration_min_age: int = 16
    adult_age: int = 18
    signature_min_age: int = 10
    fingerprint_min_age: int = 6
    direct_delivery_min_age: int = 16
    max_captures_per_finger: int = 3
    joint_custody_consent: bool = True
    passport_double_48_pages: bool = False
    passport_surcharges_stack: bool = False

    @property
    def passport_fee_rules(self) -> PassportFeeRules:
        """The readings of § 27 Abs. 2 PassV for a new Reisepass application."""
        return PassportFeeRules(
            double_48_pages=self.passport_double_48_pages,
            surcharges_stack=self.passport_surcharges_stack,
        )

    @classmethod
    def from_config(cls, config: Config) -> RuleSettings:
        """Read ``[rules]``; unknown keys and bad values raise ``ConfigError``."""
        d = cls()
        r = config.reader("rules")
        settings = cls(
            late_registration_days=r.integer(
                "late_registration_days", d.late_registration_days, minimum=0, maximum=365
            ),
            abmeldung_earliest_days=r.integer(
                "abmeldung_earliest_days", d.abmeldung_earliest_days, minimum=0, maximum=365
            ),
            late_abmeldung_days=r.integer(
                "late_abmeldung_days", d.late_abmeldung_days, minimum=0, maximum=365
            ),
            self_registration_min_age=r.integer(
                "self_registration_min_age", d.self_registration_min_age, minimum=0, maximum=18
            ),
            adult_age=r.integer("adult_age", d.adult_age, minimum=14, maximum=21),
            signature_min_age=r.integer(
                "signature_min_age", d.signature_min_age, minimum=0, maximum=18
            ),
            fingerprint_min_age=r.integer(
                "fingerprint_min_age", d.fingerprint_min_age, minimum=0, maximum=18
            ),
            direct_delivery_min_age=r.integer(
                "direct_delivery_min_age", d.direct_delivery_min_age, minimum=0, maximum=18
            ),
            max_captures_per_finger=r.integer(
                "max_captures_per_finger", d.max_captures_per_finger, minimum=1, maximum=10
            ),
            joint_custody_consent=r.boolean("joint_custody_consent", d.joint_custody_consent),
            passport_double_48_pages=r.boolean(
                "passport_double_48_pages", d.passport_double_48_pages
            ),
            passport_surcharges_stack=r.boolean(
                "passport_surcharges_stack", d.passport_surcharges_stack
            ),
        )
        r.finish()
        return settings
