"""``arctui email ...`` and the settings file, as a user runs them."""

import json
from email import message_from_bytes, policy

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def arctui(run_arctui):
    def run(*args, code=0, config=None):
        result = run_arctui(*args, **({"config": config} if config else {}))
        assert result.exit_code == code, result.output
        return result.output

    return run


def test_queue_a_statement_then_send_it(book_target, db, tmp_path, mailbox, arctui):
    book = str(book_target)
    assert arctui("email", "queue", "C101", "statement", "--db", book, "--today", "2026-11-23") == "email 1 queued\n"
    # the same statement the same day is not queued twice: refused as the console refuses it
    assert arctui("email", "queue", "C101", "statement", "--db", book, "--today", "2026-11-23", code=1) == (
        "Error: statement was already queued to ap1@customer1.test today (email 1); an account gets"
        " each email once a day\n"
    )
    assert (
        arctui("email", "send-queued", "--db", book).splitlines()[-1]
        == "1 sent, 0 failed (tried again next time, up to 5 times), 0 in doubt (see `arctui email stuck`)"
    )
    [message] = [message_from_bytes(e.content, policy=policy.default) for e in mailbox.messages]
    assert message["Subject"] == "Statement of account C101 as of 2026-11-23"
    assert "Total open:    $1,734.56" in message.get_content()


def test_queue_and_send_now_through_the_file_outbox(book_target, db, tmp_path, arctui):
    book = str(book_target)
    output = arctui(
        "email", "queue", "C102", "first_reminder", "--send", "--sender", "file", "--db", book, "--today", "2026-11-23"
    )
    assert output.splitlines() == ["email 1 queued", "email 1 sent"]
    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert "Subject: Friendly reminder: $9,876.54 past due on account C102" in eml.read_text()
    assert db.execute("SELECT status, dedupe_key FROM email_outbox").fetchone() == (
        "sent",
        "dunning:2:first_reminder:2026-11-23",
    )


def test_send_now_what_is_queued_for_the_same_contact(book_target, db, tmp_path, mailbox, arctui):
    db["contacts"].insert({"customer_id": 1, "name": "Controller 1", "email": "ctl1@customer1.test", "is_primary": 0})
    book = str(book_target)
    assert (
        arctui("email", "queue", "C101", "statement", "--to", "CTL1@customer1.test", "--db", book) == "email 1 queued\n"
    )
    assert arctui("email", "queue", "C101", "statement", "--send", "--db", book, code=1) == (
        "Error: statement was already queued to ctl1@customer1.test today (email 1); an account gets"
        " each email once a day\n"
    )
    assert (
        arctui("email", "queue", "C101", "statement", "--to", "ctl1@customer1.test", "--send", "--db", book)
        == "email 1 queued\nemail 1 sent\n"
    )
    assert [e.rcpt_tos for e in mailbox.messages] == [["ctl1@customer1.test"]]
    assert (
        arctui("email", "queue", "C101", "statement", "--to", "nobody@customer1.test", "--db", book, code=1)
        == "Error: contact: account C101 has no contact with the address nobody@customer1.test\n"
    )


def test_an_unknown_account_is_one_clear_line(book_target, db, tmp_path, arctui):
    output = arctui("email", "queue", "C999", "statement", "--db", str(book_target), code=1)
    assert output == "Error: no account C999\n"


def test_an_email_in_doubt_is_listed_and_resolved(book_target, db, ctx, tmp_path, mailbox, arctui, run_arctui):
    book = str(book_target)
    arctui("email", "queue", "C101", "statement", "--db", book)
    mailbox.drop = 1
    result = run_arctui("email", "send-queued", "--db", book, user=None)
    assert "email 1: in doubt, check the mail log before resending" in result.stderr
    assert "1  in doubt  ap1@customer1.test" in arctui("email", "stuck", "--db", book)
    assert (
        arctui("email", "resolve", "1", "--delivered", "--note", "in relay log", "--db", book)
        == "email 1: marked sent\n"
    )
    assert arctui("email", "stuck", "--db", book) == "no stuck emails\n"
    assert len(mailbox.messages) == 1


def test_a_broken_settings_file_is_named_with_its_line(book_target, db, tmp_path, arctui):
    path = tmp_path / "config.toml"
    path.write_text('[email]\nfrom_addr = "ar@arctui.test\n')
    output = arctui("email", "send-queued", "--db", str(book_target), code=1, config=path)
    assert output.startswith(f"Error: {path}: not valid TOML: ") and "line 2" in output


def test_sending_without_a_from_address_says_where_to_set_it(book_target, db, tmp_path, arctui):
    path = tmp_path / "config.toml"
    path.write_text('[email]\nhost = "127.0.0.1"\n')
    output = arctui("dunning", "run", "--db", str(book_target), code=1, config=path)
    assert output == f"Error: from_addr: no From address: set from_addr in [email] of {path}\n"


def test_the_bundled_senders_are_plugins_like_any_other(arctui):
    listing = {p["name"]: p["hooks"] for p in json.loads(arctui("plugins"))}
    assert listing["smtp_sender"] == ["register_email_senders"]
    assert listing["file_outbox"] == ["register_email_senders"]


def test_preview_shows_the_rendered_email_and_its_source(book_target, db, tmp_path, arctui):
    team = tmp_path / "team"
    team.mkdir()
    (team / "statement.j2").write_text("Your balance: {{ totals.open }}\nHello {{ contact.name }}\n")
    config = tmp_path / "team.toml"
    config.write_text(f'[email]\ntemplates_dir = "{team}"\n')
    book = str(book_target)
    assert arctui("email", "preview", "C101", "statement", "--db", book, "--today", "2026-11-23", config=config) == (
        f"Template: {team / 'statement.j2'}\nTo: ap1@customer1.test\n"
        "Subject: Your balance: $1,734.56\n\nHello Payables 1\n"
    )
    listing = dict(line.split() for line in arctui("email", "templates", config=config).splitlines())
    assert listing["statement"] == str(team / "statement.j2")
    assert listing["first_reminder"].endswith("arctui/templates/first_reminder.j2")
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone()[0] == 0


def test_a_bad_security_setting_is_one_clear_line(book_target, db, tmp_path, arctui):
    path = tmp_path / "config.toml"
    path.write_text('[email]\nfrom_addr = "ar@arctui.test"\nsecurity = "tls"\n')
    output = arctui("email", "send-queued", "--db", str(book_target), code=1, config=path)
    assert output == "Error: security: 'tls' is not one of starttls, ssl, none\n"


def test_an_email_nobody_should_get_is_withdrawn(book_target, db, tmp_path, arctui):
    book = str(book_target)
    arctui("email", "queue", "C101", "statement", "--db", book)
    assert arctui("email", "withdraw", "1", "--reason", "sent by post", "--db", book) == "email 1: withdrawn\n"
    assert db.execute("SELECT count(*) FROM email_outbox").fetchone()[0] == 0
    assert "sent by post" in db.execute("SELECT after FROM audit WHERE action = 'email.withdraw'").fetchone()[0]
