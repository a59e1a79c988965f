"""Canonical JSON, hashes and the record envelope.

Canonical JSON follows RFC 8785 (JSON Canonicalization Scheme): object keys sorted by their
UTF-16 code units, no insignificant whitespace, strings escaped minimally and written as
UTF-8, numbers in the ECMAScript shortest form (integers outside ±(2**53 - 1) are refused:
store platform ids as strings). Before serialisation ``datetime`` values become RFC 3339 UTC
timestamps with exactly six fractional digits (``2024-05-01T09:30:00.000000Z``), tuples
become arrays; anything else that is not JSON (bytes, sets, NaN) is refused.

A record's hash chains it to the previous record of the same organisation::

    content = SHA-256(canonical(payload))
    body    = SHA-256(canonical(header))       # header: see HEADER_FIELDS, includes content
    hash    = SHA-256(ASCII(prev + body))      # prev: hash of record seq-1, GENESIS for seq 1

so a verifier who does not see a record's content can still follow the chain with only
``body`` and ``hash``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

GENESIS = "0" * 64
MAX_SAFE_INT = 2**53 - 1
HEADER_VERSION = 1
HEADER_FIELDS = (
    "v",
    "org",
    "seq",
    "kind",
    "recorded",
    "occurred",
    "account",
    "actor",
    "subject",
    "content",
    "raw",
    "media",
)

_encode_str = json.encoder.encode_basestring  # escapes exactly what RFC 8785 escapes when not ASCII-only


class CanonicalError(ValueError):
    """A value that has no canonical JSON form."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def timestamp(value: datetime | str | None = None) -> str:
    """RFC 3339 UTC with microseconds: the only timestamp form records contain."""
    if value is None:
        value = datetime.now(UTC)
    elif isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
        except ValueError as e:
            raise CanonicalError(f"not an ISO 8601 timestamp: {value!r}") from e
    if value.tzinfo is None:
        raise CanonicalError(f"timestamp without a time zone: {value.isoformat()}")
    # isoformat is several times faster than strftime; both give YYYY-MM-DDTHH:MM:SS.ffffff here
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _number(value: float) -> str:
    """ECMAScript Number::toString, which RFC 8785 prescribes for numbers."""
    if not math.isfinite(value):
        raise CanonicalError("NaN and infinity have no JSON form")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    n = len(digits) + exponent  # value = 0.DIGITS × 10**n
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e > 0 else "e-") + str(abs(e))
    return sign + out


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _write(value, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_encode_str(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise CanonicalError(f"integer {value} is outside ±(2**53-1): store it as a string")
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, dict):
        out.append("{")
        if not all(isinstance(key, str) for key in value):
            raise CanonicalError("object keys must be strings")
        for i, key in enumerate(
            sorted(value) if all(map(str.isascii, value)) else sorted(value, key=_utf16_key)
        ):
            if i:
                out.append(",")
            out.append(_encode_str(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, datetime):
        out.append(_encode_str(timestamp(value)))
    else:
        raise CanonicalError(f"{type(value).__name__} has no canonical JSON form")


def canonical(value) -> bytes:
    """The RFC 8785 bytes of a JSON value."""
    out: list[str] = []
    _write(value, out)
    try:
        return "".join(out).encode("utf-8")
    except UnicodeEncodeError as e:
        raise CanonicalError("text contains a lone surrogate, which is not valid UTF-8") from e


def chain_hash(prev: str, body: str) -> str:
    return hashlib.sha256((prev + body).encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class Record:
    """One archived record: the chained header plus, unless purged, its payload."""

    org: str
    seq: int
    kind: str
    recorded: str
    occurred: str
    account: str | None
    actor: str | None
    subject: str | None
    content: str  # SHA-256 of canonical(payload)
    raw: str | None  # SHA-256 of the raw platform response, if any
    media: tuple[str, ...]
    prev: str
    hash: str
    payload: dict | None = field(default=None, compare=False)

    def header(self) -> dict:
        return {
            "v": HEADER_VERSION,
            "org": self.org,
            "seq": self.seq,
            "kind": self.kind,
            "recorded": self.recorded,
            "occurred": self.occurred,
            "account": self.account,
            "actor": self.actor,
            "subject": self.subject,
            "content": self.content,
            "raw": self.raw,
            "media": list(self.media),
        }

    @property
    def body(self) -> str:
        return header_body(
            self.org,
            self.seq,
            self.kind,
            self.recorded,
            self.occurred,
            self.account,
            self.actor,
            self.subject,
            self.content,
            self.raw,
            self.media,
        )

    def computed_hash(self) -> str:
        return chain_hash(self.prev, self.body)

    def as_json(self) -> dict:
        return {
            **self.header(),
            "prev": self.prev,
            "body": self.body,
            "hash": self.hash,
            "payload": self.payload,
        }


def header_body(org, seq, kind, recorded, occurred, account, actor, subject, content, raw, media) -> str:
    """SHA-256 of the canonical header; equal to ``sha256(canonical(header))`` (tested), faster."""
    s = _encode_str

    def opt(v):
        return "null" if v is None else s(v)

    if not (org.isascii() and kind.isascii()):
        return sha256_hex(
            canonical(
                {
                    "v": HEADER_VERSION,
                    "org": org,
                    "seq": seq,
                    "kind": kind,
                    "recorded": recorded,
                    "occurred": occurred,
                    "account": account,
                    "actor": actor,
                    "subject": subject,
                    "content": content,
                    "raw": raw,
                    "media": list(media),
                }
            )
        )
    # keys in RFC 8785 order: account, actor, content, kind, media, occurred, org, raw, recorded, seq,
    # subject, v
    text = (
        f'{{"account":{opt(account)},"actor":{opt(actor)},"content":{s(content)},"kind":{s(kind)},'
        f'"media":[{",".join(s(m) for m in media)}],"occurred":{s(occurred)},"org":{s(org)},'
        f'"raw":{opt(raw)},"recorded":{s(recorded)},"seq":{seq},"subject":{opt(subject)},"v":{HEADER_VERSION}}}'
    )
    return sha256_hex(text.encode("utf-8"))
