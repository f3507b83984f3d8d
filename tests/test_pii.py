"""Table-driven tests for datalek.pii (detection and redaction of personal data)."""

import dataclasses
from datetime import date

import pytest

from datalek.intake.pii import Finding, PiiKind, find_pii, is_valid_bsn, is_valid_iban, redact, redact_all

P = pytest.param
NEXT_YEAR = date.today().year + 1


def found(text: str) -> list[tuple[PiiKind, str]]:
    return [(f.kind, f.text) for f in find_pii(text)]


def texts_of(text: str, kind: PiiKind) -> list[str]:
    return [f.text for f in find_pii(text) if f.kind is kind]


# --- PiiKind ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "label", "placeholder"),
    [
        P(PiiKind.BSN, "bsn", "BSN", "[BSN]", id="bsn"),
        P(PiiKind.IBAN, "iban", "IBAN (rekeningnummer)", "[IBAN]", id="iban"),
        P(PiiKind.EMAIL, "email", "e-mailadres", "[e-mail]", id="email"),
        P(PiiKind.PHONE, "phone", "telefoonnummer", "[telefoon]", id="phone"),
        P(PiiKind.BIRTH_DATE, "birth_date", "geboortedatum", "[geboortedatum]", id="birth_date"),
        P(PiiKind.ADDRESS, "address", "postcode met huisnummer", "[adres]", id="address"),
    ],
)
def test_kind_texts(kind, value, label, placeholder):
    assert kind == value
    assert PiiKind(value) is kind
    assert kind.label == label
    assert kind.placeholder == placeholder


def test_finding_is_frozen():
    f = Finding(PiiKind.BSN, 0, 9, "123456782")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 1  # type: ignore[misc]


# --- BSN -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        P("123456782", True, id="123456782"),
        P("111222333", True, id="111222333"),
        P("012345672", True, id="leading-zero"),
        P("123456789", False, id="123456789-fails-11-proef"),
        P("000000000", False, id="all-zeros-sum-is-zero"),
        P("111111111", False, id="all-ones"),
        P("987654321", False, id="invoice-like"),
        P("12345678", False, id="eight-digits"),
        P("1234567820", False, id="ten-digits"),
        P("12345678a", False, id="letter"),
    ],
)
def test_is_valid_bsn(digits, valid):
    assert is_valid_bsn(digits) is valid


@pytest.mark.parametrize(
    ("text", "match"),
    [
        P("BSN 123456782 van de klant", "123456782", id="plain"),
        P("bsn: 111222333.", "111222333", id="plain-sentence-end"),
        P("burgerservicenummer 012345672", "012345672", id="leading-zero"),
        P("BSN 1234.56.782", "1234.56.782", id="dots-4-2-3"),
        P("BSN 1234 56 782", "1234 56 782", id="spaces-4-2-3"),
        P("BSN 123.456.782", "123.456.782", id="dots-3-3-3"),
        P("BSN 123 456 782", "123 456 782", id="spaces-3-3-3"),
        P("(123456782)", "123456782", id="in-parentheses"),
    ],
)
def test_bsn_found(text, match):
    assert found(text) == [(PiiKind.BSN, match)]


@pytest.mark.parametrize(
    "text",
    [
        P("BSN 123456789", id="fails-11-proef"),
        P("nummer 000000000", id="all-zeros"),
        P("nummer 111111111", id="all-ones"),
        P("factuurnummer 987654321", id="invoice-number"),
        P("rekening 1234567820", id="valid-bsn-prefix-of-10-digits"),
        P("klantnummer 9123456782", id="valid-bsn-suffix-of-10-digits"),
        P("order 551234567824", id="inside-12-digits"),
        P("1234 56.782", id="mixed-separators"),
        P("123-456-782", id="hyphens-not-accepted"),
        P("12 345 6782", id="wrong-grouping"),
        P("1.123.456.782", id="part-of-dotted-number"),
        P("12345678", id="eight-digits"),
    ],
)
def test_bsn_not_found(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        P("0123456782", id="bsn-after-leading-zero"),
        P("+31612345678", id="inside-intl-phone"),
        P("+31 612345671", id="intl-phone-with-space"),
        P("0031 612345671", id="0031-phone-with-space"),
    ],
)
def test_valid_bsn_digits_inside_longer_number_are_not_bsn(text):
    assert texts_of(text, PiiKind.BSN) == []


