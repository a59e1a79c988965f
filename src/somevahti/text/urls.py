"""URLs, e-mail addresses and hashtags in post text, with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Scheme URLs, www. URLs and bare domains with a path or a common TLD ("kirkkonummi.fi/uutiset").
URL_RE = re.compile(
    r"""(?ix)
    \b(?:
        https?://[^\s<>"'()\[\]{}]+
      | www\.[^\s<>"'()\[\]{}]+
      | (?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:fi|se|com|org|net|eu|io|info|ly|gl|me|co|to|link|ax)
        (?:/[^\s<>"'()\[\]{}]*)?(?![\w@-])
    )""")
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
        target = self.text if "://" in self.text else "http://" + self.text
        try:
            return (urlsplit(target).hostname or "").lower()
        except ValueError:
            return ""


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


def find_hashtags(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in HASHTAG_RE.finditer(text)]


def host_in(host: str, domains) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)
