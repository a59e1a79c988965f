"""Helpers for the recorded exchanges of the publishing connectors (respx routes built from each
platform's documented requests and answers; never the network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import httpx

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
HTML = (
    "<!DOCTYPE html><html><head><title>Sorry, something went wrong</title></head>"
    "<body>Error 502</body></html>"
)

# A 1x1 PNG, and a "video" of a few hundred bytes (the platforms are recorded: only the bytes matter).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def fixtures(platform: str) -> dict:
    return json.loads((FIXTURES / platform / "responses.json").read_text(encoding="utf-8"))


def form(request: httpx.Request) -> dict[str, str]:
    """An url-encoded request body as a flat dict."""
    return {k: v[0] for k, v in parse_qs(request.content.decode("utf-8"), keep_blank_values=True).items()}


def multipart_fields(request: httpx.Request) -> dict[str, bytes]:
    """The parts of a multipart/form-data body by name (files and fields alike)."""
    ctype = request.headers["content-type"]
    boundary = ctype.split("boundary=")[1].encode()
    out = {}
    for chunk in request.content.split(b"--" + boundary):
        if b"\r\n\r\n" not in chunk:
            continue
        head, body = chunk.split(b"\r\n\r\n", 1)
        name = head.split(b'name="')[1].split(b'"')[0].decode()
        out[name] = body[:-2] if body.endswith(b"\r\n") else body
    return out


class Sleeper:
    def __init__(self):
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
