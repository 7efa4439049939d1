"""A team's own report: the accounts whose 90+ balance is at least a tenth of their open AR.

It reads the book only through ``arctui.api`` (``aging_by_account``) and returns a
``ReportResult``, so every exporter (txt, csv, xlsx, md, html and the team's own) writes it::

    arctui --plugins-dir examples/team-plugins report watchlist --db book.db -o watch.xlsx
"""

from arctui.api import BUCKETS, Column, Money, Report, ReportResult, Section, aging_by_account, hookimpl, total_rows

SHARE = 0.10
COLUMNS = [
    Column("account", "Account"),
    Column("name", "Customer"),
    Column("collector", "Collector"),
    Column("open", "Open", "money"),
    Column("late", "90+", "money"),
    Column("share", "90+ share", "percent"),
]


def watchlist(db, today, collector=None):
    rows = []
    for account in aging_by_account(db, today, collector):
        total = sum(account[bucket] for bucket in BUCKETS)
        late = account["90+"]
        if total > 0 and late >= total * SHARE:
            rows.append(
                {
                    "account": account["account"],
                    "name": account["name"],
                    "collector": account["collector"],
                    "open": Money(total, account["currency"]),
                    "late": Money(late, account["currency"]),
                    "share": round(100 * late / total, 1),
                }
            )
    rows.sort(key=lambda r: (-r["late"].cents, r["account"]))
    return ReportResult(
        "Watchlist: 90+ at least 10% of open AR",
        today,
        COLUMNS,
        [Section(None, rows)],
        totals=total_rows(COLUMNS, rows),
    )


@hookimpl
def register_reports(register):
    register(Report("watchlist", "Watchlist", "accounts whose 90+ is at least 10% of their open AR", watchlist))
