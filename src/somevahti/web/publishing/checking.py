"""A draft as post documents (one per target account) and the policy check over them.

The composer's live check and the submit step both come here, and both call ``somevahti.check``
through the same Checker the API uses (:func:`somevahti.web.api.checking.checker`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from somevahti.document import AccountKind, Channel, Media, PostDocument, PostKind, Rights
from somevahti.findings import Finding
from somevahti.policy.clauses import clauses
from somevahti.web.api.checking import checker, organisation_pack


def pack_languages() -> list[str]:
    """The pack's languages, Finnish first."""
    pack = organisation_pack()
    langs = list(pack.languages.allowed) if pack else ["fi", "sv", "en"]
    return sorted(langs, key=lambda lang: (lang != "fi", langs.index(lang)))


CHECKER_TTL = 60.0  # seconds: the registry's staff (who is a private person) is read again after this
_cached: list = []  # [(built at, checker)]


def _checker():
    """The composer's checker, kept for a minute: building one costs 30-100 ms (seconds when cold),
    a check of a 1,000-character post a few ms."""
    now = time.monotonic()
    if not _cached or now - _cached[0][0] > CHECKER_TTL:
        _cached[:] = [(now, checker())]
    return _cached[0][1]


def reset_checker() -> None:
    """Forget the cached checker (tests switch packs)."""
    _cached.clear()


def warm() -> None:
    """Build the checker now (the server does this once before forking its workers)."""
    check_texts({"fi": "Hei", "sv": "Hej"}, [])


def _media(items) -> list[Media]:
    found = []
    for m in items:
        found.append(
            Media(
                type=m.type,
                file=m.file.name if m.file else None,
                alt={k: v for k, v in (m.alt or {}).items() if v},
                captions=m.captions,
                transcript_url=m.transcript_url or None,
                rights=Rights(holder=m.rights_holder or None, licence=m.licence or None),
                people=m.people,
                consent=m.consent,
                purpose=m.purpose or None,
            )
        )
    return found


def document(
    texts: dict[str, str],
    *,
    channel: str | None,
    account_kind: str = AccountKind.SHARED,
    kind: str = PostKind.POST,
    title: str | None = None,
    media=(),
    sponsored: bool = False,
) -> PostDocument:
    return PostDocument(
        channel=Channel(channel) if channel else None,
        account_kind=AccountKind(account_kind),
        kind=PostKind(kind),
        text={k: v for k, v in texts.items() if v.strip()},
        title=title or None,
        media=_media(media),
        sponsored=sponsored,
    )


def documents_for(texts, accounts, *, kind="post", title=None, media=(), sponsored=False):
    """(account or None, document) for each target account; one channel-less document without accounts."""
    if not accounts:
        return [
            (None, document(texts, channel=None, kind=kind, title=title, media=media, sponsored=sponsored))
        ]
    return [
        (
            a,
            document(
                texts,
                channel=a.platform,
                account_kind=a.kind,
                kind=kind,
                title=title,
                media=media,
                sponsored=sponsored,
            ),
        )
        for a in accounts
    ]


def check_texts(texts, accounts, **kw) -> list[Finding]:
    """Findings over every target account, each finding once (the same words flagged for two accounts)."""
    seen, found, checked = set(), [], set()
    c = _checker()
    for _account, doc in documents_for(texts, accounts, **kw):
        if (doc.channel, doc.account_kind) in checked:  # two Facebook pages get the same document
            continue
        checked.add((doc.channel, doc.account_kind))
        for f in c.check(doc):
            key = (f.rule, f.field, f.span, f.message)
            if key not in seen:
                seen.add(key)
                found.append(f)
    return found


def check_draft(draft) -> list[Finding]:
    versions = list(draft.versions.all())
    title = next((v.title for v in versions if v.title), None)
    return check_texts(
        {v.language: v.text for v in versions},
        list(draft.accounts.all()),
        kind=draft.kind,
        title=title,
        media=list(draft.media.all()),
        sponsored=draft.sponsored,
    )


@dataclass
class ClauseText:
    id: str
    text: str


def clause_texts(ids, lang: str) -> list[ClauseText]:
    known = clauses()
    return [ClauseText(cid, known[cid].text_in(lang) if cid in known else "") for cid in ids]


def guidance_for(accounts, *, kind: str, closed_group: bool, lang: str) -> list[ClauseText]:
    """The pack's guidance clauses that apply to this post (``composer.guidance``)."""
    pack = organisation_pack()
    placements = pack.composer.guidance if pack else []
    targets = [(a.platform, a.kind) for a in accounts] or [(None, AccountKind.SHARED)]
    ids = []
    for p in placements:
        if p.clause not in ids and any(
            p.applies(Channel(ch) if ch else None, AccountKind(k), PostKind(kind), closed_group)
            for ch, k in targets
        ):
            ids.append(p.clause)
    return clause_texts(ids, lang)
