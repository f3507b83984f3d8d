"""What an employee reads right after reporting: what happens next, and immediate do's and
don'ts for the situation they reported."""

from __future__ import annotations

from datalek.intake.situations import Situation

NEXT_STEPS = (
    "De functionaris gegevensbescherming (FG) bekijkt je melding zo snel mogelijk. "
    "De FG beslist of het een datalek is en of het gemeld moet worden bij de "
    "Autoriteit Persoonsgegevens. Misschien neemt de FG contact met je op voor meer informatie."
)

_GENERAL_DONTS = (
    "Stuur de gegevens niet door, ook niet om te laten zien wat er misging.",
    "Zet geen namen of andere persoonsgegevens in berichten over dit incident.",
)

GUIDANCE: dict[Situation, tuple[str, ...]] = {
    Situation.EMAIL_WRONG_PERSON: (
        "Vraag de ontvanger de e-mail en eventuele bijlagen te verwijderen en dat per e-mail te bevestigen.",
        "Probeer de e-mail terug te halen als je e-mailprogramma dat kan.",
    ),
    Situation.LETTER_WRONG_ADDRESS: (
        "Vraag de ontvanger de brief terug te sturen of te vernietigen, en dat te bevestigen.",
        "Controleer het adres in het systeem, zodat de volgende brief goed gaat.",
    ),
    Situation.EMAIL_VISIBLE_RECIPIENTS: (
        "Vraag de ontvangers de e-mail te verwijderen en niet met 'allen beantwoorden' te reageren.",
        "Stuur geen nieuwe e-mail aan dezelfde groep voordat de FG heeft meegekeken.",
    ),
    Situation.WRONG_DOCUMENT: (
        "Vraag de ontvanger het document te verwijderen of terug te geven en dat te bevestigen.",
        "Zet verkeerd gearchiveerde gegevens niet zelf over: overleg eerst met de FG.",
    ),
    Situation.DEVICE_LOST: (
        "Meld het meteen bij de ICT-servicedesk, zodat het apparaat op afstand gewist of geblokkeerd "
        "kan worden.",
        "Wijzig je wachtwoorden. Doe aangifte bij de politie als het gestolen is.",
    ),
    Situation.PAPER_LOST: (
        "Ga na waar je het dossier het laatst had en vraag daar of het gevonden is.",
        "Doe aangifte bij de politie als het gestolen is.",
    ),
    Situation.PUBLISHED: (
        "Haal het document of bericht meteen offline of maak de map privé, als je dat kunt.",
        "Vraag de webredactie ook kopieën en zoekresultaten te laten verwijderen.",
    ),
    Situation.UNAUTHORISED_ACCESS: (
        "Laat te ruime rechten direct aanpassen door de applicatiebeheerder.",
        "Spreek de collega niet zelf aan: de FG en je leidinggevende pakken dit op.",
    ),
    Situation.HACK: (
        "Koppel het apparaat los van het netwerk, maar zet het niet uit.",
        "Bel direct de ICT-servicedesk. Betaal nooit losgeld.",
    ),
    Situation.PHISHING: (
        "Wijzig meteen je wachtwoord en meld het bij de ICT-servicedesk.",
        "Klik niet meer op links in het bericht en verwijder het pas na overleg met ICT.",
    ),
    Situation.DATA_LOST: (
        "Vraag de ICT-servicedesk of de gegevens uit een back-up terug te zetten zijn.",
        "Probeer niet zelf bestanden te herstellen met software van internet.",
    ),
    Situation.VERBAL: (
        "Schrijf op wat er gezegd is en aan wie, zonder namen van cliënten in je aantekening.",
    ),
    Situation.OTHER: ("Beperk de schade als je dat veilig kunt doen, en bewaar wat je hebt gedaan.",),
}


def for_situation(situation: Situation) -> tuple[str, ...]:
    """Immediate do's and don'ts for this situation."""
    return GUIDANCE[situation] + _GENERAL_DONTS
