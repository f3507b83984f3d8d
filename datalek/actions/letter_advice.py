"""What a letter says about the data: plain words for each kind of data, and what the reader
can do, tailored to the data and said in the reader's own voice.

The voice is the reader's perspective (their own data, their child's, the data of the person
they represent; an employee's own data, with a manager rather than a care worker to talk to)
and the address form (u / je). A young reader (12 to 17) always gets "je", simpler sentences,
and one closing sentence: tell an adult you trust.

Each group of data has its own advice, said once however many of its kinds leaked: a care file,
health or another special category -> whom to talk to and the right to see the file; a BSN or
an ID copy -> identity fraud and the Centraal Meldpunt Identiteitsfraude; credentials -> change
the password; money -> watch the bank account; contact details -> unexpected messages
(phishing). Other data gets a neutral sentence that invites questions - never "you need not do
anything". Child-protection information (Veilig Thuis) is never named in a letter: the FG
decides per family what can be said.
"""

from __future__ import annotations

from collections.abc import Iterable

from datalek.actions.addressees import Addressee, AddressForm
from datalek.triage.facts import SPECIAL_CATEGORIES, DataCategory

#: Each kind of data in the words a reader uses; ``None``: not named in a letter.
DATA_WORDS: dict[DataCategory, str | None] = {
    DataCategory.NAME_ADDRESS: "naam en adres",
    DataCategory.PHONE: "telefoonnummer",
    DataCategory.EMAIL: "e-mailadres",
    DataCategory.DEMOGRAPHIC: "geboortedatum, leeftijd of geslacht",
    DataCategory.BASIC: "naam, geboortedatum of geslacht",
    DataCategory.CONTACT: "adres, telefoonnummer of e-mailadres",
    DataCategory.BSN: "burgerservicenummer (BSN)",
    DataCategory.ID_DOCUMENT: "kopie van een paspoort, ID-kaart of rijbewijs",
    DataCategory.FINANCIAL: "gegevens over geld, zoals inkomen, schulden of een rekeningnummer",
    DataCategory.PAYMENT_MEANS: "gegevens van een bankpas of creditcard",
    DataCategory.LOCATION: "gegevens over waar iemand is of was",
    DataCategory.PROFILE: "gegevens over gedrag of persoonlijkheid",
    DataCategory.CREDENTIALS: "inloggegevens, zoals een gebruikersnaam en wachtwoord",
    DataCategory.OFFICIAL_DOCUMENTS: "officiële papieren, zoals een brief met een besluit",
    DataCategory.HEALTH: "gegevens over gezondheid",
    DataCategory.CARE_FILE: "gegevens uit een dossier van jeugdhulp of zorg",
    DataCategory.CHILD_PROTECTION: None,
    DataCategory.CRIMINAL: "gegevens over contact met politie of justitie",
    DataCategory.RACIAL_ETHNIC: "afkomst",
    DataCategory.POLITICAL: "politieke mening",
    DataCategory.RELIGIOUS: "geloof of levensovertuiging",
    DataCategory.SEX_LIFE: "seksleven of seksuele voorkeur",
    DataCategory.UNION: "lid zijn van een vakbond",
    DataCategory.GENETIC: "erfelijke gegevens (DNA)",
    DataCategory.BIOMETRIC: "lichaamskenmerken, zoals een vingerafdruk of gezichtsscan",
    DataCategory.OTHER: None,
    DataCategory.UNKNOWN: None,
}

CARE = SPECIAL_CATEGORIES
IDENTITY = frozenset({DataCategory.BSN, DataCategory.ID_DOCUMENT})
CREDENTIALS = frozenset({DataCategory.CREDENTIALS})
MONEY = frozenset({DataCategory.FINANCIAL, DataCategory.PAYMENT_MEANS})
#: Contact details, and the legacy "basic" code (it holds the name): phishing.
CONTACT = frozenset(
    {
        DataCategory.NAME_ADDRESS,
        DataCategory.PHONE,
        DataCategory.EMAIL,
        DataCategory.CONTACT,
        DataCategory.BASIC,
    }
)
GROUPS = {"care": CARE, "identity": IDENTITY, "credentials": CREDENTIALS, "money": MONEY, "contact": CONTACT}

