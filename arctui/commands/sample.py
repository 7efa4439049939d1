"""``arctui sample``: write a new database filled with a deterministic demo book (a file, or an
empty PostgreSQL database)."""

import click

from arctui.sample import DEFAULT_TODAY, SampleError, SampleSpec, generate, parse_today


@click.command(name="sample")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--customers", type=int, default=300, show_default=True, help="Number of accounts.")
@click.option(
    "--invoices",
    type=int,
    default=5000,
    show_default=True,
    help="Number of invoices over the ~18 months before --today.",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    show_default=True,
    help="The same seed and arguments give the same book, byte for byte.",
)
@click.option(
    "--today", default=DEFAULT_TODAY.isoformat(), show_default=True, help="The book's as-of date (YYYY-MM-DD)."
)
@click.option(
    "--collectors",
    type=int,
    default=None,
    help="Number of collectors besides the lead [default: one per ~500 accounts, at least 3].",
)
@click.option("--force", is_flag=True, help="Replace PATH if it exists (a file only).")
def command(path, customers, invoices, seed, today, collectors, force):
    """Make PATH, a new database holding a realistic sample book of receivables.

    PATH may be a postgresql:// URL of an empty database: the same book goes there (generated,
    then moved in as `arctui migrate --to` moves one); a database with tables is refused.

    Bulk rows are not audited one by one; a single `sample.generate` audit row records the
    arguments.
    """
    try:
        spec = SampleSpec(customers, invoices, seed, parse_today(today), collectors)
        counts = generate(path, spec, force=force)
    except SampleError as exc:
        raise click.ClickException(str(exc)) from None
    seconds = counts.pop("seconds")
    click.echo(
        f"{_shown(path)}: {counts['customers']:,} customers, {counts['invoices']:,} invoices,"
        f" {counts['payments']:,} payments as of {spec.today.isoformat()}"
        f" (seed {seed}) in {seconds:.1f} s"
    )


def _shown(path: str) -> str:
    """PATH as it may be printed (a URL without its password)."""
    from arctui.store.postgresql import is_url

    if not is_url(path):
        return path
    from arctui.store.postgresql.connection import shown

    return shown(path)
