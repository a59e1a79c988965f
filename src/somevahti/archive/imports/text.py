"""Helpers the importers share: HTML to text, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts).strip()


def from_epoch(seconds: int | float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def texts_of(text: str) -> dict[str, str]:
    """{language: text} for a text whose language the export does not give (fi, sv or en)."""
    if not text:
        return {}
    from somevahti.text.langid import detect

    return {detect(text, ("fi", "sv", "en")) or "": text}
