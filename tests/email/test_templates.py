"""Templates: shipped defaults rendered from an account's data, team overrides, the sandbox."""

import time
from datetime import date

import pytest

from arctui.config import Settings
from arctui.domain.plans import equal_schedule
from arctui.services.correspondence import draft_email
from arctui.services.errors import InvalidInput
from arctui.services.plans import create_plan
from arctui.services.promises import record_promise
from arctui.services.templates import TEMPLATE_NAMES, TemplateError, Templates
from tests.email.conftest import TODAY


def test_first_reminder_is_rendered_from_the_account(db):
    draft = draft_email(db, Templates(), 1, "first_reminder", TODAY)
    assert draft.to_addr == "ap1@customer1.test"
    assert draft.subject == "Friendly reminder: $1,234.56 past due on account C101"
    assert draft.body.startswith("Dear Payables 1,\n")
    assert "INV-1001  due 2026-11-03    20 days past due  $1,234.56" in draft.body
    assert "INV-1002" not in draft.body  # not yet due: a reminder lists what is past due
    assert draft.body.rstrip().endswith("Alice Archer\nalice@arctui.test")


def test_every_shipped_template_renders(db, ctx):
    record_promise(ctx, 1, 100_000, date(2026, 11, 30))
    create_plan(ctx, 1, 173_456, equal_schedule(173_456, 3, date(2026, 12, 1), "monthly"), "monthly")
    templates = Templates()
    drafts = {name: draft_email(db, templates, 1, name, TODAY) for name in TEMPLATE_NAMES}
    assert drafts["statement"].subject == "Statement of account C101 as of 2026-11-23"
    assert "Total open:    $1,734.56" in drafts["statement"].body
    assert "  1-30 days    $1,234.56\n" in drafts["statement"].body
    assert drafts["promise_confirmation"].subject == "Confirming your payment of $1,000.00 by 2026-11-30"
    assert "  3.  2027-02-01  $578.20" in drafts["plan_agreement"].body
    assert drafts["final_notice"].subject.startswith("FINAL NOTICE: $1,234.56")


def test_a_promise_confirmation_needs_an_open_promise(db):
    with pytest.raises(InvalidInput, match="account C101 has no open promise"):
        draft_email(db, Templates(), 1, "promise_confirmation", TODAY)


def test_the_team_folder_overrides_a_template_by_name(db, tmp_path):
    (tmp_path / "first_reminder.j2").write_text(
        "{{ customer.name }} owes {{ totals.past_due }}\nHi {{ contact.name }}: "
        "{{ invoices[0].open_cents | money(customer.currency) }}\n"
    )
    templates = Templates(tmp_path)
    draft = draft_email(db, templates, 1, "first_reminder", TODAY)
    assert (draft.subject, draft.body) == ("Northwind Supply owes $1,234.56", "Hi Payables 1: $1,234.56\n")
    assert draft_email(db, templates, 1, "statement", TODAY).subject.startswith("Statement of account")


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ customer.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_the_sandbox_refuses_attribute_tricks(db, tmp_path, body):
    (tmp_path / "first_reminder.j2").write_text(f"Subject\n{body}\n")
    with pytest.raises(TemplateError) as refused:
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)
    message = str(refused.value)
    assert message.startswith(str(tmp_path / "first_reminder.j2"))
    assert "refused by the template sandbox: access to attribute" in message


def test_a_template_cannot_reach_files_outside_the_template_folders(db, tmp_path):
    (tmp_path / "secret.txt").write_text("the vault code")
    team = tmp_path / "team"
    team.mkdir()
    (team / "first_reminder.j2").write_text("Subject\n{% include '../secret.txt' %}\n")
    with pytest.raises(TemplateError, match="first_reminder.j2: ../secret.txt"):
        draft_email(db, Templates(team), 1, "first_reminder", TODAY)


def test_an_unknown_variable_is_an_error_not_a_blank(db, tmp_path):
    (tmp_path / "first_reminder.j2").write_text("Subject\nDear {{ contact.nickname }}\n")
    with pytest.raises(TemplateError, match="first_reminder.j2: .*has no attribute 'nickname'"):
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)


def test_a_syntax_error_names_the_file_and_line(db, tmp_path):
    (tmp_path / "statement.j2").write_text("Subject\nline two\n{% for x in invoices %}\n")
    with pytest.raises(TemplateError, match=r"statement.j2: line 3: Unexpected end of template"):
        draft_email(db, Templates(tmp_path), 1, "statement", TODAY)


