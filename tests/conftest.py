"""Shared fixtures. ``postgres_url``: a throwaway PostgreSQL cluster for the whole session."""

import os

import pytest

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def postgres_url():
    from somevahti.devtools.pgcluster import Cluster, bin_dir

    if bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; `make test` installs it")
        pytest.skip("PostgreSQL server binaries not installed")
    cluster = Cluster()
    url = cluster.start()
    yield url
    cluster.stop()
