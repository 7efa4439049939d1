"""The example team plugins of examples/team-plugins, tested as docs/plugins.md tells a team
to test its own: a plugin host with the team's folder, a real book, the api's own calls."""

import mailbox
import shutil
from datetime import date
from email import policy
from pathlib import Path

import pytest

from arctui import api

REPO = Path(__file__).resolve().parents[2]
TEAM_PLUGINS = REPO / "examples" / "team-plugins"
TODAY = date(2026, 11, 23)


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "book.db"
    shutil.copy(REPO / "sample.db", path)
    return api.open_book(path, today=TODAY, settings=api.Settings(), plugins=api.PluginHost(plugins_dir=TEAM_PLUGINS))


def test_the_examples_load_with_no_problem(book):
    names = {row["name"] for row in book.plugins.listing()}
    assert {"acme_erp_import", "acme_watchlist", "acme_maildir"} <= names
    assert book.plugins.problems == []


def test_watchlist_lists_exactly_the_accounts_whose_90_plus_is_a_tenth_of_their_open_ar(book, tmp_path):
    out = tmp_path / "watch.csv"
    result = api.report(book, "watchlist", out=out)
    expected = book.db.execute(
        """
        SELECT c.account_no, sum(i.open_cents) AS total,
               sum(CASE WHEN julianday(:today) - julianday(i.due_date) > 90 THEN i.open_cents END) AS late
        FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.open_cents <> 0 GROUP BY c.id
        HAVING total > 0 AND late >= total * 0.10 ORDER BY late DESC, c.account_no""",
        {"today": TODAY.isoformat()},
    ).fetchall()
    assert expected, "the sample book has accounts on the watchlist"
    assert [(r["account"], r["open"].cents, r["late"].cents) for r in result.rows] == expected
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("Account,Customer,Collector,Open,90+")


def test_the_maildir_sender_delivers_what_a_collector_sends(book, tmp_path):
    folder = tmp_path / "dry-run"
    book = api.Book(
        book.db,
        book.user,
        book.clock,
        api.Settings({"email": {"sender": "maildir", "from_addr": "ar@example.com", "maildir": str(folder)}}),
        book.plugins,
    )
    customer_id = book.db.execute(
        "SELECT customer_id FROM contacts WHERE email IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()[0]
    outbox_id = api.send_account_email(book, customer_id, "statement", send_now=True)
    row = book.db["email_outbox"].get(outbox_id)
    assert row["status"] == "sent"
    [message] = [m for m in mailbox.Maildir(folder, factory=None, create=False)]
    assert message["Message-ID"] == row["message_id"] and message["To"] == row["to_addr"]
    assert row["subject"] in message.as_string(policy=policy.SMTP).replace("\r\n", "\n")


def test_the_maildir_sender_without_its_folder_says_which_setting_is_missing(book):
    book = api.Book(
        book.db,
        book.user,
        book.clock,
        api.Settings({"email": {"sender": "maildir", "from_addr": "ar@example.com"}}),
        book.plugins,
    )
    customer_id = book.db.execute(
        "SELECT customer_id FROM contacts WHERE email IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()[0]
    with pytest.raises(api.InvalidInput, match="set maildir in \\[email\\]"):
        api.send_account_email(book, customer_id, "statement", send_now=True)
    assert book.db.execute("SELECT count(*) FROM email_outbox WHERE customer_id = ?", [customer_id]).fetchone()[0] == 0


def test_the_examples_import_nothing_of_arctui_but_its_api():
    import ast

    imported = {
        (path.name, node.module if isinstance(node, ast.ImportFrom) else alias.name)
        for path in TEAM_PLUGINS.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert {
        (name, module) for name, module in imported if module and module.startswith("arctui") and module != "arctui.api"
    } == set()
