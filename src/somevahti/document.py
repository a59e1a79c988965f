"""The post document: what ``check`` reads (a post, a reply or a comment, with media)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from somevahti.errors import InputError
from somevahti.safeload import ParseError, check_strings, loads_json, loads_yaml

MAX_INPUT_BYTES = 5 * 1024 * 1024


class Channel(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    LINKEDIN = "linkedin"
    YOUTUBE = "youtube"

    @property
    def label(self) -> str:
        """The platform's own spelling of its name ("LinkedIn", not "Linkedin")."""
        return _BRANDS.get(self.value, self.value.title())


_BRANDS = {"x": "X", "linkedin": "LinkedIn", "youtube": "YouTube"}


class AccountKind(StrEnum):
    SHARED = "shared"
    EXPERT = "expert"
    PERSONAL = "personal"


class PostKind(StrEnum):
    POST = "post"
    REPLY = "reply"
    COMMENT = "comment"


class Rights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    holder: str | None = None
    licence: str | None = None

    @property
    def cleared(self) -> bool:
        licence = (self.licence or "").strip().lower()
        return bool(licence) and licence not in {"unknown", "none", "?", "unclear", "tuntematon", "okänd"}


class Media(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["image", "video"]
    file: str | None = None
    alt: dict[str, str] | str | None = None
    captions: bool | None = None
    transcript_url: str | None = None
    rights: Rights | None = None
    people: bool = False
    consent: bool | None = None
    purpose: Literal["marketing", "news", "other"] | None = None

    def alt_texts(self) -> dict[str, str]:
        if self.alt is None:
            return {}
        if isinstance(self.alt, str):
            return {"": self.alt}
        return dict(self.alt)


class PostDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Channel | None = None
    account_kind: AccountKind = AccountKind.SHARED
    kind: PostKind = PostKind.POST
    text: dict[str, str] | str = ""
    title: str | None = None
    media: list[Media] = Field(default_factory=list)
    sponsored: bool = False
    pinned: bool = False
    pinned_until: date | None = None
    in_reply_to: str | None = None

    @field_validator("text")
    @classmethod
    def _text_values_are_strings(cls, v):
        if isinstance(v, dict):
            for lang, body in v.items():
                if not isinstance(lang, str) or not lang.strip():
                    raise ValueError("language codes must be non-empty strings such as fi or sv")
                if body is None:
                    raise ValueError(f"text.{lang} is empty")
        return v

    def texts(self) -> dict[str, str]:
        """Language code → text; a plain string text has the key '' (language unknown)."""
        if isinstance(self.text, str):
            return {"": self.text}
        return dict(self.text)

    def text_field(self, lang: str) -> str:
        return f"text.{lang}" if lang else "text"


def _decode(raw: bytes, source: str) -> str:
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(
            f"{source}: the input is {len(raw) // 1024} KiB; the limit is {MAX_INPUT_BYTES // 1024} KiB"
        )
    if b"\x00" in raw[:8192]:
        raise InputError(f"{source}: this looks like a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: not valid UTF-8 (byte {e.start})") from None
    if not text.strip():
        raise InputError(f"{source}: the file is empty")
    return text


def _validation_message(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "document"
    return f"{where}: {first['msg']}"


def parse_document(
    text: str, fmt: str, source: str = "<input>", overrides: dict | None = None
) -> PostDocument:
    """Parse a document given as text; ``fmt`` is ``text``, ``yaml`` or ``json``."""
    if fmt == "text":
        try:
            check_strings(text)
        except ParseError as e:
            raise InputError(f"{source}: {e}") from None
        data: dict = {"text": text.strip("\n")}
    else:
        try:
            data = loads_json(text) if fmt == "json" else loads_yaml(text)
        except ParseError as e:
            raise InputError(f"{source}: {e}") from None
        if isinstance(data, str):
            data = {"text": data}
        if not isinstance(data, dict):
            raise InputError(f"{source}: a post document is a mapping with at least 'text'")
    for key, value in (overrides or {}).items():
        if value is not None:
            data[key] = value
    try:
        return PostDocument.model_validate(data)
    except ValidationError as e:
        raise InputError(f"{source}: {_validation_message(e)}") from None


def format_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return "yaml"
    if suffix == ".json":
        return "json"
    return "text"


def load_document(path: str | Path, overrides: dict | None = None) -> PostDocument:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror})") from None
    return parse_document(_decode(raw, str(path)), format_of(str(path)), str(path), overrides)


def read_stdin_document(raw: bytes, overrides: dict | None = None) -> PostDocument:
    text = _decode(raw, "<stdin>")
    stripped = text.lstrip()
    fmt = "json" if stripped.startswith("{") else "yaml" if _looks_like_yaml_doc(stripped) else "text"
    return parse_document(text, fmt, "<stdin>", overrides)


def _looks_like_yaml_doc(text: str) -> bool:
    first = text.splitlines()[0] if text else ""
    return first.startswith("---") or first.split(":", 1)[0].strip() in PostDocument.model_fields
