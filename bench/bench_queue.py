"""The ranked queue and the KPIs on a 1,000,000-invoice book, against the raw SQL they rest on.

Run: python bench/bench_queue.py [--invoices N]
Prints the queue's time for one collector (top 200 accounts with score components) against
the bare aging aggregate over the same collector's open invoices, and the KPI computation.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arctui.sample import DEFAULT_TODAY  # noqa: E402
from arctui.services.kpis import compute_kpis  # noqa: E402
from arctui.services.queue import build_queue  # noqa: E402
from arctui.store.connection import connect  # noqa: E402
from arctui.store.read.accounts import account_facts_sql, open_aging_sql  # noqa: E402
from bench.common import best_of, sample_book  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=15_000)
    parser.add_argument("--collectors", type=int, default=10)
    args = parser.parse_args()
    db = connect(sample_book(args.customers, args.invoices, args.collectors))
    today = DEFAULT_TODAY
    collector, accounts = db.execute(
        "SELECT owner, count(*) FROM customers GROUP BY owner ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    open_invoices = db.execute(
        "SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.customer_id"
        " WHERE i.open_cents <> 0 AND c.owner = ?",
        [collector],
    ).fetchone()[0]
    params = {"today": today.isoformat(), "collector": collector}

    raw_aging = best_of(lambda: db.execute(open_aging_sql(True), params).fetchall())
    raw_facts = best_of(lambda: db.execute(account_facts_sql(True), params).fetchall())
    queue = best_of(lambda: build_queue(db, today, collector, limit=200))
    rows = build_queue(db, today, collector, limit=200)
    kpis = best_of(lambda: compute_kpis(db, today, collector), runs=3)
    team_kpis = best_of(lambda: compute_kpis(db, today), runs=3)

    total = db.execute("SELECT count(*) FROM invoices").fetchone()[0]
    print(
        f"book: {total:,} invoices; collector {collector}: {accounts:,} accounts, "
        f"{open_invoices:,} open invoices; queue rows scored: {len(rows)} (top 200)"
    )
    print(f"raw aging aggregate (SQL only)         {raw_aging * 1000:8.1f} ms")
    print(f"raw account-facts aggregate (SQL only) {raw_facts * 1000:8.1f} ms")
    print(f"ranked queue, top 200 with components  {queue * 1000:8.1f} ms")
    print(f"  ratio queue / raw aging aggregate     {queue / raw_aging:8.2f}x")
    print(f"  ratio queue / raw facts aggregate     {queue / raw_facts:8.2f}x")
    print(f"KPIs, one collector                    {kpis * 1000:8.1f} ms")
    print(f"KPIs, whole team                       {team_kpis * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
