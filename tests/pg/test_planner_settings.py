"""How arctui's connections to a PostgreSQL book plan their reads, whatever the server's defaults
(``store/postgresql/connection.PLANNER_SETTINGS``): for short index lookups over a book held in
memory, without parallel workers."""

from arctui.store.postgresql.connection import open_book


def test_a_connection_plans_for_short_index_reads_whatever_the_database_defaults(pg_server, pg_url):
    database = pg_url.rsplit("/", 1)[1]
    pg_server.execute(f'ALTER DATABASE "{database}" SET random_page_cost = 4')
    pg_server.execute(f'ALTER DATABASE "{database}" SET max_parallel_workers_per_gather = 2')
    db = open_book(pg_url, 5)
    try:
        assert db.execute("SHOW random_page_cost").fetchone() == ("1.1",)
        assert db.execute("SHOW max_parallel_workers_per_gather").fetchone() == ("0",)
        assert db.execute("SHOW lock_timeout").fetchone() == ("5s",)
    finally:
        db.close()