_CMI = "het Centraal Meldpunt Identiteitsfraude (CMI)"

#: (group, perspective, form) -> the advice. Perspectives: own, employee, child, represented.
#: "{kind}" is "uw kind" / "uw kinderen" (u) or "je kind" / "je kinderen" (je).
_ADVICE: dict[tuple[str, str, AddressForm], str] = {
    ("care", "own", AddressForm.U): "Maakt u zich zorgen? Praat erover met uw hulpverlener of met uw "
    "contactpersoon bij ons. U mag uw dossier inzien. Vraag ons daar gerust om.",
    ("care", "own", AddressForm.JE): "Maak je je zorgen? Praat erover met je hulpverlener of met je "
    "contactpersoon bij ons. Je mag je dossier inzien. Vraag ons daar gerust om.",
    ("care", "employee", AddressForm.U): "Maakt u zich zorgen? Praat erover met uw leidinggevende of met "
    "de vertrouwenspersoon. U mag uw personeelsdossier inzien. Vraag ons daar gerust om.",
    ("care", "employee", AddressForm.JE): "Maak je je zorgen? Praat erover met je leidinggevende of met "
    "de vertrouwenspersoon. Je mag je personeelsdossier inzien. Vraag ons daar gerust om.",
    ("care", "child", AddressForm.U): "Maakt u zich zorgen? Praat erover met de hulpverlener van {kind}. "
    "U kunt ons ook vragen om het dossier van {kind} in te zien.",
    ("care", "child", AddressForm.JE): "Maak je je zorgen? Praat erover met de hulpverlener van {kind}. "
    "Je kunt ons ook vragen om het dossier van {kind} in te zien.",
    ("care", "represented", AddressForm.U): "Maakt u zich zorgen? Praat erover met de hulpverlener. U mag "
    "het dossier inzien van de persoon die u vertegenwoordigt. Vraag ons daar gerust om.",
    ("care", "represented", AddressForm.JE): "Maak je je zorgen? Praat erover met de hulpverlener. Je mag "
    "het dossier inzien van de persoon die je vertegenwoordigt. Vraag ons daar gerust om.",
    ("identity", "own", AddressForm.U): "Let goed op of iemand uw gegevens misbruikt. Bijvoorbeeld om iets "
    f"op uw naam te kopen. Denkt u dat dit gebeurt? Neem dan contact op met {_CMI}. "
    "Doe ook aangifte bij de politie.",
    ("identity", "own", AddressForm.JE): "Let goed op of iemand je gegevens misbruikt. Bijvoorbeeld om iets "
    f"op jouw naam te kopen. Denk je dat dit gebeurt? Neem dan contact op met {_CMI}. "
    "Doe ook aangifte bij de politie.",
    (
        "identity",
        "child",
        AddressForm.U,
    ): "Let goed op of iemand de gegevens van {kind} misbruikt. Bijvoorbeeld "
    f"om iets te kopen. Denkt u dat dit gebeurt? Neem dan contact op met {_CMI}. "
    "Doe ook aangifte bij de politie.",
    ("identity", "child", AddressForm.JE): "Let goed op of iemand de gegevens van {kind} misbruikt. "
    f"Bijvoorbeeld om iets te kopen. Denk je dat dit gebeurt? Neem dan contact op met {_CMI}. "
    "Doe ook aangifte bij de politie.",
    ("identity", "represented", AddressForm.U): "Let goed op of iemand de gegevens misbruikt van de persoon "
    f"die u vertegenwoordigt. Denkt u dat dit gebeurt? Neem dan contact op met {_CMI}. "
    "Doe ook aangifte bij de politie.",
    ("identity", "represented", AddressForm.JE): "Let goed op of iemand de gegevens misbruikt van de persoon "
    f"die je vertegenwoordigt. Denk je dat dit gebeurt? Neem dan contact op met {_CMI}. "
    "Doe ook aangifte bij de politie.",
    ("credentials", "own", AddressForm.U): "Verander uw wachtwoord. Gebruikt u hetzelfde wachtwoord ook "
    "ergens anders? Verander het daar dan ook.",
    ("credentials", "own", AddressForm.JE): "Verander je wachtwoord. Gebruik je hetzelfde wachtwoord ook "
    "ergens anders? Verander het daar dan ook.",
    ("credentials", "child", AddressForm.U): "Help {kind} om het wachtwoord te veranderen. Doe dat ook op "
    "andere plekken met hetzelfde wachtwoord.",
    ("credentials", "child", AddressForm.JE): "Help {kind} om het wachtwoord te veranderen. Doe dat ook op "
    "andere plekken met hetzelfde wachtwoord.",
    ("credentials", "represented", AddressForm.U): "Verander het wachtwoord van de persoon die u "
    "vertegenwoordigt. Doe dat ook op andere plekken met hetzelfde wachtwoord.",
    ("credentials", "represented", AddressForm.JE): "Verander het wachtwoord van de persoon die je "
    "vertegenwoordigt. Doe dat ook op andere plekken met hetzelfde wachtwoord.",
    ("money", "own", AddressForm.U): "Kijk de komende tijd goed naar uw bankrekening. Ziet u iets wat u "
    "niet kent? Bel dan meteen uw bank.",
    ("money", "own", AddressForm.JE): "Kijk de komende tijd goed naar je bankrekening. Zie je iets wat je "
    "niet kent? Bel dan meteen je bank.",
    ("money", "child", AddressForm.U): "Is er een bankrekening op naam van {kind}? Kijk dan de komende tijd "
    "goed naar die bankrekening. Ziet u iets vreemds? Bel dan meteen de bank.",
    ("money", "child", AddressForm.JE): "Is er een bankrekening op naam van {kind}? Kijk dan de komende tijd "
    "goed naar die bankrekening. Zie je iets vreemds? Bel dan meteen de bank.",
    ("money", "represented", AddressForm.U): "Kijk de komende tijd goed naar de bankrekening van de persoon "
    "die u vertegenwoordigt. Ziet u iets vreemds? Bel dan meteen de bank.",
    ("money", "represented", AddressForm.JE): "Kijk de komende tijd goed naar de bankrekening van de persoon "
    "die je vertegenwoordigt. Zie je iets vreemds? Bel dan meteen de bank.",
    ("contact", "own", AddressForm.U): "Wees voorzichtig met berichten die u niet verwacht. Bijvoorbeeld een "
    "e-mail, sms of telefoontje waarin iemand om gegevens of geld vraagt. Geef dan niets door.",
    (
        "contact",
        "own",
        AddressForm.JE,
    ): "Wees voorzichtig met berichten die je niet verwacht. Bijvoorbeeld een "
    "e-mail, sms of telefoontje waarin iemand om gegevens of geld vraagt. Geef dan niets door.",
    (
        "contact",
        "child",
        AddressForm.U,
    ): "Wees voorzichtig met berichten die u niet verwacht. Bijvoorbeeld een "
    "e-mail, sms of telefoontje waarin iemand om gegevens of geld vraagt. Geef dan niets door. "
    "Vertel dit ook aan {kind}.",
    ("contact", "child", AddressForm.JE): "Wees voorzichtig met berichten die je niet verwacht. Bijvoorbeeld "
    "een e-mail, sms of telefoontje waarin iemand om gegevens of geld vraagt. Geef dan niets door. "
    "Vertel dit ook aan {kind}.",
    ("contact", "represented", AddressForm.U): "Wees voorzichtig met berichten die u niet verwacht. "
    "Bijvoorbeeld een e-mail, sms of telefoontje waarin iemand om gegevens of geld vraagt. Geef dan "
    "niets door. Vertel dit ook aan de persoon die u vertegenwoordigt.",
    ("contact", "represented", AddressForm.JE): "Wees voorzichtig met berichten die je niet verwacht. "
    "Bijvoorbeeld een e-mail, sms of telefoontje waarin iemand om gegevens of geld vraagt. Geef dan "
    "niets door. Vertel dit ook aan de persoon die je vertegenwoordigt.",
    (
        "neutral",
        "own",
        AddressForm.U,
    ): "Merkt u iets vreemds? Of heeft u vragen? Neem dan contact met ons op.",
    (
        "neutral",
        "own",
        AddressForm.JE,
    ): "Merk je iets vreemds? Of heb je vragen? Neem dan contact met ons op.",
    ("neutral", "child", AddressForm.U): "Merkt u iets vreemds bij {kind}? Of heeft u vragen? Neem dan "
    "contact met ons op.",
    ("neutral", "child", AddressForm.JE): "Merk je iets vreemds bij {kind}? Of heb je vragen? Neem dan "
    "contact met ons op.",
    (
        "neutral",
        "represented",
        AddressForm.U,
    ): "Merkt u iets vreemds? Of heeft u vragen over de persoon die u "
    "vertegenwoordigt? Neem dan contact met ons op.",
    (
        "neutral",
        "represented",
        AddressForm.JE,
    ): "Merk je iets vreemds? Of heb je vragen over de persoon die je "
    "vertegenwoordigt? Neem dan contact met ons op.",
}

