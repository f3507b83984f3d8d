"""Detect and redact personal identifiers in Dutch free text (stdlib only).

Each detector yields candidate ``Finding`` spans; ``find_pii`` resolves overlaps.

BSN
    Nine digits passing the 11-proef (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a
    non-zero multiple of 11), plain or grouped 4-2-3 / 3-3-3 with one
    consistent dot or space ("1234.56.782", "123 456 782"). Never nine digits
    inside a longer number: no digit directly beside it, nor after ".,-/";
    spaced forms also not beside a space + digit. Not after "€" (amounts).
IBAN
    Country code + 2 check digits + BBAN, compact or in groups of four, any
    case. The length must fit the country (NL 18, BE 16, DE 22, FR 27, GB 22,
    ES 24, IT 27, LU 20) and the ISO 13616 mod-97 check must give 1.
E-mail
    Pragmatic ``local@domain.tld``; the domain ends in letters, so trailing
    punctuation is never part of the match.
Phone
    Dutch numbers: trunk "0" + 9 digits, or "+31"/"0031" (optionally "(0)") +
    9 digits; mobile "6" or a 2/3-digit area code (020, 0348, optionally in
    parentheses), separated by spaces or hyphens. Amounts, years, postcodes,
    dd-mm-yyyy dates and numbers inside longer digit runs are rejected, and
    nine-digit numbers (BSN, invoices) are too short for a phone number.
    Numbers separated by a space only are separate numbers ("12 0612345678").
Birth date
    Every valid full date is flagged, since any full date in a breach report
    may be someone's birth date; the caller keeps e.g. the incident date by
    not passing that finding to ``redact``. Accepted: d-m-yyyy / dd-mm-yyyy
    with one consistent "-", "/" or ".", ISO yyyy-mm-dd, and written Dutch
    months ("3 maart 2012", "12 jan. 2009"). Two-digit years only right after
    "geboren (op)", "geb." or "geboortedatum". The date must exist (no 31-02)
    and its year lie in 1900..current year.
Address
    A capitalised street word ending in straat, laan, weg, plein, gracht,
    kade, singel, dijk, hof, pad, steeg, dreef, park, baan, ring (not -ering
    as in "vergadering") or markt + house number (with an addition such as
    "12a", "12 A", "12-2", "12hs"), optionally + postcode. Also a Dutch
    postcode ("1234 AB"/"1234AB", first digit 1-9, not SA/SD/SS, capitals),
    optionally + house number ("1234AB 12", "1234 AB, huisnummer 5"). A bare
    postcode is flagged as well: it narrows a person down to a street.

Overlaps: the longest match wins (an IBAN over the phone-like digits in it,
a phone number over a BSN-valid tail as in "+31 612345671"); on equal length
BSN, IBAN and e-mail beat dates and addresses, which beat phone numbers.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PiiKind(StrEnum):
    BSN = "bsn"
    IBAN = "iban"
    EMAIL = "email"
    PHONE = "phone"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"

    @property
    def label(self) -> str:
        """Dutch, user-facing name of this kind."""
        return _TEXTS[self][0]

    @property
    def placeholder(self) -> str:
        """Text that replaces a redacted finding of this kind."""
        return _TEXTS[self][1]


_TEXTS = {  # kind: (label, placeholder)
    PiiKind.BSN: ("BSN", "[BSN]"),
    PiiKind.IBAN: ("IBAN (rekeningnummer)", "[IBAN]"),
    PiiKind.EMAIL: ("e-mailadres", "[e-mail]"),
    PiiKind.PHONE: ("telefoonnummer", "[telefoon]"),
    PiiKind.BIRTH_DATE: ("geboortedatum", "[geboortedatum]"),
    PiiKind.ADDRESS: ("postcode met huisnummer", "[adres]"),
}
# The longer match wins an overlap; on equal length the lower rank wins.
_RANK = {
    PiiKind.BSN: 0,
    PiiKind.IBAN: 0,
    PiiKind.EMAIL: 0,
    PiiKind.BIRTH_DATE: 1,
    PiiKind.ADDRESS: 1,
    PiiKind.PHONE: 2,
}
_MASK = "•"


@dataclass(frozen=True)
class Finding:
    kind: PiiKind
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        """Safe preview: first 2 and last 2 chars of long matches, else only the first."""
        n = len(self.text)
        if n >= 8:
            return self.text[:2] + _MASK * (n - 4) + self.text[-2:]
        if n >= 2:
            return self.text[0] + _MASK * (n - 1)
        return _MASK * n

    def to_dict(self) -> dict:
        """Plain values, e.g. to keep a finding in a session between two screens."""
        return {"kind": self.kind.value, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(PiiKind(data["kind"]), data["start"], data["end"], data["text"])


# --- BSN -------------------------------------------------------------------
_BSN_RE = re.compile(
    r"(?<![\d+€])(?<!\d[.,\-/])(?<!€ )"
    r"(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}\.\d{3}\.\d{3}"
    r"|(?<!\d )(?:\d{4} \d{2} \d{3}|\d{3} \d{3} \d{3})(?! \d))"  # spaced: no digit group beside
    r"(?!\d)(?![.,\-/]\d)"
)


def is_valid_bsn(digits: str) -> bool:
    """11-proef for a 9-digit string."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - int(digits[8])
    return total != 0 and total % 11 == 0


