"""Which pages each role sees. The menu is convenience; ``datalek`` enforces access.

Every page is a function in ``pages/``; ``app.py`` hands these callables to
``st.navigation``, so a page file run directly by Streamlit defines functions and shows nothing.

A page's URL is Dutch, as everything a user reads ("/werkvoorraad"), and differs from its
file's name, so that "/<file name>" is never a page. (Streamlit's legacy mode, which ran
``pages/<file>.py`` for it until the first ``st.navigation`` call, is off: ``server.py``.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from datalek.accounts.guest import GuestActor
from datalek.models import Role
from pages import (
    account,
    audit,
    dpo_team,
    guest_supplement,
    my_reports,
    organisations,
    overview,
    queue,
    register,
    report,
    set_password,
    setup,
    signin,
    users,
)


@dataclass(frozen=True)
class PageSpec:
    render: Callable[[], None]
    url_path: str
    title: str
    icon: str
    section: str


REPORT = PageSpec(report.render, "melden", "Datalek melden", ":material/report:", "Melden")
MY_REPORTS = PageSpec(my_reports.render, "mijn-meldingen", "Mijn meldingen", ":material/inbox:", "Melden")
QUEUE = PageSpec(queue.render, "werkvoorraad", "Werkvoorraad", ":material/pending_actions:", "Beoordelen")
REGISTER = PageSpec(register.render, "datalekkenregister", "Register", ":material/table_view:", "Beoordelen")
OVERVIEW = PageSpec(overview.render, "overzicht", "Overzicht", ":material/bar_chart:", "Inzicht")
USERS = PageSpec(users.render, "accounts", "Accounts", ":material/group:", "Beheer")
ORGANISATIONS = PageSpec(organisations.render, "organisaties", "Organisaties", ":material/domain:", "Beheer")
AUDIT = PageSpec(audit.render, "audittrail", "Audittrail", ":material/fact_check:", "Beheer")
ACCOUNT = PageSpec(account.render, "mijn-account", "Mijn account", ":material/person:", "Account")
DPO_TEAM = PageSpec(dpo_team.render, "fg-team", "FG-team", ":material/shield_person:", "Account")
#: Before anyone is signed in: the one-time setup of a new installation, and signing in.
SETUP = PageSpec(setup.render, "inrichten", "Inrichten", ":material/settings:", "")
SIGNIN = PageSpec(signin.render, "aanmelden", "Aanmelden", ":material/login:", "")
#: A one-time link (an invitation to an FG account, a new password) opens this, signed out.
SET_PASSWORD = PageSpec(
    set_password.render, "wachtwoord-instellen", "Wachtwoord instellen", ":material/key:", ""
)

#: A browser without an account (issue #16): through a report link only the report form, through
#: a follow-up token only its one report. Every other address is "Pagina niet gevonden".
GUEST_REPORT = PageSpec(report.render, "melden", "Datalek melden", ":material/report:", "")
GUEST_FOLLOW_UP = PageSpec(
    guest_supplement.render, "aanvullen", "Melding aanvullen", ":material/edit_note:", ""
)


def guest_pages(guest: GuestActor) -> tuple[PageSpec, ...]:
    return (GUEST_FOLLOW_UP,) if guest.follows_up else (GUEST_REPORT,)


PAGES_BY_ROLE: dict[Role, tuple[PageSpec, ...]] = {
    Role.REPORTER: (REPORT, MY_REPORTS, ACCOUNT),
    Role.DPO: (QUEUE, REGISTER, REPORT, MY_REPORTS, OVERVIEW, DPO_TEAM, ACCOUNT),
    Role.MANAGEMENT: (OVERVIEW, ACCOUNT),
    Role.ADMIN: (USERS, ORGANISATIONS, AUDIT, ACCOUNT),
}

ALL_PAGES = (REPORT, MY_REPORTS, QUEUE, REGISTER, OVERVIEW, USERS, ORGANISATIONS, AUDIT, DPO_TEAM, ACCOUNT)


def sections(role: Role) -> dict[str, list[PageSpec]]:
    result: dict[str, list[PageSpec]] = {}
    for spec in PAGES_BY_ROLE[role]:
        result.setdefault(spec.section, []).append(spec)
    return result
