"""URLs, e-mail addresses and hashtags in post text, with character offsets."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Scheme URLs (also with a bracketed IPv6 host), www. URLs, bare domains with a common TLD
# ("kirkkonummi.fi") and bare domains of any TLD followed by a path ("lnkd.in/abc").
URL_RE = re.compile(
    r"""(?ix)
    \b(?:
        https?://(?:\[[0-9a-f:.]+\][^\s<>"'()\[\]{}]*|[^\s<>"'()\[\]{}]+)
      | www\.[^\s<>"'()\[\]{}]+
      | (?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+
        (?:fi|se|com|org|net|eu|io|info|ly|gl|me|co|to|link|ax)
        (?:/[^\s<>"'()\[\]{}]*)?(?![\w@-])
      | (?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}/[^\s<>"'()\[\]{}]*
    )"""
)
# Bare IP addresses (no scheme): IPv4 with optional port and path, IPv6 in colon-hex form.
# Candidates are validated with ipaddress, so times ("12:30:45") and dates ("1.2.2025") do not count;
# four one-digit parts with nothing after them ("luku 1.2.3.4") read as section numbers, not addresses.
IP_RE = re.compile(
    r"""(?ix)
    (?<![\w.:/@\[])
    (?:
        (?P<v4>\d{1,3}(?:\.\d{1,3}){3})(?P<rest>(?::\d{1,5})?(?:/[^\s<>"'()\[\]{}]*)?)
      | \[?(?P<v6>[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\]?
    )
    (?![\w:]|\.\w)"""
)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w-])", re.IGNORECASE)
HASHTAG_RE = re.compile(r"(?<![\w#&])#(\w[\w-]*)")
TRAILING = ".,;:!?)»”’'\""


@dataclass(frozen=True)
class Url:
    text: str
    start: int
    end: int

    @property
    def scheme(self) -> str:
        return self.text.split("://", 1)[0].lower() if "://" in self.text else ""

    @property
    def host(self) -> str:
        if "://" not in self.text:
            bare = self.text.split("/", 1)[0].strip("[]")
            if _is_ip(bare):
                return bare.lower()  # bare IPv6 would otherwise parse as host:port
        target = self.text if "://" in self.text else "http://" + self.text
        try:
            return (urlsplit(target).hostname or "").lower()
        except ValueError:
            return ""

    @property
    def is_ip(self) -> bool:
        """The host is an IP address rather than a name."""
        return _is_ip(self.host)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def find_urls(text: str) -> list[Url]:
    out = []
    for m in URL_RE.finditer(text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in TRAILING:
            e -= 1
        if not EMAIL_RE.search(text, max(0, s - 64), e + 1) or "://" in text[s:e] or "/" in text[s:e]:
            out.append(Url(text[s:e], s, e))
    emails = [(m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    return [u for u in out if not any(a <= u.start < b for a, b in emails)]


def find_ips(text: str) -> list[Url]:
    """Bare IP addresses written without a scheme ("192.168.1.10/admin", "2001:db8::1")."""
    out = []
    for m in IP_RE.finditer(text):
        address = m.group("v4") or m.group("v6")
        if not _is_ip(address) or not any(ch.isalnum() for ch in address):
            continue
        if m.group("v4") and not m.group("rest") and all(len(part) == 1 for part in address.split(".")):
            continue
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in TRAILING:
            e -= 1
        out.append(Url(text[s:e], s, e))
    return out


def find_hashtags(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in HASHTAG_RE.finditer(text)]


def host_in(host: str, domains) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)
