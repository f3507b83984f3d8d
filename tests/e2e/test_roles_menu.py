"""Each role signs in through a real browser and sees exactly its menu."""

import pytest

from datalek.models import Role
from navigation import PAGES_BY_ROLE
from tests.e2e.conftest import sign_in, sign_out

pytestmark = pytest.mark.e2e

ROLE_ACCOUNTS = {
    Role.REPORTER: "reporter@test.invalid",
    Role.DPO: "dpo@test.invalid",
    Role.MANAGEMENT: "management@test.invalid",
    Role.ADMIN: "admin@test.invalid",
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_sees_its_own_menu(page, server, role):
    sign_in(page, server.url, ROLE_ACCOUNTS[role])
    links = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
    # Each link's text is the icon's name, then the title on the last line.
    assert sorted(t.strip().splitlines()[-1] for t in links) == sorted(p.title for p in PAGES_BY_ROLE[role])
    assert page.locator("[data-testid=stException]").count() == 0
    sign_out(page)
    page.get_by_role("heading", name="Aanmelden bij Datalek").wait_for()
