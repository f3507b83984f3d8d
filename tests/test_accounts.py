"""Organisations and accounts: the one-time setup, validation per field, and who gets the
notice of a new report."""

from __future__ import annotations

import json

import pytest

from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation, list_organisations, notice_recipients
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.setup import needs_setup, setup_first
from datalek.accounts.users import create_user, find_user, list_users, set_active, set_password
from datalek.models import Actor, InvalidInput, Role
from datalek.store import audit_log
from tests.conftest import PASSWORD

SETUP = {
    "org_name": "Gemeente Eerst",
    "dpo_name": "Fien FG",
    "dpo_email": "fg@eerst.invalid",
    "dpo_phone": "010-1234567",
    "name": "Bea Beheer",
    "email": "Bea.Beheer@Eerst.invalid",
    "password": PASSWORD,
}


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- setup ---------------------------------------------------------------------------------


def test_setup_first_creates_the_organisation_and_the_first_beheerder(fresh_db):
    assert needs_setup(fresh_db)
    admin = setup_first(fresh_db, **SETUP)
    assert not needs_setup(fresh_db)
    assert admin.role is Role.ADMIN and admin.active
    assert admin.email == "bea.beheer@eerst.invalid"
    [org] = list_organisations(fresh_db, Actor.cli())
    assert (org.name, org.dpo_name, org.dpo_email, org.dpo_phone) == (
        "Gemeente Eerst",
        "Fien FG",
        "fg@eerst.invalid",
        "010-1234567",
    )
    assert admin.org_ids == (org.id,)
    # the new beheerder can sign in and administer
    actor = auth.sign_in(fresh_db, SETUP["email"], PASSWORD, client="192.0.2.1")
    assert actor.role is Role.ADMIN
    assert [u.id for u in list_users(fresh_db, actor)] == [admin.id]
    setup = audit_log.recent(fresh_db, 10, "setup")
    assert len(setup) == 1 and json.loads(setup[0]["detail"]) == {"user_id": admin.id}


def test_setup_cannot_be_replayed(fresh_db):
    setup_first(fresh_db, **SETUP)
    with pytest.raises(PermissionDenied) as refused:
        setup_first(fresh_db, **{**SETUP, "org_name": "Overname", "email": "x@y.invalid"})
    assert refused.value.message == "Datalek is al ingericht."
    assert (count(fresh_db, "organisations"), count(fresh_db, "users")) == (1, 1)
    # like every refusal, the attempt is in the audit trail
    entry = audit_log.recent(fresh_db, 1)[0]
    assert entry["action"] == "refused" and entry["actor_id"] is None
    assert json.loads(entry["detail"]) == {"attempted": "setup"}


def test_setup_is_refused_once_any_account_exists(fresh_db, world):
    with pytest.raises(PermissionDenied):
        setup_first(fresh_db, **SETUP)
    assert count(fresh_db, "users") == len(world.actors)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"org_name": " "}, "org_name"),
        ({"dpo_email": "fg-at-eerst"}, "dpo_email"),
        ({"name": ""}, "name"),
        ({"email": "bea"}, "email"),
        ({"password": "kort"}, "password"),
    ],
    ids=["no-org-name", "bad-dpo-email", "no-name", "bad-email", "short-password"],
)
def test_setup_validation_creates_nothing(fresh_db, changes, field):
    with pytest.raises(InvalidInput) as refused:
        setup_first(fresh_db, **{**SETUP, **changes})
    assert set(refused.value.errors) == {field}
    assert needs_setup(fresh_db)
    assert count(fresh_db, "organisations") == 0


# --- create_user -------------------------------------------------------------------------


def new_user(world, **changes) -> dict:
    values = {
        "name": "Nieuwe Collega",
        "email": "nieuw@test.invalid",
        "role": Role.REPORTER,
        "password": PASSWORD,
        "org_ids": [world.org.id],
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"email": "geen-adres"}, {"email": "Dit is geen geldig e-mailadres."}),
        ({"email": "twee@@test.invalid"}, {"email": "Dit is geen geldig e-mailadres."}),
        ({"email": "met spatie@test.invalid"}, {"email": "Dit is geen geldig e-mailadres."}),
        ({"email": ""}, {"email": "Dit is geen geldig e-mailadres."}),
        ({"password": "elf tekens!"}, {"password": "Kies een wachtwoord van minstens 12 tekens."}),
        ({"password": " " * 16}, {"password": "Een wachtwoord mag niet alleen uit spaties bestaan."}),
        (
            {"role": "superuser"},
            {
                "role": "Kies een rol: Medewerker / melder, Functionaris gegevensbescherming (FG), "
                "Directie / bestuur, Beheerder."
            },
        ),
        ({"org_ids": []}, {"org_ids": "Kies minstens één bestaande organisatie."}),
        ({"org_ids": [999]}, {"org_ids": "Kies minstens één bestaande organisatie."}),
        ({"name": "  "}, {"name": "Vul een naam in."}),
        ({"email": "reporter@test.invalid"}, {"email": "Er bestaat al een account met dit e-mailadres."}),
        ({"email": " Reporter@TEST.invalid "}, {"email": "Er bestaat al een account met dit e-mailadres."}),
    ],
    ids=[
        "bad-email",
        "double-at",
        "space-in-email",
        "empty-email",
        "short-password",
        "whitespace-password",
        "unknown-role",
        "no-org",
        "unknown-org",
        "no-name",
        "duplicate-email",
        "duplicate-email-other-case",
    ],
)
def test_create_user_validation_per_field(fresh_db, world, changes, errors):
    users_before = count(fresh_db, "users")
    with pytest.raises(InvalidInput) as refused:
        create_user(fresh_db, world["admin"], **new_user(world, **changes))
    assert refused.value.errors == errors
    assert count(fresh_db, "users") == users_before


