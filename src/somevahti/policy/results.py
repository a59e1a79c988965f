"""Results of social media work (KELA-G.2: the last of the seven steps is measuring results), from
the archive: posts per week by language, the share of posts with every required language version,
and findings per 100 posts by rule per week (are people learning?). Plain data, no framework; the
web app adds answer times and audit figures from its own models (web/policy/results.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from somevahti.document import PostDocument
from somevahti.policy.schema import Pack

PUBLISHED_EVENTS = {None, "published", "imported", "approved"}


@dataclass(frozen=True)
class PostRec:
    subject: str
    account: str
    unit: str
    channel: str | None
    day: date
    texts: dict = field(hash=False)
    account_kind: str = "shared"


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _day(occurred: str) -> date:
    return datetime.fromisoformat(occurred.replace("Z", "+00:00")).date()


def posts_from_archive(
    archive, org: str, start: date, end: date, accounts: set[str] | None = None
) -> list[PostRec]:
    """The posts published in [start, end], each once (its first archived version), deleted ones too
    (they were published)."""
    seen: set[str] = set()
    out: list[PostRec] = []
    for record in archive.records(org, kinds=["post"]):
        payload = record.payload or {}
        key = record.subject or f"seq:{record.seq}"
        if key in seen or payload.get("event") not in PUBLISHED_EVENTS:
            continue
        day = _day(record.occurred)
        if not (start <= day <= end) or (accounts and record.account not in accounts):
            continue
        seen.add(key)
        texts = {k: v for k, v in (payload.get("texts") or {}).items() if v and v.strip()}
        channel = payload.get("channel") or (record.account or "").split(":")[0] or None
        out.append(
            PostRec(
                key,
                record.account or "",
                payload.get("unit") or "",
                channel,
                day,
                texts,
                payload.get("account_kind") or "shared",
            )
        )
    return out


def posts_per_week(posts: list[PostRec]) -> list[dict]:
    """Rows {week, lang, posts}: a post counts once in each language it has."""
    counts = Counter((week_of(p.day), lang) for p in posts for lang in p.texts)
    return [{"week": w, "lang": lang, "posts": n} for (w, lang), n in sorted(counts.items())]


def _required(pack: Pack, post: PostRec) -> list[str]:
    from somevahti.document import AccountKind, Channel, PostKind

    try:
        channel = Channel(post.channel) if post.channel else None
    except ValueError:
        channel = None
    return pack.languages.required_for(channel, AccountKind(post.account_kind), PostKind.POST)


def language_coverage(posts: list[PostRec], pack: Pack, by: str = "account") -> list[dict]:
    """Rows {name, posts, required, complete, share}: of the posts that need more than one language
    (``required``), how many have every required version (``share`` in per cent)."""
    groups: dict[str, list[PostRec]] = defaultdict(list)
    for p in posts:
        groups[getattr(p, by) or "—"].append(p)
    rows = []
    for name, group in sorted(groups.items()):
        needing = [p for p in group if _required(pack, p)]
        complete = sum(1 for p in needing if set(_required(pack, p)) <= set(p.texts))
        rows.append(
            {
                "name": name,
                "posts": len(group),
                "required": len(needing),
                "complete": complete,
                "share": round(100 * complete / len(needing), 1) if needing else None,
            }
        )
    return rows


def _document(post: PostRec) -> PostDocument:
    return PostDocument(
        channel=post.channel, account_kind=post.account_kind, kind="post", text=dict(post.texts)
    )


def findings_per_100(posts: list[PostRec], checker) -> list[dict]:
    """Rows {week, rule, posts, findings, per_100}: how often each rule fires on the week's posts."""
    posts_in_week = Counter(week_of(p.day) for p in posts)
    fired: Counter = Counter()
    for p in posts:
        try:
            findings = checker.check(_document(p))
        except ValueError:  # a post the platform gave in a shape a post document cannot hold
            continue
        for rule in {f.rule for f in findings}:
            fired[(week_of(p.day), rule)] += 1
    return [
        {
            "week": w,
            "rule": r,
            "posts": posts_in_week[w],
            "findings": n,
            "per_100": round(100 * n / posts_in_week[w], 1),
        }
        for (w, r), n in sorted(fired.items())
    ]