def test_a_missing_template_names_where_it_looked(db, tmp_path):
    with pytest.raises(TemplateError, match="no template thank_you.j2 in"):
        Templates(tmp_path).render("thank_you", {})


def test_a_templates_folder_that_is_not_there_is_an_error_not_a_silent_fallback(tmp_path):
    settings = Settings({"email": {"templates_dir": str(tmp_path / "typo")}}, tmp_path / "config.toml")
    with pytest.raises(TemplateError, match=r"templates folder .*typo is not a folder") as refused:
        Templates.from_settings(settings)
    assert str(refused.value).endswith(
        f"([email] templates_dir in {tmp_path / 'config.toml'}, or $ARCTUI_TEMPLATES_DIR)"
    )


def test_the_settings_name_the_teams_folder(db, tmp_path):
    (tmp_path / "statement.j2").write_text("Balance {{ totals.open }}\nHi\n")
    templates = Templates.from_settings(Settings({"email": {"templates_dir": str(tmp_path)}}))
    assert templates.source_file("statement") == str(tmp_path / "statement.j2")
    assert draft_email(db, templates, 1, "statement", TODAY).subject == "Balance $1,734.56"
    assert Templates.from_settings(Settings()).source_file("statement").endswith("arctui/templates/statement.j2")


def test_settings_load_reads_the_environment_once(tmp_path):
    """The one place the environment counts: ARCTUI_CONFIG names the file, ARCTUI_TEMPLATES_DIR
    wins over the file's templates_dir, the SMTP login stands in where the file has none."""
    team = tmp_path / "team"
    team.mkdir()
    path = tmp_path / "elsewhere.toml"
    path.write_text('[email]\nfrom_addr = "ar@arctui.test"\ntemplates_dir = "/nowhere"\n[dunning]\nquiet_days = 5\n')
    environ = {
        "ARCTUI_CONFIG": str(path),
        "ARCTUI_TEMPLATES_DIR": str(team),
        "ARCTUI_SMTP_USER": "robot",
        "ARCTUI_SMTP_PASSWORD": "pw",
    }
    settings = Settings.load(environ=environ)
    assert settings.where == str(path)
    assert settings.section("email") == {
        "from_addr": "ar@arctui.test",
        "templates_dir": str(team),
        "user": "robot",
        "password": "pw",
    }
    assert settings.section("dunning") == {"quiet_days": 5}
    assert Templates.from_settings(settings).folders[0] == team
    path.write_text('[email]\nuser = "file-user"\npassword = "file-pw"\n')
    assert Settings.load(environ=environ).section("email") == {
        "user": "file-user",
        "password": "file-pw",
        "templates_dir": str(team),
    }


def test_a_template_saved_in_another_encoding_is_named(db, tmp_path):
    (tmp_path / "statement.j2").write_bytes("Relevé\nMontant dû\n".encode("latin-1"))
    with pytest.raises(TemplateError, match="statement.j2: cannot be read as UTF-8 text"):
        draft_email(db, Templates(tmp_path), 1, "statement", TODAY)


def test_windows_line_endings_leave_no_carriage_return_in_the_subject(db, tmp_path):
    (tmp_path / "statement.j2").write_bytes(b"Statement {{ customer.account_no }}\r\nHello\r\n")
    assert draft_email(db, Templates(tmp_path), 1, "statement", TODAY).subject == "Statement C101"


# ---- the budget: a template renders in bounded time and size ---------------------------------


@pytest.fixture
def short_budget(monkeypatch):
    """Half a second instead of two: the loops below would run for hours."""
    from arctui.services import template_sandbox

    monkeypatch.setattr(template_sandbox, "RENDER_SECONDS", 0.5)
    original = template_sandbox.start
    monkeypatch.setattr(template_sandbox, "start", lambda seconds=0.5: original(seconds))


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "{% for c in 'x' * 99999 %}{% for d in 'y' * 99999 %}{{ '' }}{% endfor %}{% endfor %}",
        "{% for i in invoices %}{% for j in range(99999) %}{% for k in range(99999) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    ],
)
def test_a_loop_without_end_is_stopped_naming_the_file_and_line(db, tmp_path, short_budget, body):
    (tmp_path / "first_reminder.j2").write_text(f"Subject\nDear you,\n{body}\n")
    started = time.monotonic()
    with pytest.raises(TemplateError) as stopped:
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)
    assert time.monotonic() - started < 5
    assert str(stopped.value) == (
        f"{tmp_path / 'first_reminder.j2'}: line 3: stopped: still rendering after 0.5 seconds"
        " (a loop without end?); a template must render within 0.5 seconds"
    )