def test_create_user_reports_every_wrong_field_at_once(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        create_user(
            fresh_db,
            world["admin"],
            **new_user(world, name="", email="x", role="baas", password="kort", org_ids=[]),
        )
    assert set(refused.value.errors) == {"name", "email", "role", "password", "org_ids"}


def test_create_user_normalises_the_email_address(fresh_db, world):
    user = create_user(
        fresh_db, world["admin"], **new_user(world, email="  Nieuwe.Collega@Example.NL ", name=" Nieuw ")
    )
    assert user.email == "nieuwe.collega@example.nl"
    assert user.name == "Nieuw"
    assert find_user(fresh_db, world["admin"], "NIEUWE.collega@example.nl").id == user.id


def test_create_user_stores_role_organisations_and_an_argon2id_hash(fresh_db, world):
    # an FG account only by the operator on the server (the beheerder invites: test_invitations.py)
    user = create_user(
        fresh_db,
        Actor.cli(),
        **new_user(world, role="dpo", org_ids=[world.org.id, world.other_org.id]),
    )
    assert user.role is Role.DPO and user.active
    assert set(user.org_ids) == {world.org.id, world.other_org.id}
    stored = fresh_db.execute("SELECT password_hash FROM users WHERE id = ?", [user.id]).fetchone()[0]
    assert stored.startswith("$argon2id$")
    grant, create = audit_log.recent(fresh_db, 2)
    assert (create["action"], create["object_id"]) == ("user.create", str(user.id))
    assert json.loads(create["detail"]) == {"role": "dpo"}
    assert (grant["action"], grant["object_id"]) == ("user.grant_dpo", str(user.id))
    assert json.loads(grant["detail"]) == {
        "org_ids": sorted([world.org.id, world.other_org.id]),
        "method": "server",
    }


def test_an_account_without_password_cannot_sign_in_with_one(fresh_db, world):
    create_user(fresh_db, world["admin"], **new_user(world, password=None))
    with pytest.raises(auth.SigninRefused) as refused:
        auth.sign_in(fresh_db, "nieuw@test.invalid", "", client="192.0.2.1")
    assert refused.value.message == auth.WRONG_CREDENTIALS
    assert auth.sign_in_oidc(fresh_db, "nieuw@test.invalid", email_verified=True).role is Role.REPORTER


def test_set_password_replaces_the_old_one(fresh_db, world):
    me = world["reporter2"]
    set_password(fresh_db, me, me.user_id, "een heel nieuw wachtwoord")
    assert (
        auth.sign_in(fresh_db, "reporter2@test.invalid", "een heel nieuw wachtwoord", client="192.0.2.1")
        == me
    )
    with pytest.raises(auth.SigninRefused):
        auth.sign_in(fresh_db, "reporter2@test.invalid", PASSWORD, client="192.0.2.1")


def test_set_password_applies_the_policy(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        set_password(fresh_db, world["admin"], world["reporter"].user_id, "kort")
    assert set(refused.value.errors) == {"password"}


def test_an_admin_cannot_disable_their_own_account(fresh_db, world):
    admin = world["admin"]
    with pytest.raises(InvalidInput) as refused:
        set_active(fresh_db, admin, admin.user_id, False)
    assert set(refused.value.errors) == {"user"}
    assert auth.actor_for(fresh_db, admin.user_id) == admin


def test_a_duplicate_organisation_name_is_a_field_error(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        create_organisation(fresh_db, world["admin"], "Gemeente Test")
    assert set(refused.value.errors) == {"org_name"}


# --- notice recipients -------------------------------------------------------------------


def test_notice_goes_to_the_dpo_address_and_the_active_dpo_accounts(fresh_db, world):
    admin, operator = world["admin"], Actor.cli()
    second = create_user(fresh_db, operator, **new_user(world, email="dpo2@test.invalid", role=Role.DPO))
    gone = create_user(fresh_db, operator, **new_user(world, email="oud-fg@test.invalid", role=Role.DPO))
    set_active(fresh_db, admin, gone.id, False)
    assert notice_recipients(fresh_db, world.org.id) == [
        "dpo2@test.invalid",
        "dpo@test.invalid",
        "fg@test.invalid",
    ]
    # re-enabled, the account gets notices again
    set_active(fresh_db, admin, gone.id, True)
    assert "oud-fg@test.invalid" in notice_recipients(fresh_db, world.org.id)
    assert second.email in notice_recipients(fresh_db, world.org.id)


def test_notice_recipients_stay_within_the_organisation(fresh_db, world):
    # the second organisation has no FG address: only its own FG account, no one else's
    assert notice_recipients(fresh_db, world.other_org.id) == ["other_dpo@test.invalid"]


def test_notice_recipients_never_include_other_roles(fresh_db, world):
    recipients = notice_recipients(fresh_db, world.org.id)
    for key in ("reporter", "reporter2", "management", "admin"):
        assert f"{key}@test.invalid" not in recipients
