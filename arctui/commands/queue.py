"""``arctui queue``: the ranked accounts with the reasons behind each score."""

import click

from arctui.commands.common import as_of_day, as_of_option, db_option, open_context, text_table, today_option
from arctui.domain.control_chars import visible
from arctui.domain.money import format_money
from arctui.services.queue import build_queue, from_scratch_note


@click.command(name="queue")
@db_option
@click.option("--collector", help="Whose portfolio (default: yours; 'all' for the whole team).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@today_option
@as_of_option
@click.option(
    "--read-only", is_flag=True, help="Open the book without writing to it (as a reader without write access)."
)
def command(db_path, collector, limit, today, as_of, read_only):
    """Print the queue: accounts ranked by priority score, with its components.

    --as-of DATE ranks on the balances and aging of the book as it stood at the end of that day."""
    day = as_of_day(today, as_of)
    ctx = open_context(db_path, read_only=read_only)
    who = None if collector == "all" else (collector or ctx.user)
    rows = build_queue(ctx.db, day or ctx.today(), who, limit, as_of=as_of is not None)
    if as_of is None and (note := from_scratch_note(ctx.db, day or ctx.today())):
        click.echo(note, err=True)
    if not rows:
        click.echo(f"no accounts in {visible(who or 'the team')}'s queue")
        return
    table = [
        [
            rank,
            row.account_no,
            visible(row.name)[:32],
            format_money(row.past_due_cents, row.currency),
            row.oldest_days_past_due,
            f"{row.score.total:.1f}",
            "; ".join(f"{c.name} {c.points:+.1f}: {c.reason}" for c in row.score.components),
        ]
        for rank, row in enumerate(rows, start=1)
    ]
    click.echo(
        text_table(["#", "account", "name", "past due", "oldest", "score", "why"], table, right=(0, 4, 5), wrap={6: 80})
    )
