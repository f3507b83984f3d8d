"""The operator on the server, without a mail server: an FG account through a printed one-time
link, a password link, another role, the FG's details of an organisation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from datalek import store
from datalek.accounts import invitations, redeem
from datalek.store import accounts as account_sql
from datalek.store import audit_log
from tests.test_cli import GOOD_PASSWORD, add_user, cli, org  # noqa: F401 - fixtures

LINK = re.compile(r"^(https?://\S+/wachtwoord-instellen\?code=(\S+))$", re.M)


@pytest.fixture(autouse=True)
def _no_mail_server(monkeypatch):
    monkeypatch.delenv("DATALEK_SMTP_HOST", raising=False)


def code_from(output: str, base_url: str) -> str:
    link, code = LINK.search(output).groups()
    assert link.startswith(base_url + "/")
    return code


def role_of(db_path: Path, email: str) -> str | None:
    with store.unit(db_path) as db:
        row = account_sql.user_by_email(db, email)
    return row["role"] if row else None


def test_invite_dpo_prints_a_link_with_which_the_fg_makes_her_account(cli, org, db_path):  # noqa: F811
    result = cli("user", "invite-dpo", "--org", org, "--base-url", "https://datalek.voorbeeld.invalid/")
    assert result.exit_code == 0, result.output
    assert "Link voor fg@test.invalid, één keer te gebruiken, geldig tot" in result.output
    code = code_from(result.output, "https://datalek.voorbeeld.invalid")
    with store.unit(db_path) as db:
        assert redeem.pending(db, code).name == "Fien"
        user = redeem.redeem(db, code, GOOD_PASSWORD, GOOD_PASSWORD)
        entry = audit_log.recent(db, 20, "invitation.dpo")[0]
    assert (user.email, user.role.value) == ("fg@test.invalid", "dpo")
    assert (entry["actor_role"], json.loads(entry["detail"])["delivery"]) == ("system", "printed")


def test_invite_dpo_refuses_an_address_that_has_an_account(cli, org, db_path):  # noqa: F811
    assert add_user(cli, "fg@test.invalid").exit_code == 0
    result = cli("user", "invite-dpo", "--org", org)
    assert result.exit_code != 0
    assert "Er bestaat al een account met dit e-mailadres" in result.output
    assert role_of(db_path, "fg@test.invalid") == "reporter"


def test_reset_link_prints_a_link_for_the_account(cli, org, db_path):  # noqa: F811
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    result = cli("user", "reset-link", "Melder@test.invalid", "--base-url", "http://intern:8501")
    assert result.exit_code == 0, result.output
    code = code_from(result.output, "http://intern:8501")
    with store.unit(db_path) as db:
        pending = redeem.pending(db, code)
    assert (pending.kind, pending.email) == (invitations.Kind.PASSWORD_RESET, "melder@test.invalid")


def test_set_role_gives_another_role_but_never_beheerder_and_fg_at_once(cli, org, db_path):  # noqa: F811
    assert add_user(cli, "beheer@test.invalid", role="admin").exit_code == 0
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    refused = cli("user", "set-role", "beheer@test.invalid", "dpo")
    assert refused.exit_code != 0
    assert "Een beheerder kan niet ook FG zijn" in refused.output
    assert role_of(db_path, "beheer@test.invalid") == "admin"
    changed = cli("user", "set-role", "melder@test.invalid", "dpo")
    assert changed.exit_code == 0, changed.output
    assert "Functionaris gegevensbescherming (FG)" in changed.output
    with store.unit(db_path) as db:
        grant = audit_log.recent(db, 5, "user.grant_dpo")[0]
    assert json.loads(grant["detail"]) == {"org_ids": [1], "method": "server"}


def test_org_set_dpo_changes_only_what_is_given(cli, org, db_path):  # noqa: F811
    result = cli("org", "set-dpo", org, "--fg-email", "nieuw-fg@test.invalid")
    assert result.exit_code == 0, result.output
    assert "er is geen e-mail over de wijziging verstuurd" in result.output
    with store.unit(db_path) as db:
        row = account_sql.organisation(db, 1)
    assert (row["dpo_name"], row["dpo_email"]) == ("Fien", "nieuw-fg@test.invalid")
