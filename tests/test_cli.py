"""``python -m datalek``: set-up, organisations, accounts, backup and audit checks."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from datalek import store
from datalek.accounts import auth
from datalek.accounts.auth import SigninRefused
from datalek.accounts.organisations import list_organisations
from datalek.cli import main
from datalek.models import Actor
from datalek.store import accounts as account_sql

P = pytest.param
GOOD_PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Invoke the CLI against the test database (through DATALEK_DB)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, env={"DATALEK_DB": str(db_path)})

    return invoke


@pytest.fixture
def org(cli) -> str:
    result = cli("org", "add", "Gemeente Proefstad", "--fg-name", "Fien", "--fg-email", "fg@test.invalid")
    assert result.exit_code == 0, result.output
    return "Gemeente Proefstad"


def add_user(
    cli, email: str, role: str = "reporter", org: str = "Gemeente Proefstad", password: str = GOOD_PASSWORD
) -> Result:
    return cli(
        "user",
        "add",
        "--name",
        "Test Persoon",
        "--email",
        email,
        "--role",
        role,
        "--org",
        org,
        "--password-stdin",
        input=password + "\n",
    )


def user_row(db_path: Path, email: str) -> dict | None:
    with store.unit(db_path) as db:
        return account_sql.user_by_email(db, email)


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows in a fixed order: by rowid, or by every column for a table without one
    (``stats_versions``)."""
    with store.unit(path) as db:
        plain = {
            n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE sql NOT LIKE '%WITHOUT ROWID%'")
        }
        found = {}
        for name in db.table_names():
            order = "rowid" if name in plain else ", ".join(str(i + 1) for i in range(len(db[name].columns)))
            found[name] = [
                tuple(r) for r in db.execute(f"SELECT * FROM [{name}] ORDER BY {order}").fetchall()
            ]
        return found


# --- init ------------------------------------------------------------------------------


def test_init_creates_the_database(tmp_path: Path):
    path = tmp_path / "nieuw" / "datalek.db"
    result = CliRunner().invoke(main, ["init", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert path.exists()
    assert store.is_current(path)
    assert "schema is actueel" in result.output


def test_init_reads_datalek_db(tmp_path: Path):
    path = tmp_path / "uit-env.db"
    result = CliRunner().invoke(main, ["init"], env={"DATALEK_DB": str(path)})
    assert result.exit_code == 0, result.output
    assert store.is_current(path)


def test_init_twice_is_fine_and_keeps_data(tmp_path: Path):
    path = tmp_path / "datalek.db"
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--db", str(path)]).exit_code == 0
    assert runner.invoke(main, ["org", "add", "Gemeente Blijft", "--db", str(path)]).exit_code == 0
    again = runner.invoke(main, ["init", "--db", str(path)])
    assert again.exit_code == 0, again.output
    assert "0 migratie(s) toegepast" in again.output
    listed = runner.invoke(main, ["org", "list", "--db", str(path)])
    assert "Gemeente Blijft" in listed.output


@pytest.mark.parametrize(
    "args",
    [
        P(["org", "list"], id="org-list"),
        P(["org", "add", "Gemeente X"], id="org-add"),
        P(["user", "list"], id="user-list"),
        P(["user", "disable", "a@test.invalid"], id="user-disable"),
        P(["audit", "verify"], id="audit-verify"),
    ],
)
def test_missing_database_is_refused_with_a_pointer_to_init(tmp_path: Path, args):
    path = tmp_path / "bestaat-niet.db"
    result = CliRunner().invoke(main, [*args, "--db", str(path)])
    assert result.exit_code != 0
    assert "init" in result.output
    assert "bestaat niet" in result.output
    assert not path.exists(), "a command other than init must not create an empty database"


# --- organisations ---------------------------------------------------------------------


def test_org_add_and_list(cli):
    added = cli("org", "add", "Gemeente Proefstad", "--fg-name", "Fien FG", "--fg-email", "fg@test.invalid")
    assert added.exit_code == 0, added.output
    assert "Organisatie 1 aangemaakt: Gemeente Proefstad" in added.output
    assert cli("org", "add", "Jeugdzorg Proef").exit_code == 0
    listed = cli("org", "list")
    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert lines == ["1\tGemeente Proefstad\tFG: Fien FG", "2\tJeugdzorg Proef\tFG: -"]


def test_org_add_with_db_option(tmp_path: Path):
    path = tmp_path / "ander.db"
    store.migrate(path)
    result = CliRunner().invoke(main, ["org", "add", "Gemeente Elders", "--db", str(path)])
    assert result.exit_code == 0, result.output
    with store.unit(path) as db:
        assert account_sql.organisation_by_name(db, "Gemeente Elders") is not None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        P(["Gemeente Proefstad"], "bestaat al een organisatie", id="duplicate-name"),
        P(["Gemeente Y", "--fg-email", "geen-adres"], "geen geldig e-mailadres", id="bad-fg-email"),
        P(["   "], "naam van de organisatie", id="blank-name"),
    ],
)
def test_org_add_refusals(cli, org, args, fragment):
    result = cli("org", "add", *args)
    assert result.exit_code != 0
    assert fragment in result.output


