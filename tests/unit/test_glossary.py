"""One word for each thing: the variants ``docs/glossar.md`` forbids appear nowhere a person reads.

The glossary's tables end with a column "nicht verwenden" listing, in
backticks, the variants not to use. This test reads that column from the
glossary itself (so a new entry is checked at once) and looks for each
variant, as a whole word, in

- every German string literal of ``koffer/`` (kiosk ``tr()`` texts, error
  messages, ``--help`` texts, printed lines), found with :mod:`ast`:
  docstrings, the English ``message_en=`` texts, logging calls and strings
  without a German word (identifiers, English log lines) are not German
  user-facing text and are skipped;
- ``docs/betrieb.md`` (the README is English), outside code
  blocks and inline code, which show commands and identifiers).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossar.md"
PACKAGE = ROOT / "koffer"
DOCUMENTS = (ROOT / "docs" / "betrieb.md",)

#: a string is German text when it has an umlaut or ß or one of these words
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b([Dd]er|[Dd]ie|[Dd]as|[Dd]en|[Dd]em|[Dd]es|und|oder|nicht|ist|sind|wird|"
    r"werden|wurde|[Bb]itte|Sie|Ihre?|[Kk]eine?|[Mm]it|[Ff]ür|[Vv]on|[Aa]uf|[Nn]och|beim|zum|zur)\b"
)

#: keyword arguments whose strings are English (the ``--lang en`` side)
ENGLISH_KEYWORDS = frozenset({"message_en", "detail_en", "text_en", "en", "hint_en"})

#: calls whose strings go to the log (English, for the technician's journal)
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})


def banned_variants() -> list[str]:
    """Every backticked term of the "nicht verwenden" column of the glossary's tables."""
    variants: list[str] = []
    column: int | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            column = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if column is None:
            column = cells.index("nicht verwenden") if "nicht verwenden" in cells else -1
            continue
        if column < 0 or set("".join(cells)) <= set("-: "):
            continue
        variants += re.findall(r"`([^`]+)`", cells[column])
    return variants


def _pattern(variant: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(variant)}(?![\w-])")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _skipped(tree: ast.AST) -> set[int]:
    """Ids of the string nodes that are not German user-facing text."""
    skipped = _docstrings(tree)
    for node in ast.walk(tree):
        parts: list[ast.AST] = []
        if isinstance(node, ast.keyword) and node.arg in ENGLISH_KEYWORDS:
            parts.append(node.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("log", "logger", "logging", "_log")
        ):
            parts += node.args
        for part in parts:
            skipped |= {id(n) for n in ast.walk(part)}
    return skipped


def german_strings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every German string literal of ``path`` that a person may read."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _skipped(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                for v in node.values
            )
            skipped |= {id(v) for v in node.values}
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            text = node.value
        else:
            continue
        if GERMAN.search(text):
            yield node.lineno, text


def _prose(markdown: str) -> Iterator[tuple[int, str]]:
    """The lines of ``markdown`` outside code blocks, inline code removed."""
    fenced = False
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "", line)


def test_the_glossary_lists_the_variants_of_the_issue() -> None:
    variants = banned_variants()
    for expected in (
        "Unterschriftenpad",
        "Anmeldecode",
        "Fall",
        "Belegdrucker",
        "Outbox",
        "Backend",
        "sealed",
        "purged",
        "Admin-Konto",
    ):
        assert expected in variants, expected
    assert len(variants) == len(set(variants)), "a variant is listed twice"


def test_the_scanner_finds_a_variant_and_skips_what_is_not_german_text(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docstring: the Unterschriftenpad of the module."""\n'
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        'A = "Das Unterschriftenpad antwortet nicht."\n'
        'B = KofferError("Der Fall bleibt.", message_en="The Outbox keeps it.")\n'
        'log.warning("Unterschriftenpad: %s", "nicht da")\n'
        'C = f"Bitte {x} am Unterschriften-Pad."\n'
        'D = "sealed"\n',
        encoding="utf-8",
    )
    texts = dict(german_strings(sample))
    assert set(texts) == {4, 5, 7}
    found = [
        (line, v)
        for line, text in texts.items()
        for v in banned_variants()
        if _pattern(v).search(text)
    ]
    assert sorted(found) == [(4, "Unterschriftenpad"), (5, "Fall")]


def test_no_banned_variant_in_the_german_texts_of_koffer() -> None:
    variants = [(v, _pattern(v)) for v in banned_variants()]
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, text in german_strings(path):
            for variant, pattern in variants:
                if pattern.search(text):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {variant!r} in {text!r}")
    assert found == [], "\n".join(found)


def test_no_banned_variant_in_the_operations_guide() -> None:
    variants = [(v, _pattern(v)) for v in banned_variants()]
    found: list[str] = []
    for document in DOCUMENTS:
        for line, text in _prose(document.read_text(encoding="utf-8")):
            for variant, pattern in variants:
                if pattern.search(text):
                    found.append(f"{document.name}:{line}: {variant!r} in {text.strip()!r}")
    assert found == [], "\n".join(found)
