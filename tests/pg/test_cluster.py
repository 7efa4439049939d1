"""The test servers themselves: what every PostgreSQL test stands on."""

import psycopg
import pytest

from tests.pg import cluster


def test_the_suites_server_listens_on_loopback_only_and_syncs_to_disk(pg_url):
    with psycopg.connect(pg_url) as conn:
        settings = conn.execute(
            "SELECT current_setting('listen_addresses'), current_setting('fsync'),"
            " current_setting('synchronous_commit'), current_setting('server_version_num')::int / 10000"
        ).fetchone()
    assert settings == ("127.0.0.1", "on", "on", int(cluster.bin_dir().parent.name))


def test_a_server_that_cannot_start_fails_saying_why_from_its_log():
    with pytest.raises(cluster.ServerError) as failed, cluster.server(max_connections="many"):
        pass
    message = str(failed.value)
    assert message.startswith("starting PostgreSQL failed")
    assert "last lines of" in message and 'invalid value for parameter "max_connections": "many"' in message
