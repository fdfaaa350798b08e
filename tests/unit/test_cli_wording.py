"""Plain German in command-line messages: real plurals, no "(r)"/"(n)" brackets."""

from __future__ import annotations

import re

from koffer.commands.wipe import _unsent_words

BRACKETED = re.compile(r"\w\((e|en|n|r|s)\)")


def test_unsent_envelopes_are_counted_in_plain_german() -> None:
    assert _unsent_words(1) == "1 versiegelter Vorgang wurde"
    assert _unsent_words(3) == "3 versiegelte Vorgänge wurden"
    for n in (1, 2, 10):
        assert BRACKETED.search(_unsent_words(n)) is None
