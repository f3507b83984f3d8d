"""Which pages each role sees. The menu is convenience; ``datalek`` enforces access."""

from __future__ import annotations

from dataclasses import dataclass

from datalek.models import Role


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str


REPORT = PageSpec("views/report.py", "Datalek melden", ":material/report:", "Melden")
MY_REPORTS = PageSpec("views/my_reports.py", "Mijn meldingen", ":material/inbox:", "Melden")
QUEUE = PageSpec("views/queue.py", "Werkvoorraad", ":material/pending_actions:", "Beoordelen")
REGISTER = PageSpec("views/register.py", "Register", ":material/table_view:", "Beoordelen")
OVERVIEW = PageSpec("views/overview.py", "Overzicht", ":material/bar_chart:", "Inzicht")
USERS = PageSpec("views/users.py", "Accounts", ":material/group:", "Beheer")
ORGANISATIONS = PageSpec("views/organisations.py", "Organisaties", ":material/domain:", "Beheer")
AUDIT = PageSpec("views/audit.py", "Audittrail", ":material/fact_check:", "Beheer")
ACCOUNT = PageSpec("views/account.py", "Mijn account", ":material/person:", "Account")

PAGES_BY_ROLE: dict[Role, tuple[PageSpec, ...]] = {
    Role.REPORTER: (REPORT, MY_REPORTS, ACCOUNT),
    Role.DPO: (QUEUE, REGISTER, REPORT, MY_REPORTS, OVERVIEW, ACCOUNT),
    Role.MANAGEMENT: (OVERVIEW, ACCOUNT),
    Role.ADMIN: (USERS, ORGANISATIONS, AUDIT, ACCOUNT),
}

ALL_PAGES = (REPORT, MY_REPORTS, QUEUE, REGISTER, OVERVIEW, USERS, ORGANISATIONS, AUDIT, ACCOUNT)


def sections(role: Role) -> dict[str, list[PageSpec]]:
    result: dict[str, list[PageSpec]] = {}
    for spec in PAGES_BY_ROLE[role]:
        result.setdefault(spec.section, []).append(spec)
    return result
