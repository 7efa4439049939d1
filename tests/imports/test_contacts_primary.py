"""Contacts import (issue 14, item 5): an import can no longer give an account two primary contacts."""

from arctui.services.contacts import add_contact


def test_a_file_naming_two_primaries_for_one_account_is_refused_whole(ctx, load, tmp_path):
    load("customers", "customers.csv")
    file = tmp_path / "contacts.csv"
    file.write_text("account_no,name,email,is_primary\nC100,Ann,ann@acme.example,yes\nC100,Ben,ben@acme.example,yes\n")
    report = load("contacts", file)
    assert [(r.line, r.field) for r in report.rejected] == [(3, "is_primary")]
    assert "'Ann' is already this account's primary contact" in report.rejected[0].reason
    assert not report.written and ctx.db["contacts"].count == 0


def test_a_line_may_not_take_the_primary_from_one_in_the_book(ctx, load, tmp_path):
    load("customers", "customers.csv")
    add_contact(ctx, 1, "Ann", email="ann@acme.example", primary=True)
    file = tmp_path / "contacts.csv"
    file.write_text("account_no,name,email,is_primary\nC100,Ann,ann@acme.example,0\nC100,Ben,ben@acme.example,1\n")
    report = load("contacts", file)
    assert [(r.line, r.field) for r in report.rejected] == [(3, "is_primary")]
    assert "arctui do contact edit --primary" in report.rejected[0].reason
    assert ctx.db.execute("SELECT name FROM contacts WHERE is_primary <> 0").fetchall() == [("Ann",)]


def test_the_primary_named_again_is_no_second_primary(ctx, load, tmp_path):
    load("customers", "customers.csv")
    add_contact(ctx, 1, "Ann", email="ann@acme.example", primary=True)
    file = tmp_path / "contacts.csv"
    file.write_text("account_no,name,email,phone,is_primary\nC100,Ann,ann@acme.example,555-0100,yes\n")
    report = load("contacts", file)
    assert report.rejected == [] and report.updated == 1
