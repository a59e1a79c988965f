"""The organisation's policy document for the web: rendered from the pack in force, cached per
pack content and language (the PDF takes seconds to lay out; the pack changes rarely)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from somevahti.policy.render import render_fragment, render_pdf
from somevahti.policy.schema import Pack
from somevahti.web.api.checking import organisation_pack

LANGS = ("fi", "sv", "en")


def pack_digest(pack: Pack) -> str:
    data = pack.model_dump(mode="json", exclude={"base_dir"})
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_pack() -> Pack:
    return organisation_pack()


def reader_language(lang: str | None) -> str:
    code = (lang or "fi").split("-")[0].lower()
    return code if code in LANGS else "fi"


_packs: dict[str, Pack] = {}


def _remember(pack: Pack) -> str:
    digest = pack_digest(pack)
    _packs[digest] = pack
    return digest


@lru_cache(maxsize=16)
def _fragment(digest: str, lang: str) -> str:
    return render_fragment(_packs[digest], lang)


@lru_cache(maxsize=8)
def _pdf(digest: str, lang: str) -> bytes:
    return render_pdf(_packs[digest], lang)


def fragment(pack: Pack, lang: str) -> str:
    return _fragment(_remember(pack), lang)


def pdf(pack: Pack, lang: str) -> bytes:
    return _pdf(_remember(pack), lang)