@pytest.mark.parametrize(
    "text",
    [
        P("1 123 456 782", id="digit-group-before"),
        P("020 123 456 782", id="area-code-before"),
        P("123 456 782 1", id="digit-group-after"),
        P("€ 123.456.782", id="euro-amount"),
        P("€123456782", id="euro-amount-compact"),
        P("123.456.782,00", id="amount-with-cents"),
        P("1-123456782", id="after-hyphen"),
        P("123456782/1", id="before-slash"),
    ],
)
def test_bsn_glued_to_other_numbers_not_found(text):
    assert texts_of(text, PiiKind.BSN) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P(
            "06-12345678 123456782",
            [(PiiKind.PHONE, "06-12345678"), (PiiKind.BSN, "123456782")],
            id="phone-space-bsn",
        ),
        P(
            "123456782 0612345678",
            [(PiiKind.BSN, "123456782"), (PiiKind.PHONE, "0612345678")],
            id="bsn-space-phone",
        ),
        P("klant 12 BSN 123456782 1x", [(PiiKind.BSN, "123456782")], id="plain-bsn-between-small-numbers"),
    ],
)
def test_plain_numbers_separated_by_a_space_are_separate(text, expected):
    assert found(text) == expected


# --- IBAN ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        P("IBAN NL91ABNA0417164300", "NL91ABNA0417164300", id="nl-compact"),
        P("IBAN NL91 ABNA 0417 1643 00 t.n.v. Jansen", "NL91 ABNA 0417 1643 00", id="nl-spaced"),
        P("rekening nl91abna0417164300", "nl91abna0417164300", id="nl-lowercase"),
        P("rekening nl91 abna 0417 1643 00.", "nl91 abna 0417 1643 00", id="nl-lowercase-spaced"),
        P("IBAN:NL91ABNA0417164300,", "NL91ABNA0417164300", id="nl-punctuation"),
        P("BE68539007547034", "BE68539007547034", id="be"),
        P("BE68 5390 0754 7034", "BE68 5390 0754 7034", id="be-spaced"),
        P("DE89370400440532013000", "DE89370400440532013000", id="de"),
        P("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00", id="de-spaced"),
        P("GB29NWBK60161331926819", "GB29NWBK60161331926819", id="gb"),
        P("FR1420041010050500013M02606", "FR1420041010050500013M02606", id="fr"),
        P("ES9121000418450200051332", "ES9121000418450200051332", id="es"),
        P("IT60X0542811101000000123456", "IT60X0542811101000000123456", id="it"),
        P("LU280019400644750000", "LU280019400644750000", id="lu"),
        P("NL91 ABNA 0417 1643 00 12 keer", "NL91 ABNA 0417 1643 00", id="followed-by-number"),
    ],
)
def test_iban_found(text, match):
    assert found(text) == [(PiiKind.IBAN, match)]


@pytest.mark.parametrize(
    "text",
    [
        P("NL91ABNA0417164301", id="last-digit-changed"),
        P("NL91ABNA0417164400", id="middle-digit-changed"),
        P("NL92ABNA0417164300", id="check-digit-changed"),
        P("BE68539007547035", id="be-digit-changed"),
        P("DE89370400440532013001", id="de-digit-changed"),
        P("NL91ABNA041716430", id="too-short"),
        P("NL91ABNA04171643000", id="too-long"),
        P("XX91ABNA0417164300", id="unknown-country"),
        P("NL91  ABNA 0417 1643 00", id="double-space"),
        P("NL91 AB NA0417164300", id="space-inside-group"),
        P("XNL91ABNA0417164300", id="glued-to-word"),
    ],
)
def test_iban_not_found(text):
    assert texts_of(text, PiiKind.IBAN) == []


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        P("NL91ABNA0417164300", True, id="valid"),
        P("nl91 abna 0417 1643 00", True, id="lower-spaced"),
        P("NL91ABNA0417164301", False, id="bad-checksum"),
        P("NL91ABNA04171643", False, id="bad-length"),
        P("NL91ABNA04171643€0", False, id="non-ascii"),
    ],
)
def test_is_valid_iban(iban, valid):
    assert is_valid_iban(iban) is valid


# --- E-mail ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        P("mail jan@example.nl", "jan@example.nl", id="simple"),
        P("mail jan.jansen@example.nl.", "jan.jansen@example.nl", id="trailing-dot"),
        P("(piet+label@sub.domein.com)", "piet+label@sub.domein.com", id="parentheses-plus-subdomain"),
        P(
            "mail J_de-Vries99@my-company.co.uk, graag",
            "J_de-Vries99@my-company.co.uk",
            id="underscore-hyphen",
        ),
        P("contact: info@gemeente.amsterdam!", "info@gemeente.amsterdam", id="long-tld-exclamation"),
        P('"a@b.nl"', "a@b.nl", id="quoted-short"),
        P("0612345678@gmail.com", "0612345678@gmail.com", id="phone-as-local-part"),
    ],
)
def test_email_found(text, match):
    assert found(text) == [(PiiKind.EMAIL, match)]


