"""Service-level tests read the refusal texts in English (the pages' tests read fi/sv themselves)."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
