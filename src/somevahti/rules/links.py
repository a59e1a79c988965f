"""Links: a link to the organisation's website (KIRK-5.4, KIRK-6.2) and links to check (SF-12).

Params:

- ``require_website`` (false): a post (not a reply or comment) must link to the organisation's
  website: any URL, with or without scheme ("kirkkonummi.fi/uutiset"), whose host is one of
  ``pack.organisation.web_domains`` or a subdomain (the host of ``organisation.website`` when the
  pack lists no domains). Scope it with the rule's ``when`` (e.g. ``channels: [facebook]``).
  Variant ``website``, data ``{website}``, suggestion the website address. Reported once per post on
  the first text, without a span.
- ``flag_shorteners`` (true), ``shorteners`` ([]: hosts added to the built-in list): a shortened
  link hides where it goes. Variant ``shortener``, data ``{url}``.
- ``flag_ip`` (true): a link to a bare IP address (IPv4 or IPv6, with or without scheme).
  Variant ``ip``, data ``{url}``.
- ``flag_http`` (true): a plain ``http://`` link. Variant ``http``, data ``{url}``, suggestion the
  ``https://`` form.

Each link gets at most one finding, the most telling: ip, then shortener, then http. Spans cover
the URL in the post text (and the title).
"""

from __future__ import annotations

from pydantic import Field

from somevahti.document import PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text.urls import Url, find_ips, find_urls, host_in

SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "v.gd",
        "buff.ly",
        "lnkd.in",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "t.ly",
        "rb.gy",
        "s.id",
        "bl.ink",
        "shorte.st",
        "adf.ly",
        "soo.gd",
        "qr.ae",
        "trib.al",
        "dlvr.it",
        "tiny.one",
        "short.io",
    }
)


class LinkParams(Params):
    require_website: bool = False
    flag_shorteners: bool = True
    flag_ip: bool = True
    flag_http: bool = True
    shorteners: list[str] = Field(default_factory=list, description="more shortener hosts")


@register
class Links(RuleFamily):
    name = "links"
    Params = LinkParams

    def setup(self) -> None:
        self.shorteners = SHORTENERS | {h.lower().strip().lstrip(".") for h in self.params.shorteners}
        org = self.pack.organisation
        self.web_domains = list(org.web_domains)
        if not self.web_domains and org.website:
            website = Url(org.website, 0, len(org.website)).host
            self.web_domains = [website.removeprefix("www.")] if website else []

    def check(self, ctx):
        fields = [f for f in ctx.fields if f.role in ("body", "title") and f.text]
        links_home = False
        for f in fields:
            urls = find_urls(f.text)
            links_home = links_home or any(host_in(u.host, self.web_domains) for u in urls)
            if self.params.flag_ip:
                for ip in find_ips(f.text):
                    yield Hit(f.field, (ip.start, ip.end), variant="ip", data={"url": ip.text})
            for url in urls:
                if hit := self._link_hit(f.field, url):
                    yield hit
        if (
            self.params.require_website
            and ctx.doc.kind == PostKind.POST
            and not links_home
            and self.web_domains
        ):
            bodies = [b for b in ctx.bodies if b.text] or ctx.bodies
            website = self.pack.organisation.website or f"https://{self.web_domains[0]}"
            yield Hit(bodies[0].field, None, variant="website", data={"website": website}, suggestion=website)

    def _link_hit(self, field: str, url: Url) -> Hit | None:
        span = (url.start, url.end)
        if url.is_ip:
            return Hit(field, span, variant="ip", data={"url": url.text}) if self.params.flag_ip else None
        if self.params.flag_shorteners and host_in(url.host, self.shorteners):
            return Hit(field, span, variant="shortener", data={"url": url.text})
        if self.params.flag_http and url.scheme == "http":
            https = "https://" + url.text.split("://", 1)[1]
            return Hit(field, span, variant="http", data={"url": url.text}, suggestion=https)
        return None
