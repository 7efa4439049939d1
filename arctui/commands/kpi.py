"""``arctui kpi``: DSO, CEI, ADD, % current, promise-kept rate and contact cadence."""

import click
from tabulate import tabulate

from arctui.commands.common import db_option, open_context, today_option
from arctui.domain.control_chars import visible
from arctui.domain.money import format_money
from arctui.services.kpis import compute_kpis


def _fmt(value, unit=""):
    return "n/a" if value is None else f"{value:,.1f}{unit}"


@click.command(name="kpi")
@db_option
@click.option("--collector", help="One collector's portfolio (default: the whole team).")
@today_option
def command(db_path, collector, today):
    """Print the portfolio KPIs."""
    ctx = open_context(db_path)
    k = compute_kpis(ctx.db, today or ctx.today(), collector)
    rows = [
        ("Total receivables", format_money(k["total_ar_cents"])),
        ("Past due", format_money(k["past_due_cents"])),
        ("DSO (count-back)", _fmt(k["dso"], " days")),
        ("Best possible DSO", _fmt(k["best_possible_dso"], " days")),
        ("ADD (average days delinquent)", _fmt(k["add"], " days")),
        ("CEI (last 30 days)", _fmt(k["cei"], "%")),
        ("% current", _fmt(k["percent_current"], "%")),
        ("Promise-kept rate (90 days)", _fmt(k["promise_kept_rate"], "%")),
        ("Avg days since last contact", _fmt(k["avg_days_since_contact"], " days")),
    ]
    click.echo(tabulate(rows, headers=[f"KPI ({visible(collector or 'team')})", "value"], colalign=("left", "right")))