def _find_bsn(text: str) -> Iterator[Finding]:
    for m in _BSN_RE.finditer(text):
        if is_valid_bsn(re.sub(r"\D", "", m.group())):
            yield Finding(PiiKind.BSN, m.start(), m.end(), m.group())


# --- IBAN ------------------------------------------------------------------
IBAN_LENGTHS = {"NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "LU": 20}
_IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}")


def is_valid_iban(iban: str) -> bool:
    """Length per country and mod-97 == 1 (spaces ignored, any case)."""
    compact = iban.replace(" ", "").upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _find_iban(text: str) -> Iterator[Finding]:
    for m in _IBAN_START_RE.finditer(text):
        length, i, count = IBAN_LENGTHS.get(m.group(1).upper(), 0), m.end(), 4
        # Walk alphanumerics; a single space is allowed only between groups of four.
        while count < length and i < len(text):
            ch = text[i]
            if ch == " " and count % 4 == 0 and i + 1 < len(text) and text[i + 1].isalnum():
                i += 1
            elif ch.isascii() and ch.isalnum():
                count, i = count + 1, i + 1
            else:
                break
        candidate = text[m.start() : i]
        if count == length and not text[i : i + 1].isalnum() and is_valid_iban(candidate):
            yield Finding(PiiKind.IBAN, m.start(), i, candidate)


# --- E-mail ----------------------------------------------------------------
_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]*[A-Za-z0-9_%+\-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![\w\-])"
)

# --- Phone -----------------------------------------------------------------
_PHONE_RE = re.compile(
    r"""
    (?<![\w+\-/@])(?<!\d[.,])
    (?: (?:\+|00)31[ -]?(?:\(0\)[ -]?)? | \(0 | 0 )   # +31 / 0031 / trunk 0
    (?: 6\)?[ -]?\d(?:[ -]?\d){7}                    # mobile: 6 + 8 digits
      | [1-57-9]\d\)?[ -]?\d(?:[ -]?\d){6}            # 2-digit area + 7
      | [1-57-9]\d\d\)?[ -]?\d(?:[ -]?\d){5}          # 3-digit area + 6
    )
    (?![-.,/]?\d)(?![\w@])
    """,
    re.VERBOSE,
)
_DATE_LIKE_RE = re.compile(r"\d{1,2}-\d{1,2}-\d{4}(?!\d)")

# --- Dates -----------------------------------------------------------------
_MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _date_re(year: str) -> str:
    return (
        rf"(?<!\d)(?<!\d[-/.])(?:(?P<d>\d{{1,2}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<y>{year})"
        rf"|(?P<wd>\d{{1,2}})\s+(?P<wm>{_MONTH_ALT})\.?\s+(?P<wy>{year}))(?!\d)(?![-/.]\d)"
    )


_DATE_RE = re.compile(
    _date_re(r"\d{4}") + r"|(?<![\d\-])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d\-])",
    re.IGNORECASE,
)
_BIRTH_CONTEXT_RE = re.compile(
    r"\b(?:geboren(?:\s+op)?|geb\.|geboortedatum)\s*:?\s*(?P<date>" + _date_re(r"\d{2}") + ")",
    re.IGNORECASE,
)


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        return 1900 <= date(year, month, day).year <= date.today().year
    except ValueError:  # no such date, e.g. 31-02
        return False