#: A young reader (12 to 17): simpler, always "je", then ``_YOUNG_CLOSING`` once.
_YOUNG: dict[str, str] = {
    "care": "Maak je je zorgen? Praat erover met je hulpverlener. Je mag je dossier inzien. "
    "Vraag ons daar gerust om.",
    "identity": "Gebruikt iemand jouw naam of gegevens, bijvoorbeeld om iets te kopen? Dan kun je hulp "
    f"vragen bij {_CMI}.",
    "credentials": "Verander je wachtwoord. Gebruik je hetzelfde wachtwoord ook ergens anders? "
    "Verander het daar dan ook.",
    "money": "Heb je een eigen bankrekening? Kijk dan de komende tijd goed naar je bankrekening. "
    "Zie je iets vreemds? Bel dan meteen je bank.",
    "contact": "Krijg je een bericht dat je niet verwacht? En vraagt iemand om gegevens of geld? "
    "Geef dan niets door.",
    "neutral": "Merk je iets vreemds? Of heb je vragen? Neem dan contact met ons op.",
}
_YOUNG_CLOSING = "Vind je het moeilijk of spannend? Vertel het aan een volwassene die je vertrouwt."


def _perspective(reader: Addressee) -> str:
    return {
        Addressee.PARENTS: "child",
        Addressee.REPRESENTATIVE: "represented",
        Addressee.EMPLOYEE: "employee",
    }.get(reader, "own")


def child_words(form: AddressForm, children: int = 1) -> str:
    """'uw kind', 'uw kinderen', 'je kind' or 'je kinderen'."""
    return ("uw " if form is AddressForm.U else "je ") + ("kind" if children == 1 else "kinderen")


def data_words(categories: Iterable[DataCategory]) -> list[str]:
    """The plain words for the data that a letter names, each once, in the order given."""
    named = [DATA_WORDS.get(c) for c in categories]
    return list(dict.fromkeys(w for w in named if w))


def advice(
    categories: Iterable[DataCategory], reader: Addressee, form: AddressForm, children: int = 1
) -> str:
    """What the reader can do about these kinds of data, in the reader's voice."""
    held = set(categories)
    groups = [name for name, kinds in GROUPS.items() if held & kinds] or ["neutral"]
    if reader.young:
        return "\n".join([*(_YOUNG[g] for g in groups), _YOUNG_CLOSING])
    perspective = _perspective(reader)
    said = []
    for group in groups:
        text = _ADVICE.get((group, perspective, form)) or _ADVICE[(group, "own", form)]
        said.append(text.format(kind=child_words(form, children)))
    return "\n".join(said)
