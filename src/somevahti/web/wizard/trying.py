"""Trying a post against the draft pack: the core Checker with the draft's pack, beside the pack in
force now, so the admin sees what their choices change."""

from __future__ import annotations

from somevahti.web.api.checking import checker, organisation_pack
from somevahti.web.publishing.checking import clause_texts, document


def _rows(pack, doc, lang: str) -> list[dict]:
    return [{"f": f, "clauses": clause_texts(f.clauses, lang)} for f in checker(pack=pack).check(doc)]


def try_text(draft, data: dict, lang: str = "fi") -> dict:
    doc = document(
        {data["language"]: data["text"]},
        channel=data["channel"] or None,
        account_kind=data["account_kind"],
        kind=data["kind"],
    )
    pack, current = draft.pack(), organisation_pack()
    return {
        "draft": _rows(pack, doc, lang),
        "current": _rows(current, doc, lang),
        "current_pack": current,
        "pack": pack,
    }