@pytest.mark.parametrize(
    "text",
    [
        P("jan@localhost", id="no-tld"),
        P("@example.nl", id="no-local-part"),
        P("jan@@example.nl", id="double-at"),
        P("jan@example.1", id="numeric-tld"),
        P("jan at example dot nl", id="spelled-out"),
        P("jan@-example.nl", id="domain-starts-with-hyphen"),
    ],
)
def test_email_not_found(text):
    assert texts_of(text, PiiKind.EMAIL) == []


# --- Phone -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        P("bel 06-12345678", "06-12345678", id="mobile-hyphen"),
        P("bel 06 12345678", "06 12345678", id="mobile-space"),
        P("bel 0612345678.", "0612345678", id="mobile-compact"),
        P("bel 06 1234 5678", "06 1234 5678", id="mobile-4-4"),
        P("bel 06-12 34 56 78", "06-12 34 56 78", id="mobile-pairs"),
        P("bel +31 6 12345678", "+31 6 12345678", id="plus31-spaced"),
        P("bel +31612345678", "+31612345678", id="plus31-compact"),
        P("bel +31-6-12345678", "+31-6-12345678", id="plus31-hyphens"),
        P("bel 0031 6 1234 5678", "0031 6 1234 5678", id="0031-spaced"),
        P("bel 0031612345678", "0031612345678", id="0031-compact"),
        P("bel +31 (0)6 12345678", "+31 (0)6 12345678", id="plus31-with-(0)"),
        P("bel 020-1234567", "020-1234567", id="landline-020-hyphen"),
        P("bel 020 123 4567", "020 123 4567", id="landline-020-spaced"),
        P("bel 010 123 4567", "010 123 4567", id="landline-010-spaced"),
        P("bel 0201234567", "0201234567", id="landline-compact"),
        P("bel 0348-123456", "0348-123456", id="landline-3-digit-area"),
        P("bel 0348 12 34 56", "0348 12 34 56", id="landline-3-digit-area-pairs"),
        P("bel +31 20 123 4567", "+31 20 123 4567", id="landline-plus31"),
        P("bel (020) 123 4567", "(020) 123 4567", id="landline-parentheses"),
        P("bel +31 (0)20 123 4567", "+31 (0)20 123 4567", id="landline-plus31-(0)"),
        P("tel:0612345678", "0612345678", id="after-colon"),
        P("12 0612345678", "0612345678", id="after-small-number"),
        P("0612345678 12", "0612345678", id="before-small-number"),
        P("+31 612345671", "+31 612345671", id="plus31-bsn-like-subscriber"),
    ],
)
def test_phone_found(text, match):
    assert found(text) == [(PiiKind.PHONE, match)]


@pytest.mark.parametrize(
    "text",
    [
        P("factuurnummer 987654321", id="invoice-9-digits"),
        P("factuurnummer 2024123456", id="invoice-10-digits-no-zero"),
        P("schade € 1.234.567", id="amount-dots"),
        P("schade € 1.234.567,00", id="amount-decimals"),
        P("in 2024", id="year"),
        P("postcode 1234 AB", id="postcode"),
        P("dossier DL-2026-0042", id="reference"),
        P("datum 06-12-2020 12:30", id="date-with-time"),
        P("datum 06-12-2031 12:30", id="future-date-with-time"),
        P("datum 01-02-2020", id="date"),
        P("BSN 123456782", id="bsn"),
        P("06-1234567", id="mobile-too-short"),
        P("06-123456789", id="mobile-too-long"),
        P("0612345678901", id="inside-longer-run"),
        P("ref-0612345678", id="after-hyphenated-prefix"),
        P("+32 6 12345678", id="foreign-country-code"),
        P("06-12345678a", id="glued-to-letter"),
        P("0612345678@", id="glued-to-at"),
    ],
)
def test_phone_not_found(text):
    assert texts_of(text, PiiKind.PHONE) == []


def test_bsn_is_reported_as_bsn_not_phone():
    assert found("BSN 012345672") == [(PiiKind.BSN, "012345672")]


