"""Onboarding tests run on a seed pack put in force for the test (the web tests' default is generic,
which has no examples to make a quiz of)."""

from __future__ import annotations

import pytest

from somevahti.web.api import checking
from somevahti.web.onboarding import rulestats


@pytest.fixture
def pack_in_force(settings):
    def use(name):
        settings.SOMEVAHTI = {**settings.SOMEVAHTI, "PACK": name}
        checking.organisation_pack.cache_clear()
        rulestats.forget()
        return checking.organisation_pack()

    yield use
    checking.organisation_pack.cache_clear()
    rulestats.forget()
