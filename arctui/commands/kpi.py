"""``arctui kpi``: DSO, CEI, ADD, % current, promise-kept rate and contact cadence."""

import click
from tabulate import tabulate

from arctui.commands.common import as_of_day, as_of_option, currency_code, db_option, open_context, today_option
from arctui.domain.control_chars import visible
from arctui.domain.money import format_money
from arctui.services.kpis import compute_kpis, portfolio_kpis

DSO_CAP = "≥365"
"""How DSO shows when the AR outlasts the 12 months of sales it is counted back through."""


def _fmt(value, unit=""):
    """One KPI for the table: ``n/a`` when it has no defined value (never 0.0%)."""
    return "n/a" if value is None else f"{value:,.1f}{unit}"


def _dso(k: dict) -> str:
    return f"{DSO_CAP} days" if k["dso_capped"] else _fmt(k["dso"], " days")


def _add(k: dict) -> str:
    """ADD rests on DSO: at DSO's cap it is a lower bound too."""
    if k["add"] is None or not k["dso_capped"]:
        return _fmt(k["add"], " days")
    return f"≥{k['add']:,.1f} days"


def _table(k: dict, heading: str) -> str:
    code = k["currency"]
    rows = [
        ("Total receivables", format_money(k["total_ar_cents"], code)),
        ("Past due", format_money(k["past_due_cents"], code)),
        ("DSO (count-back)", _dso(k)),
        ("Best possible DSO", _fmt(k["best_possible_dso"], " days")),
        ("ADD (average days delinquent)", _add(k)),
        ("CEI (last 30 days)", _fmt(k["cei"], "%")),
        ("% current", _fmt(k["percent_current"], "%")),
        ("Promise-kept rate (90 days)", _fmt(k["promise_kept_rate"], "%")),
        ("Avg days since last contact", _fmt(k["avg_days_since_contact"], " days")),
    ]
    return tabulate(rows, headers=[heading, "value"], colalign=("left", "right"))


@click.command(name="kpi")
@db_option
@click.option("--collector", help="One collector's portfolio (default: the whole team).")
@click.option("--currency", help="The KPIs of this currency's invoices and cash alone.")
@today_option
@as_of_option
def command(db_path, collector, currency, today, as_of):
    """Print the portfolio KPIs.

    A portfolio billed in several currencies gets the KPIs of each currency, then of all of
    them in the book currency when the book has the rates (`arctui currency show`).
    --as-of DATE computes them on the book as it stood at the end of that day."""
    ctx = open_context(db_path)
    day = as_of_day(today, as_of) or ctx.today()
    scope = f"KPI ({visible(collector or 'team')}" + (f", as of {day}" if as_of else "")
    if currency:
        code = currency_code(currency)
        click.echo(_table(compute_kpis(ctx.db, day, collector, as_of is not None, code), f"{scope}, {code})"))
        return
    found = portfolio_kpis(ctx.db, day, collector, as_of is not None)
    each, k = found.by_currency, found.total
    if len(each) > 1:
        click.echo("\n\n".join(_table(kpis, f"{scope}, {code})") for code, kpis in each.items()))
    if k is None:
        click.echo(f"\nno total of every currency: {found.no_rate}")
        return
    heading = f"{scope}, all in {k['currency']})" if len(each) > 1 else f"{scope})"
    click.echo(("\n" if len(each) > 1 else "") + _table(k, heading))