# --- Dates of birth --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        P("geboren 3-3-2012", "3-3-2012", id="d-m-yyyy"),
        P("geboren 03-03-2012", "03-03-2012", id="dd-mm-yyyy"),
        P("geboren 03/03/2012", "03/03/2012", id="slashes"),
        P("geboren 03.03.2012.", "03.03.2012", id="dots-sentence-end"),
        P("op 29-02-2024", "29-02-2024", id="leap-day"),
        P("op 1-1-1900", "1-1-1900", id="year-1900"),
        P(f"op 1-1-{NEXT_YEAR - 1}", f"1-1-{NEXT_YEAR - 1}", id="current-year"),
        P("op 3 maart 2012", "3 maart 2012", id="written-month"),
        P("op 12 jan. 2009", "12 jan. 2009", id="abbreviated-month-dot"),
        P("op 12 jan 2009", "12 jan 2009", id="abbreviated-month"),
        P("op 1 Oktober 1985", "1 Oktober 1985", id="capitalised-month"),
        P("op 5 mei 1990", "5 mei 1990", id="mei"),
        P("op 31 december 1999", "31 december 1999", id="december"),
        P("op 7 mrt 2001", "7 mrt 2001", id="mrt"),
        P("datum 2001-05-17", "2001-05-17", id="iso"),
        P("geboren op 03-03-85", "03-03-85", id="context-2-digit-year"),
        P("geb. 3-3-85", "3-3-85", id="geb-2-digit-year"),
        P("geboortedatum: 01/02/03", "01/02/03", id="geboortedatum-2-digit-year"),
        P("Geboren op 3 maart 85", "3 maart 85", id="context-written-2-digit-year"),
    ],
)
def test_birth_date_found(text, match):
    assert found(text) == [(PiiKind.BIRTH_DATE, match)]


@pytest.mark.parametrize(
    "text",
    [
        P("31-02-2010", id="31-february"),
        P("29-02-2023", id="29-february-non-leap"),
        P("32-01-2000", id="day-32"),
        P("01-13-2000", id="month-13"),
        P("00-01-2000", id="day-0"),
        P("1-1-1850", id="year-1850"),
        P("31-12-1899", id="year-1899"),
        P(f"1-1-{NEXT_YEAR}", id="next-year"),
        P("12 maart 2999", id="written-far-future"),
        P("30 februari 2000", id="written-30-february"),
        P("03-03-85", id="2-digit-year-without-context"),
        P("01-02/2000", id="mixed-separators"),
        P("12 foo 2000", id="unknown-month"),
        P("1-1-20001", id="5-digit-year"),
        P("2001-13-01", id="iso-month-13"),
        P("geboren op 31-02-85", id="context-invalid-date"),
    ],
)
def test_birth_date_not_found(text):
    assert texts_of(text, PiiKind.BIRTH_DATE) == []


def test_two_digit_year_maps_to_the_past():
    # "01-01-<next year's yy>" must be read as 19yy, i.e. still a valid date.
    yy = f"{NEXT_YEAR % 100:02d}"
    assert texts_of(f"geboren op 01-01-{yy}", PiiKind.BIRTH_DATE) == [f"01-01-{yy}"]


# --- Addresses -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        P("woont Kerkstraat 12, 1234 AB Amsterdam", "Kerkstraat 12, 1234 AB", id="street-number-postcode"),
        P("woont Kerkstraat 12 1234AB", "Kerkstraat 12 1234AB", id="street-number-compact-postcode"),
        P("woont Kerkstraat 12", "Kerkstraat 12", id="street-number"),
        P("woont Stationsweg 4a.", "Stationsweg 4a", id="letter-addition"),
        P("woont Hoofdstraat 12 A", "Hoofdstraat 12 A", id="spaced-letter-addition"),
        P("woont Dorpsstraat 12-2", "Dorpsstraat 12-2", id="numeric-addition"),
        P("woont Prinsengracht 263hs", "Prinsengracht 263hs", id="hs-addition"),
        P("woont Kastanjelaan 7", "Kastanjelaan 7", id="laan"),
        P("woont Marktplein 1", "Marktplein 1", id="plein"),
        P("woont Oosterkade 10", "Oosterkade 10", id="kade"),
        P("woont Maliesingel 3", "Maliesingel 3", id="singel"),
        P("woont Zeedijk 40", "Zeedijk 40", id="dijk"),
        P("woont Binnenhof 1", "Binnenhof 1", id="hof"),
        P("woont Fietspad 2", "Fietspad 2", id="pad"),
        P("woont Bakkerssteeg 5", "Bakkerssteeg 5", id="steeg"),
        P("woont Beukendreef 8", "Beukendreef 8", id="dreef"),
        P("woont Vondelpark 3", "Vondelpark 3", id="park"),
        P("woont Rijnbaan 14", "Rijnbaan 14", id="baan"),
        P("woont Stadsring 99", "Stadsring 99", id="ring"),
        P("woont Vismarkt 2", "Vismarkt 2", id="markt-compound"),
        P("postcode 1234AB 12", "1234AB 12", id="postcode-then-number"),
        P("postcode 1234 AB, huisnummer 5", "1234 AB, huisnummer 5", id="postcode-huisnummer"),
        P("postcode 1234 AB nr. 7", "1234 AB nr. 7", id="postcode-nr"),
        P("postcode 1234 AB.", "1234 AB", id="bare-postcode"),
        P("postcode 9999ZZ", "9999ZZ", id="bare-postcode-compact"),
    ],
)
def test_address_found(text, match):
    assert found(text) == [(PiiKind.ADDRESS, match)]


