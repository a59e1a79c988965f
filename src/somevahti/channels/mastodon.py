"""Mastodon over its REST API: replies to our statuses (``/api/v1/statuses/:id/context``) and
mentions (``/api/v1/notifications?types[]=mention``), answering (``POST /api/v1/statuses``) and
deleting our own answers (``DELETE /api/v1/statuses/:id``). Mastodon has no "hide", and an
account can delete only its own statuses, so ``can_hide`` and ``can_delete`` (someone else's
comment) are off; ``can_retract`` (our answer) is on. Report abuse on the server instead.
A token needs the scopes ``read:statuses read:notifications write:statuses``."""

from __future__ import annotations

import hashlib
from datetime import datetime
from html.parser import HTMLParser

import httpx

from somevahti.channels.base import Capabilities, ChannelError, Connector, IncomingItem, register
from somevahti.channels.http import RetryingClient
from somevahti.i18n import _

PAGE = 40


class _Text(HTMLParser):
    """Status HTML to plain text: paragraphs and <br> become line breaks, links keep their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts).strip()


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@register
class MastodonConnector(Connector):
    name = "mastodon"
    capabilities = Capabilities(can_fetch_comments=True, can_reply=True, can_retract=True)

    def __init__(self, base_url: str, token: str, *, statuses: list[str] | tuple = (), since_id: str | None = None,
                 transport: httpx.BaseTransport | None = None, **retry):
        self.base_url = base_url.rstrip("/")
        self.statuses = [str(s) for s in statuses]
        self.since_id = since_id
        client = httpx.Client(base_url=self.base_url, transport=transport, timeout=30.0,
                              headers={"Authorization": f"Bearer {token}", "User-Agent": "somevahti"})
        self.http = RetryingClient(client, **retry)
        self._me: str | None = None

    def _call(self, method: str, path: str, **kwargs):
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                detail = response.json().get("error", "")
            except ValueError:
                detail = ""
            raise ChannelError(_("Mastodon answered %(status)d to %(method)s %(path)s: %(detail)s")
                               % {"status": response.status_code, "method": method, "path": path,
                                  "detail": detail or response.reason_phrase})
        return response.json() if response.content else None

    def me(self) -> str:
        if self._me is None:
            self._me = str(self._call("GET", "/api/v1/accounts/verify_credentials")["id"])
        return self._me

    def _item(self, status: dict, kind: str, post: dict | None = None) -> IncomingItem:
        account = status.get("account") or {}
        return IncomingItem(
            external_id=str(status["id"]), text=plain_text(status.get("content", "")), kind=kind,
            occurred=_when(status.get("created_at")), author_name=account.get("display_name") or "",
            author_handle=account.get("acct") or "", parent_id=str(status.get("in_reply_to_id") or ""),
            post_text=plain_text(post.get("content", "")) if post else "", url=status.get("url") or status.get("uri") or "",
            language=status.get("language") or None, channel="mastodon", raw=status)

    def fetch(self) -> list[IncomingItem]:
        """Replies below our statuses and mentions since the last fetch, oldest first, each once."""
        me = self.me()
        found: dict[str, IncomingItem] = {}
        for sid in self.statuses:
            post = self._call("GET", f"/api/v1/statuses/{sid}")
            context = self._call("GET", f"/api/v1/statuses/{sid}/context")
            for status in context.get("descendants", []):
                if str((status.get("account") or {}).get("id")) == me:
                    continue  # our own answers
                kind = "comment" if str(status.get("in_reply_to_id")) == sid else "reply"
                found[str(status["id"])] = self._item(status, kind, post)
        for status in self._mentions():
            found.setdefault(str(status["id"]), self._item(status, "mention"))
        return sorted(found.values(), key=lambda i: (int(i.external_id) if i.external_id.isdigit() else 0,
                                                     i.external_id))

    def _mentions(self) -> list[dict]:
        statuses, newest = [], self.since_id
        params = {"types[]": "mention", "limit": PAGE}
        cursor = self.since_id
        while True:
            page = self._call("GET", "/api/v1/notifications", params={**params, **({"min_id": cursor} if cursor else {})})
            if not page:
                break
            for n in page:
                if n.get("type") == "mention" and n.get("status"):
                    statuses.append(n["status"])
            ids = [str(n["id"]) for n in page]
            cursor = max(ids, key=lambda i: (len(i), i))
            newest = cursor if newest is None else max(newest, cursor, key=lambda i: (len(i), i))
            if len(page) < PAGE:
                break
        self.since_id = newest
        return statuses

    def reply(self, item, text: str, language: str | None = None) -> str:
        target = item.external_id if isinstance(item, IncomingItem) else str(item)
        key = hashlib.sha256(f"{target}\n{text}".encode()).hexdigest()
        body = {"status": text, "in_reply_to_id": target, "visibility": "public"}
        if language:
            body["language"] = language
        status = self._call("POST", "/api/v1/statuses", json=body, headers={"Idempotency-Key": key})
        return str(status["id"])

    def retract(self, external_id: str) -> None:
        self._call("DELETE", f"/api/v1/statuses/{external_id}")
