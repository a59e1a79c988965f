"""The main navigation is rendered once per language, page kind and set of permission answers and
kept (core/templatetags/core_nav.py): a kept copy must be exactly what a fresh rendering gives, for
every role in every language, also when another role or language was served just before."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from somevahti.web.core.models import Role
from somevahti.web.core.templatetags import core_nav
from tests.web.conftest import verified_login

pytestmark = pytest.mark.django_db
PAGES = ("/", "/account/", "/registry/accounts/", "/no-such-page/")


def _nav(client, path, lang) -> str:
    html = client.get(path, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def _clients(org):
    clients = {}
    for role in Role.values:
        client = Client()
        if role == Role.COMMUNICATIONS_ADMIN:
            verified_login(client, org.users[role])
        else:
            client.force_login(org.users[role])
        clients[role] = client
    return clients


def test_a_kept_navigation_is_what_a_fresh_rendering_gives(org):
    clients = _clients(org)
    fresh = {}
    for role, client in clients.items():
        for path in PAGES:
            for lang in ("fi", "sv", "en"):
                core_nav._kept.clear()
                fresh[role, path, lang] = _nav(client, path, lang)
    core_nav._kept.clear()
    for lang in ("en", "fi", "sv"):  # every role after every other, from the kept copies
        for path in reversed(PAGES):
            for role, client in clients.items():
                assert _nav(client, path, lang) == fresh[role, path, lang], (role, path, lang)
    assert fresh[Role.AUTHOR, "/", "fi"] != fresh[Role.COMMUNICATIONS_ADMIN, "/", "fi"]
    assert fresh[Role.AUDITOR, "/", "fi"] != fresh[Role.AUDITOR, "/", "sv"]
    assert 'aria-current="page"' in fresh[Role.AUDITOR, "/", "en"]
    assert 'aria-current="page"' not in fresh[Role.AUDITOR, "/account/", "en"]
