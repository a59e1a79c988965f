import psycopg
import pytest


@pytest.mark.postgres
def test_throwaway_cluster_accepts_sql(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("select 1 + 1").fetchone()[0] == 2