@pytest.mark.parametrize(
    "text",
    [
        P("0123 AB", id="postcode-leading-zero"),
        P("1234 SA", id="letters-SA"),
        P("1234 SD 12", id="letters-SD"),
        P("1234 SS", id="letters-SS"),
        P("in 2024 is het", id="year-lowercase-word"),
        P("1234 ABC", id="three-letters"),
        P("12345 AB", id="five-digits"),
        P("onderweg 2 uur", id="lowercase-weg-word"),
        P("Vergadering 3 keer", id="ering-noun"),
        P("Kerkstraat zonder nummer", id="street-without-number"),
        P("DL-2026-0042", id="reference"),
    ],
)
def test_address_not_found(text):
    assert texts_of(text, PiiKind.ADDRESS) == []


# --- Overlap resolution ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("NL91ABNA0417164300", [(PiiKind.IBAN, "NL91ABNA0417164300")], id="iban-beats-inner-digits"),
        P("0612345678@gmail.com", [(PiiKind.EMAIL, "0612345678@gmail.com")], id="email-beats-phone"),
        P("06-12-2020 12:30", [(PiiKind.BIRTH_DATE, "06-12-2020")], id="date-not-phone"),
        P(
            "1234 AB 3 maart 2012",
            [(PiiKind.ADDRESS, "1234 AB"), (PiiKind.BIRTH_DATE, "3 maart 2012")],
            id="postcode-survives-losing-house-number-to-date",
        ),
        P(
            "BSN 123456782, tel 06-12345678",
            [(PiiKind.BSN, "123456782"), (PiiKind.PHONE, "06-12345678")],
            id="bsn-and-phone-side-by-side",
        ),
    ],
)
def test_overlaps(text, expected):
    assert found(text) == expected


SENTENCES = [
    P(
        "Mevrouw J. de Vries (BSN 123456782, geboren op 3 maart 1985), Kerkstraat 12, "
        "1234 AB Utrecht, tel. 06-12345678, e-mail j.devries@example.nl, "
        "IBAN NL91 ABNA 0417 1643 00.",
        id="all-kinds",
    ),
    P("Lek op 06-12-2024 12:30 gemeld door 020-1234567 (ref DL-2026-0042).", id="incident"),
    P("BSN's: 111222333, 123 456 782; rekening DE89370400440532013000.", id="lists"),
    P("Brief naar 1234AB 12 en 9999 ZZ, huisnummer 5; mail a@b.nl.", id="postcodes"),
    P("Geen persoonsgegevens: factuur 987654321, € 1.234.567, jaar 2024.", id="nothing"),
    P("Bel 06-12345678 123 456 782 of 1234 AB 3 maart 2012.", id="glued-numbers"),
    P("", id="empty"),
]


@pytest.mark.parametrize("text", SENTENCES)
def test_findings_sorted_non_overlapping_and_offsets_match(text):
    findings = find_pii(text)
    assert findings == sorted(findings, key=lambda f: f.start)
    for a, b in zip(findings, findings[1:], strict=False):  # neighbours
        assert a.end <= b.start
    for f in findings:
        assert text[f.start : f.end] == f.text


def test_all_kinds_sentence():
    text = SENTENCES[0].values[0]
    assert found(text) == [
        (PiiKind.BSN, "123456782"),
        (PiiKind.BIRTH_DATE, "3 maart 1985"),
        (PiiKind.ADDRESS, "Kerkstraat 12, 1234 AB"),
        (PiiKind.PHONE, "06-12345678"),
        (PiiKind.EMAIL, "j.devries@example.nl"),
        (PiiKind.IBAN, "NL91 ABNA 0417 1643 00"),
    ]


