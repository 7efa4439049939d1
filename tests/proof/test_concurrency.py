"""Eight collector processes on one book, a SQLite file or a PostgreSQL database: nothing lost,
nothing locked, one audit row per acknowledged action. ``bench/bench_concurrency.py`` runs the
same for longer."""

from tests.proof.book import make_book
from tests.proof.collector_run import problems, run_collectors

WORKERS = 8
SECONDS = 5.0


def test_eight_collectors_at_once_lose_nothing(book_target, backend, tmp_path):
    book = make_book(book_target, collectors=WORKERS)
    run = run_collectors(book, tmp_path, WORKERS, SECONDS)

    assert problems(book, run) == []
    assert all(run.acknowledged.values()), "every worker got actions through"
    done = {entry["op"] for entries in run.acknowledged.values() for entry in entries}
    assert done >= {
        "touchpoint",
        "promise",
        "plan",
        "memo",
        "write_off",
        "decide",
        "credit_limit",
        "payment",
        "application",
        "dispute",
        "escalate",
        "import_invoices",
        "import_statement",
        "do_batch",
        "pause",
        "contact",
    }
    print(
        f"\n{backend}: {WORKERS} processes x {SECONDS:.0f} s: {run.actions} actions acknowledged, "
        f"{run.per_second:.0f} actions/s, latency ms {run.latency_ms()}, "
        f"{sum(run.refused.values())} refused cleanly"
    )
