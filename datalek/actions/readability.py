"""How easy a letter is to read: its sentences, their length in words, and legal terms.

Pure text functions, no database. A letter is laid out in lines, so a line break always ends a
sentence (a heading, a list item, a salutation is read on its own), and so does ``.``, ``!`` or
``?`` before a space, except after a common abbreviation ("art.", "bijv.").

The thresholds. Dutch plain-language (taalniveau B1) writing advice asks for short sentences:
on average about 10 to 15 words, and hardly ever more than 20. We hold our built-in texts to
the strict end of that, measured over the letter's prose (``prose``: the text under the
headings, without list items, names and dates), filled with realistic parts an FG writes:

- every reader: on average at most 12 words per sentence, none longer than 20;
- a young person (12 to 17): on average at most 10 words, none longer than 15, and no legal
  terms at all (``legal_terms``).

The tests in ``tests/test_readability.py`` hold every built-in text to them.
"""

from __future__ import annotations

import re

AVERAGE_WORDS = 12
LONGEST_WORDS = 20
YOUNG_AVERAGE_WORDS = 10
YOUNG_LONGEST_WORDS = 15

#: Abbreviations whose full stop does not end a sentence (lower case, without the last dot).
ABBREVIATIONS = frozenset(
    {
        "art",
        "bijv",
        "bv",
        "o.a",
        "nr",
        "enz",
        "d.w.z",
        "m.b.t",
        "t.a.v",
        "i.p.v",
        "e.d",
        "ca",
        "tel",
        "mr",
        "dhr",
        "mevr",
    }
)
#: A word: letters or digits, joined by a hyphen, apostrophe, dot or at sign ("e-mailadres",
#: "020-1234567", "fg@test.invalid"); "'s" as in "'s avonds" is part of the next word.
_WORD = re.compile(r"(?:'s\s)?[^\W_]+(?:[-'’.@][^\W_]+)*", re.UNICODE)
_END = re.compile(r"[.!?]+(?=\s|$)")

#: What a young reader should not meet, and an adult only where the law is the point (the
#: complaint to the Autoriteit Persoonsgegevens): article numbers and legal words.
_LEGAL = re.compile(
    r"\bart\.(?:\s?\d+)?"
    r"|\bartikel(?:en)?(?:\s\d+)?\b"
    r"|\b(?:U?AVG|GDPR)\b"
    r"|\bpersoonsgegevens\b"
    r"|\bbetrokkenen?\b"
    r"|\bverwerkingsverantwoordelijken?\b"
    r"|\binbreuk(?:en)?\b"
    r"|\bfunctionaris(?:sen)?\s+gegevensbescherming\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, each as written (without surrounding spaces)."""
    found: list[str] = []
    for line in text.splitlines():
        start = 0
        for end in _END.finditer(line):
            before = line[start : end.start()].split()
            last = before[-1].lower() if before else ""
            if end.group() == "." and last in ABBREVIATIONS:
                continue
            found.append(line[start : end.end()].strip())
            start = end.end()
        found.append(line[start:].strip())
    return [s for s in found if words(s)]


def average_sentence_words(text: str) -> float:
    lengths = [len(words(s)) for s in sentences(text)]
    return sum(lengths) / len(lengths) if lengths else 0.0


def longest_sentence_words(text: str) -> int:
    return max((len(words(s)) for s in sentences(text)), default=0)


def prose(text: str) -> str:
    """The lines of ``text`` that are read as sentences: not a list item ("- ..."), and not a
    short line without a closing mark (a salutation, a name, a date). A long line without a
    full stop is prose: it counts."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            continue
        if len(words(stripped)) <= 3 and not stripped.endswith((".", "!", "?")):
            continue
        kept.append(stripped)
    return "\n".join(kept)


def legal_terms(text: str) -> list[str]:
    """Article numbers ("art. 34", "artikel 9"), "AVG" and legal words ("persoonsgegevens",
    "betrokkene", "verwerkingsverantwoordelijke", "inbreuk", "functionaris
    gegevensbescherming"), as they stand in ``text``, in order."""
    return [m.group().strip() for m in _LEGAL.finditer(text)]
