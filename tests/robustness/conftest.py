"""Robustness tests read English messages."""

import pytest



@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """The assertions read the English messages, whatever the machine's LANG (C.UTF-8 means Finnish)."""
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")