# --- accounts --------------------------------------------------------------------------


def test_user_add_with_password_from_stdin(cli, org, db_path):
    result = add_user(cli, "melder@test.invalid")
    assert result.exit_code == 0, result.output
    assert "Account" in result.output and "aangemaakt" in result.output
    assert GOOD_PASSWORD not in result.output
    with store.unit(db_path) as db:
        actor = auth.sign_in(db, "melder@test.invalid", GOOD_PASSWORD, client="192.0.2.1")
    assert actor.role.value == "reporter"
    listed = cli("user", "list")
    assert "melder@test.invalid\treporter\tactief\torg 1" in listed.output


def test_user_add_with_hidden_prompt(cli, org, db_path):
    result = cli(
        "user",
        "add",
        "--name",
        "Fien",
        "--email",
        "fg2@test.invalid",
        "--role",
        "dpo",
        "--org",
        "1",
        input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output
    with store.unit(db_path) as db:
        assert auth.sign_in(db, "fg2@test.invalid", GOOD_PASSWORD, client="192.0.2.1").role.value == "dpo"


def test_user_add_for_several_organisations_by_id_and_name(cli, org, db_path):
    assert cli("org", "add", "Jeugdzorg Proef").exit_code == 0
    result = cli(
        "user",
        "add",
        "--name",
        "FG",
        "--email",
        "fg@test.invalid",
        "--role",
        "dpo",
        "--org",
        "1",
        "--org",
        "jeugdzorg proef",
        "--password-stdin",
        input=GOOD_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    with store.unit(db_path) as db:
        actor = auth.actor_for(db, user_row(db_path, "fg@test.invalid")["id"])
    assert sorted(actor.org_ids) == [1, 2]


@pytest.mark.parametrize("command", [("user", "add"), ("user", "set-password")], ids=["add", "set-password"])
def test_password_is_never_a_command_line_option(command):
    cmd: click.Command = main
    for name in command:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    for param in cmd.params:
        if isinstance(param, click.Option) and any("password" in o for o in param.opts):
            assert param.is_flag, f"{param.opts} would take a password on the command line"


@pytest.mark.parametrize("option", ["--password", "--pw", "-p"])
def test_password_option_is_rejected(cli, org, db_path, option):
    result = cli(
        "user",
        "add",
        "--name",
        "X",
        "--email",
        "x@test.invalid",
        "--role",
        "reporter",
        "--org",
        "1",
        option,
        GOOD_PASSWORD,
    )
    assert result.exit_code == 2
    assert "No such option" in result.output
    assert user_row(db_path, "x@test.invalid") is None


@pytest.mark.parametrize(
    ("email", "role", "org_name", "password", "fragment"),
    [
        P(
            "melder@test.invalid",
            "reporter",
            "1",
            GOOD_PASSWORD,
            "bestaat al een account met dit e-mailadres",
            id="duplicate-email",
        ),
        P(
            "MELDER@Test.Invalid",
            "dpo",
            "1",
            GOOD_PASSWORD,
            "bestaat al een account met dit e-mailadres",
            id="duplicate-email-other-case",
        ),
        P("nieuw@test.invalid", "superuser", "1", GOOD_PASSWORD, "superuser", id="unknown-role"),
        P(
            "nieuw@test.invalid",
            "reporter",
            "Gemeente Nergens",
            GOOD_PASSWORD,
            "Onbekende organisatie: Gemeente Nergens",
            id="unknown-org-name",
        ),
        P(
            "nieuw@test.invalid",
            "reporter",
            "99",
            GOOD_PASSWORD,
            "Onbekende organisatie: 99",
            id="unknown-org-id",
        ),
        P("nieuw@test.invalid", "reporter", "1", "kort", "minstens 12 tekens", id="short-password"),
        P("nieuw@test.invalid", "reporter", "1", " " * 14, "niet alleen uit spaties", id="blank-password"),
        P("geen-adres", "reporter", "1", GOOD_PASSWORD, "geen geldig e-mailadres", id="bad-email"),
    ],
)
def test_user_add_refusals(cli, org, db_path, email, role, org_name, password, fragment):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    result = add_user(cli, email, role=role, org=org_name, password=password)
    assert result.exit_code != 0
    assert fragment in result.output
    assert "Traceback" not in result.output
    if email.startswith("nieuw"):
        assert user_row(db_path, email) is None


def test_user_add_refuses_an_ambiguous_organisation_name(cli, org, db_path):
    # Names are unique as typed, but looked up regardless of case: never guess which one.
    assert cli("org", "add", "gemeente proefstad").exit_code == 0
    result = add_user(cli, "nieuw@test.invalid", org="Gemeente Proefstad")
    assert result.exit_code != 0
    assert "Meerdere organisaties" in result.output
    assert user_row(db_path, "nieuw@test.invalid") is None
    by_id = add_user(cli, "nieuw@test.invalid", org="2")
    assert by_id.exit_code == 0, by_id.output
    with store.unit(db_path) as db:
        assert auth.actor_for(db, user_row(db_path, "nieuw@test.invalid")["id"]).org_ids == (2,)


def test_user_disable_locks_the_account_out(cli, org, db_path):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    user_id = user_row(db_path, "melder@test.invalid")["id"]
    result = cli("user", "disable", "Melder@test.invalid")
    assert result.exit_code == 0, result.output
    assert "uitgeschakeld" in result.output
    with store.unit(db_path) as db:
        assert auth.actor_for(db, user_id) is None
        with pytest.raises(SigninRefused, match="uitgeschakeld"):
            auth.sign_in(db, "melder@test.invalid", GOOD_PASSWORD, client="192.0.2.1")
    assert "uitgeschakeld" in cli("user", "list").output
    assert cli("user", "enable", "melder@test.invalid").exit_code == 0
    with store.unit(db_path) as db:
        assert auth.actor_for(db, user_id) is not None


def test_user_disable_unknown_email(cli, org):
    result = cli("user", "disable", "niemand@test.invalid")
    assert result.exit_code != 0
    assert "Geen account met e-mailadres" in result.output


def test_set_password(cli, org, db_path):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    new = "een heel ander wachtwoord"
    result = cli("user", "set-password", "melder@test.invalid", "--password-stdin", input=new + "\n")
    assert result.exit_code == 0, result.output
    assert "Wachtwoord gewijzigd" in result.output
    assert new not in result.output
    with store.unit(db_path) as db:
        assert auth.sign_in(db, "melder@test.invalid", new, client="192.0.2.1").user_id is not None
        with pytest.raises(SigninRefused):
            auth.sign_in(db, "melder@test.invalid", GOOD_PASSWORD, client="192.0.2.1")


def test_set_password_refuses_a_short_password(cli, org, db_path):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    result = cli("user", "set-password", "melder@test.invalid", "--password-stdin", input="kort\n")
    assert result.exit_code != 0
    assert "minstens 12 tekens" in result.output
    with store.unit(db_path) as db:
        assert auth.sign_in(db, "melder@test.invalid", GOOD_PASSWORD, client="192.0.2.1").user_id is not None


# --- backup and audit ------------------------------------------------------------------


def test_backup_makes_an_equal_copy(cli, org, db_path, tmp_path):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    target = tmp_path / "backup" / "kopie.db"
    target.parent.mkdir()
    result = cli("backup", "--to", str(target))
    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.output
    source, copy = table_rows(db_path), table_rows(target)
    assert set(copy) == set(source)
    for table in source:
        if table in ("audit_log", "audit_head"):  # the backup's own entry moves the head too
            continue
        assert copy[table] == source[table], table
    # The backup itself is audited in the source, after the copy was taken.
    assert copy["audit_log"] == source["audit_log"][:-1]
    with store.unit(db_path) as db:
        last = list(db.query("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"))[0]
    assert last["action"] == "backup"
    # The copy is a working database with an intact audit trail.
    copy_verify = CliRunner().invoke(main, ["audit", "verify", "--db", str(target)])
    assert copy_verify.exit_code == 0, copy_verify.output
    assert any(r[1] == "melder@test.invalid" for r in copy["users"])


def test_backup_never_overwrites(cli, org, tmp_path):
    target = tmp_path / "kopie.db"
    assert cli("backup", "--to", str(target)).exit_code == 0
    before = target.read_bytes()
    again = cli("backup", "--to", str(target))
    assert again.exit_code != 0
    assert "bestaat al" in again.output
    assert target.read_bytes() == before


def test_backup_of_a_missing_database(tmp_path):
    result = CliRunner().invoke(
        main, ["backup", "--db", str(tmp_path / "weg.db"), "--to", str(tmp_path / "kopie.db")]
    )
    assert result.exit_code != 0
    assert "bestaat niet" in result.output
    assert not (tmp_path / "kopie.db").exists()


def test_audit_verify_intact(cli, org):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_audit_verify_names_a_tampered_entry(cli, org, db_path):
    assert add_user(cli, "melder@test.invalid").exit_code == 0
    with store.unit(db_path) as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 1")
        db.conn.commit()
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "broken at sequence number 1" in result.output


@pytest.mark.parametrize("spelling", ["--dpo", "--fg"], ids=["dpo", "fg-as-before"])
def test_org_add_takes_the_dpo_details_under_both_spellings(cli, spelling, db_path):
    result = cli(
        "org",
        "add",
        "Gemeente Tweeluik",
        f"{spelling}-name",
        "Fien",
        f"{spelling}-email",
        "fien@test.invalid",
        f"{spelling}-phone",
        "010-1234567",
    )
    assert result.exit_code == 0, result.output
    with store.unit(db_path) as db:
        [org] = [o for o in list_organisations(db, Actor.cli()) if o.name == "Gemeente Tweeluik"]
    assert (org.dpo_name, org.dpo_email, org.dpo_phone) == ("Fien", "fien@test.invalid", "010-1234567")


# --- report: the yearly verantwoording, in the format its file name asks for (#17) ---------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("verantwoording.pdf", "Een bestand met '.pdf' aan het eind kan Datalek niet maken."),
        ("verantwoording.docx.txt", "Een bestand met '.txt' aan het eind kan Datalek niet maken."),
        ("verantwoording.htm", "Een bestand met '.htm' aan het eind kan Datalek niet maken."),
        ("verantwoording", "Het bestand heeft geen extensie."),
    ],
    ids=["pdf", "txt", "htm", "none"],
)
def test_report_refuses_an_output_suffix_it_does_not_know(cli, org, tmp_path, name, message):
    out = tmp_path / name
    result = cli("report", "--org", org, "--year", "2026", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert f"Fout: {message} Gebruik .html, .xlsx of .docx. Er is niets geschreven." in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "start"),
    [("v.html", b"<!DOCTYPE html>"), ("v.xlsx", b"PK"), ("v.docx", b"PK"), ("V.DOCX", b"PK")],
    ids=["html", "xlsx", "docx", "docx-capitals"],
)
def test_report_writes_the_format_its_suffix_names(cli, org, tmp_path, name, start):
    out = tmp_path / name
    result = cli("report", "--org", org, "--year", "2026", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Verantwoording 2026 geschreven naar {out}." in result.output
    assert out.read_bytes().startswith(start)
    if name.lower().endswith(".docx"):
        import docx

        document = docx.Document(str(out))
        headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert [text for _, text in headings[:3]] == [
            "Verantwoording datalekken 2026 — Gemeente Proefstad",
            "Toelichting van de FG",
            "De cijfers in het kort",
        ]
        charts = headings[headings.index(("Heading 2", "Grafieken")) + 1 :]
        charts = charts[: [style for style, _ in charts].index("Heading 2")]
        assert len(document.inline_shapes) == len(charts) > 0, "every chart as a picture"
