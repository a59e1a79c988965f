import pytest


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """The assertions read the English messages; the command line defaults to Finnish."""
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")