# --- Redaction -------------------------------------------------------------


def test_redact_all_sentence_with_several_kinds():
    assert redact_all(SENTENCES[0].values[0]) == (
        "Mevrouw J. de Vries (BSN [BSN], geboren op [geboortedatum]), [adres] Utrecht, "
        "tel. [telefoon], e-mail [e-mail], IBAN [IBAN]."
    )


@pytest.mark.parametrize("text", SENTENCES)
def test_redact_all_leaves_nothing_to_find(text):
    assert find_pii(redact_all(text)) == []


@pytest.mark.parametrize(
    ("keep", "expected"),
    [
        P(set(), "BSN [BSN], tel [telefoon], mail [e-mail].", id="keep-none"),
        P({PiiKind.PHONE}, "BSN [BSN], tel 06-12345678, mail [e-mail].", id="keep-phone"),
        P({PiiKind.BSN, PiiKind.EMAIL}, "BSN 123456782, tel [telefoon], mail a@b.nl.", id="keep-bsn-email"),
        P(set(PiiKind), "BSN 123456782, tel 06-12345678, mail a@b.nl.", id="keep-all"),
    ],
)
def test_redact_only_chosen_findings(keep, expected):
    text = "BSN 123456782, tel 06-12345678, mail a@b.nl."
    chosen = [f for f in find_pii(text) if f.kind not in keep]
    assert redact(text, chosen) == expected


def test_redact_offsets_stay_valid_in_any_order():
    text = "a@b.nl, 123456782, 0612345678, 1234AB"
    findings = find_pii(text)
    assert [f.kind for f in findings] == [PiiKind.EMAIL, PiiKind.BSN, PiiKind.PHONE, PiiKind.ADDRESS]
    expected = "[e-mail], [BSN], [telefoon], [adres]"
    assert redact(text, findings) == expected
    assert redact(text, reversed(findings)) == expected
    assert redact(text, iter(findings)) == expected  # any iterable
    assert redact(text, findings + findings) == expected  # duplicates are harmless


def test_redact_all_repeats_until_nothing_is_left():
    # The spaced BSN looks like part of a longer number until the phone is gone.
    text = "06-12345678 123 456 782"
    assert found(text) == [(PiiKind.PHONE, "06-12345678")]
    assert redact_all(text) == "[telefoon] [BSN]"


def test_redact_adjacent_findings():
    text = "xy"
    findings = [Finding(PiiKind.BSN, 0, 1, "x"), Finding(PiiKind.PHONE, 1, 2, "y")]
    assert redact(text, findings) == "[BSN][telefoon]"


def test_redact_nothing_returns_text_unchanged():
    assert redact("BSN 123456782", []) == "BSN 123456782"


@pytest.mark.parametrize(
    "findings",
    [
        P([Finding(PiiKind.BSN, 0, 9, "123456789")], id="text-mismatch"),
        P([Finding(PiiKind.BSN, 4, 13, "123456782")], id="stale-offsets"),
        P([Finding(PiiKind.BSN, 0, 0, "")], id="empty-span"),
        P(
            [Finding(PiiKind.BSN, 0, 9, "123456782"), Finding(PiiKind.PHONE, 5, 9, "6782")],
            id="overlapping",
        ),
    ],
)
def test_redact_rejects_bad_findings(findings):
    with pytest.raises(ValueError):
        redact("123456782 rest", findings)


# --- Masked preview --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        P("123456782", "12•••••82", id="bsn"),
        P("NL91ABNA0417164300", "NL••••••••••••••00", id="iban"),
        P("12345678", "12••••78", id="eight-chars"),
        P("1234 AB", "1••••••", id="seven-chars"),
        P("a@b.nl", "a•••••", id="short-email"),
        P("ab", "a•", id="two-chars"),
        P("a", "•", id="one-char"),
    ],
)
def test_masked(text, masked):
    assert Finding(PiiKind.BSN, 0, len(text), text).masked == masked


@pytest.mark.parametrize("text", SENTENCES)
def test_masked_never_reveals_the_full_match(text):
    for f in find_pii(text):
        m = f.masked
        assert m != f.text
        assert len(m) == len(f.text)
        revealed = len(m) - m.count("•")
        assert revealed <= 4
        assert revealed <= len(f.text) // 2
