"""Every link a role is shown leads somewhere it may go: walked from the home page of the demo
organisation, breadth first, for every role, every page reached answers without a server error and
no page shows a link that answers 403 or 404 to the same person (issue 11: "links a role cannot
follow are not shown to it")."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from .test_dashboard import ROLES, _as, demo  # noqa: F401 - the demo fixture

HREF = re.compile(r'<a\s[^>]*href="([^"#]+)')
SKIP = ("/logout", "/static/", "/i18n/", "/api/", "export", "download", ".pdf", ".csv", ".zip", "format=")
PAGES_PER_ROLE = 120  # breadth first: every list, and a few of each list's rows


def _links(base: str, body: str) -> list[str]:
    out = []
    for href in HREF.findall(body):
        url = urlsplit(urljoin(base, unescape(href)))
        if url.netloc not in ("", "testserver"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not any(s in path for s in SKIP):
            out.append(path)
    return out


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_link_shown_to_a_role_opens_for_it(demo, login, role):  # noqa: F811
    client = _as(login, ROLES[role])
    seen, queue, broken = set(), ["/"], []
    linked_from: dict[str, str] = {}
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        if page.status_code in (301, 302):
            continue
        if page.status_code != 200:
            broken.append((page.status_code, path, linked_from.get(path)))
            continue
        if "text/html" not in page.get("Content-Type", ""):
            continue
        for link in _links(path, page.content.decode()):
            if link not in seen:
                linked_from.setdefault(link, path)
                queue.append(link)
    assert len(seen) >= 20, f"{role} reached only {len(seen)} pages"
    assert not broken, f"{role}: (status, page, linked from) {broken}"