@pytest.mark.parametrize(
    "body, says",
    [
        ("{{ 'x' * 10**10 }}", "a repeated value would be 10,000,000,000 characters long"),
        ("{{ ['ab'] * 10**9 }}", "a repeated value would be 3,000,000,000 characters long"),
        ("{{ 10 ** (10 ** 8) }}", "a power of more than 20,000 bits"),
        ("{{ customer.name|center(10**9) }}", "centred text would be 1,000,000,000 characters long"),
        ("{{ customer.name.ljust(10**9) }}", "str.ljust would be 1,000,000,000 characters long"),
        ("{{ '{:>999999999}'.format(1) }}", "a format width would be 999,999,999 characters long"),
        ("{{ '{:{}}'.format(1, 10**9) }}", "a format width taken from the arguments ({:{}}) is not allowed"),
        ("{{ '%999999999d' % 1 }}", "a %-format width would be 999,999,999 characters long"),
        ("{{ ('x' * 99999)|replace('x', 'yy' * 999) }}", "replaced text would be"),
        ("{{ range(99999)|map('center', 99999)|join }}", "would be"),
        ("{{ lipsum(10**6) }}", "lorem ipsum would be"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "namespace attribute 's' would be 262,144 characters long",
        ),
        (
            "{% macro grow(s, n) %}{% if n %}{{ grow(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ grow('x', 64) }}",
            "an argument would be 262,144 characters long",
        ),
        ("{% for i in range(99999) %}{{ customer.name * 9 }}{% endfor %}", "the body renders more than 200,000"),
    ],
)
def test_a_template_that_builds_a_huge_value_is_stopped_before_it_does(db, tmp_path, body, says):
    (tmp_path / "first_reminder.j2").write_text(f"Subject\n{body}\n")
    with pytest.raises(TemplateError) as stopped:
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)
    message = str(stopped.value)
    assert message.startswith(f"{tmp_path / 'first_reminder.j2'}: ") and "stopped: " in message
    assert says in message


def test_lists_and_dicts_cannot_be_grown_in_place(db, tmp_path):
    (tmp_path / "first_reminder.j2").write_text(
        "Subject\n{% set l = [1] %}{% for i in range(64) %}{{ l.extend(l) }}{% endfor %}\n"
    )
    with pytest.raises(TemplateError, match="refused by the template sandbox: access to attribute 'extend'"):
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)


@pytest.mark.parametrize(
    "body, says",
    [
        ("{{ 1 / 0 }}", "line 3: ZeroDivisionError: division by zero"),
        ("{{ 1 + 'a' }}", "line 3: TypeError: unsupported operand"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "line 3: RecursionError: maximum recursion depth"),
    ],
)
def test_a_template_error_at_render_time_is_one_line_naming_the_file(db, tmp_path, body, says):
    (tmp_path / "first_reminder.j2").write_text(f"Subject\nDear you,\n{body}\n")
    with pytest.raises(TemplateError) as failed:
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)
    assert str(failed.value).startswith(f"{tmp_path / 'first_reminder.j2'}: {says}")


def test_a_template_may_loop_over_a_large_statement(db, tmp_path):
    """The budget leaves room for real work: a statement of thousands of lines renders."""
    (tmp_path / "statement.j2").write_text(
        "Statement\n{% for i in range(2000) %}{% for inv in invoices %}"
        "{{ inv.number }} {{ inv.open }}\n{% endfor %}{% endfor %}"
    )
    draft = draft_email(db, Templates(tmp_path), 1, "statement", TODAY)
    assert draft.body.count("\n") >= 2000


def test_a_control_character_in_what_a_template_renders_is_refused(db, tmp_path):
    db.execute("UPDATE customers SET name = 'Northwind\x1b]0;pwned\x07' WHERE id = 1")  # as an old book holds it
    (tmp_path / "first_reminder.j2").write_text("Reminder for {{ customer.account_no }}\nDear {{ customer.name }}\n")
    with pytest.raises(TemplateError) as refused:
        draft_email(db, Templates(tmp_path), 1, "first_reminder", TODAY)
    assert str(refused.value) == (
        f"{tmp_path / 'first_reminder.j2'}: the body renders a control character U+001B (ESC) at character 15"
        " (from the template or the account's data); an email carries no control characters"
    )
