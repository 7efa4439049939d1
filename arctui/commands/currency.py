"""``arctui currency``: the book currency and the exchange rates held to convert into it."""

import click

from arctui.commands.common import db_option, open_context, text_table


@click.group(name="currency")
def command():
    """The book currency and the exchange rates to convert into it."""


@command.command(name="show")
@db_option
def show(db_path):
    """The book currency and, per currency pair, the days the rates cover."""
    from arctui.store.read import rates

    db = open_context(db_path).db
    code = rates.book_currency(db)
    if rates.book_setting(db, rates.BOOK_CURRENCY) is None:
        click.echo(
            f"book currency: {code} (not set: the currency most accounts are billed in;"
            " a manager sets it with `arctui currency set CODE`)"
        )
    else:
        click.echo(f"book currency: {code}")
    covered = rates.coverage(db)
    if not covered:
        click.echo("no exchange rates: import them with `arctui import ecb FILE` or `arctui import rates FILE`")
        return
    click.echo(
        text_table(
            ["base", "currency", "first day", "last day", "rates"],
            [(r["base"], r["currency"], r["first_day"], r["last_day"], f"{r['rows']:,}") for r in covered],
            right=[4],
        )
    )
    click.echo(f"a rate covers the day it is for and up to {rates.STALE_AFTER_DAYS} days after")


@command.command(name="set")
@db_option
@click.argument("code")
def set_currency(db_path, code):
    """Make CODE (ISO 4217, e.g. EUR) the book currency (managers only)."""
    from arctui.services.currency import set_book_currency

    click.echo(f"book currency: {set_book_currency(open_context(db_path), code)}")