def _date_parts(m: re.Match[str]) -> tuple[int, int, int]:
    g = m.groupdict()
    if g.get("iy"):
        return int(g["iy"]), int(g["im"]), int(g["id"])
    if g["y"]:
        return int(g["y"]), int(g["m"]), int(g["d"])
    return int(g["wy"]), _MONTHS[g["wm"].lower()], int(g["wd"])


def _find_dates(text: str) -> Iterator[Finding]:
    for m in _DATE_RE.finditer(text):
        if _valid_date(*_date_parts(m)):
            yield Finding(PiiKind.BIRTH_DATE, m.start(), m.end(), m.group())
    this_year = date.today().year
    for m in _BIRTH_CONTEXT_RE.finditer(text):
        yy, month, day = _date_parts(m)
        year = 2000 + yy if 2000 + yy <= this_year else 1900 + yy
        if _valid_date(year, month, day):
            yield Finding(PiiKind.BIRTH_DATE, m.start("date"), m.end("date"), m.group("date"))


# --- Addresses -------------------------------------------------------------
_STREET = (
    r"\b[A-Z][A-Za-zÀ-ÿ'\-]*?"
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|park|baan|(?<!e)ring|markt)"
)
_HOUSE_NO = r"\d{1,5}(?:-?[a-zA-Z](?!\w)|\s[A-Z](?!\w)|-\d{1,3}(?!\d)|\s?(?:hs|bis)(?!\w))?"
_POSTCODE = r"(?<![\w\-])[1-9]\d{3}\s?(?!S[ADS])[A-Z]{2}(?!\w)"
_POSTCODE_RE = re.compile(_POSTCODE)
_ADDRESS_RE = re.compile(
    rf"{_STREET}\s+{_HOUSE_NO}(?!\d)(?:,?\s+{_POSTCODE})?"
    rf"|{_POSTCODE}(?:,?[ \t]+(?:(?:huisnummer|huisnr\.?|nr\.?)\s*)?{_HOUSE_NO}(?![\d\-]))?"
)


# --- Public API ------------------------------------------------------------
def _candidates(text: str) -> Iterator[Finding]:
    yield from _find_bsn(text)
    yield from _find_iban(text)
    for m in _EMAIL_RE.finditer(text):
        yield Finding(PiiKind.EMAIL, m.start(), m.end(), m.group())
    for m in _PHONE_RE.finditer(text):
        if not _DATE_LIKE_RE.match(m.group()):
            yield Finding(PiiKind.PHONE, m.start(), m.end(), m.group())
    yield from _find_dates(text)
    for m in (*_ADDRESS_RE.finditer(text), *_POSTCODE_RE.finditer(text)):  # bare postcode as fallback
        yield Finding(PiiKind.ADDRESS, m.start(), m.end(), m.group())


def find_pii(text: str) -> list[Finding]:
    """All personal identifiers in ``text``, sorted by start and non-overlapping."""
    chosen: list[Finding] = []
    ranked = sorted(set(_candidates(text)), key=lambda f: (f.start - f.end, _RANK[f.kind], f.start))
    for f in ranked:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def redact(text: str, findings: Iterable[Finding]) -> str:
    """Replace the given findings (only those) by their kind's placeholder.

    Raises ValueError when a finding does not match ``text`` at its offsets or
    when two given findings overlap.
    """
    result, limit = text, len(text) + 1
    for f in sorted(set(findings), key=lambda f: f.start, reverse=True):
        if not 0 <= f.start < f.end <= len(text) or text[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.kind} at {f.start}-{f.end} does not match the text")
        if f.end > limit:
            raise ValueError(f"overlapping findings at {f.start}-{f.end}")
        result = result[: f.start] + f.kind.placeholder + result[f.end :]
        limit = f.start
    return result


def redact_all(text: str) -> str:
    """Redact every finding of ``find_pii``, repeated until nothing is left.

    A second pass is needed when a redacted neighbour was the reason a number
    looked like part of a longer digit run ("06-12345678 123 456 782").
    Terminates: every finding holds a digit or "@", placeholders hold neither.
    """
    while findings := find_pii(text):
        text = redact(text, findings)
    return text
