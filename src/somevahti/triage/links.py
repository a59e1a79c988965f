"""Link analysis: executables, URL shorteners and look-alikes of the organisation's own domains."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

import regex
import tldextract

from somevahti.text.urls import find_urls, host_in

EXECUTABLE_EXT = ("exe", "apk", "scr", "bat", "cmd", "msi", "jar", "vbs", "ps1", "dmg", "pif", "xapk", "appx")
_EXECUTABLE = regex.compile(r"(?i)[\w-]+\.(?:" + "|".join(EXECUTABLE_EXT) + r")\b")
SHORTENERS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "cutt.ly",
        "rebrand.ly",
        "shorturl.at",
        "tiny.cc",
        "t.ly",
        "rb.gy",
        "v.gd",
        "s.id",
        "tiny.one",
        "shorte.st",
        "adf.ly",
        "bl.ink",
        "lnkd.in",
        "t.co",
    }
)
# Every address find_urls can return and every program name holds one of these (a dot before a
# letter, "://", "www.", a dot between digits) or two colons (IPv6); most comments hold none.
_MAYBE_LINK = re.compile(r"(?i)\.[a-z]|://|www\.|\d\.\d")  # re, like find_urls: (?i)[a-z] also takes ſ, K
# Characters that pass for others in a domain name.
_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s", "7": "t", "|": "l", "ı": "i"})


@dataclass(frozen=True)
class LinkHit:
    kind: str  # executable | shortener | lookalike
    start: int
    end: int
    text: str


@cache
def _extract() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # bundled list, never the network


def _skeleton(name: str) -> str:
    return name.translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w").replace("-", "")


def is_lookalike(host: str, own_domains: tuple[str, ...]) -> bool:
    """A host that imitates one of the organisation's domains without being one of them."""
    if not host or host_in(host, own_domains):
        return False
    parts = _extract()(host)
    name = parts.domain.lower()
    for own in own_domains:
        own_name = _extract()(own).domain.lower()
        if not own_name or len(own_name) < 3:
            continue
        if host.startswith(own + ".") or host.startswith("xn--") or "xn--" in host:
            return True  # kela.fi.tunnistautuminen.com, punycode
        if name == own_name or _skeleton(name) == _skeleton(own_name):
            return True  # kela.com, ke1a.fi
        if own_name in regex.split(r"[-.]", host):
            return True  # kela-tuki.net, tuki.kela.info
        if len(name) >= 4 and difflib.SequenceMatcher(None, name, own_name).ratio() >= 0.8:
            return True  # kelaa.fi, klea.fi
    return False


def analyse_links(text: str, own_domains: tuple[str, ...]) -> list[LinkHit]:
    if not _MAYBE_LINK.search(text) and text.count(":") < 2:
        return []
    out, urls = [], find_urls(text)
    for url in urls:
        path = url.text.split("?", 1)[0]
        host = url.host
        if _EXECUTABLE.search(path.rsplit("/", 1)[-1]) and "/" in path:
            out.append(LinkHit("executable", url.start, url.end, url.text))
        if host in SHORTENERS:
            out.append(LinkHit("shortener", url.start, url.end, url.text))
        if is_lookalike(host, own_domains):
            out.append(LinkHit("lookalike", url.start, url.end, url.text))
    for m in _EXECUTABLE.finditer(text):
        if not any(u.start <= m.start() < u.end for u in urls):
            out.append(LinkHit("executable", m.start(), m.end(), m.group(0)))
    return out
