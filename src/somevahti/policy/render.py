"""The readable policy document, built from the same pack that the checks run on.

:func:`build_document` turns a pack into a :class:`PolicyText` in one language: the organisation's
own chapters (``document.chapters`` in the pack; packs without them are grouped by clause kind),
every clause of the organisation's policy with its id and text, and beside it what somevahti does
about it: the rules that check it (family, level, scope and an example post with the message the
rule gives on it), the registry audits, the inbox queues, the incident routes, the workflows, or
that it is guidance for people. The document's own words are in ``document.yaml``.

:func:`render_markdown`, :func:`render_html` and :func:`render_pdf` (WeasyPrint, PDF/UA-1: tagged,
with the document language, a table of contents and bookmarks) lay the same text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from somevahti.policy.clauses import KINDS, Clause, clauses, clauses_of
from somevahti.policy.schema import Pack, RuleSpec

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "document.yaml"
TEMPLATES = HERE / "templates"
INBOX_DEFAULTS = HERE.parent / "web" / "inbox" / "defaults.yaml"  # plain data shared with the inbox
LANGS = ("fi", "sv", "en")
FORMATS = ("md", "html", "pdf")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def texts() -> dict:
    return yaml.safe_load(TEXTS.read_text(encoding="utf-8"))


def word(section: str, key: str, lang: str) -> str:
    entry = texts()[section][key]
    return entry.get(lang) or entry["fi"]


def fill(template: str, values: dict, lang: str) -> str:
    """Fill {placeholders}; one with no value gets the document's description of it, never braces."""

    def one(m: re.Match) -> str:
        key = m.group(1)
        if key in values:
            return str(values[key])
        desc = texts()["placeholders"].get(key)
        return f"‹{desc.get(lang) or desc['fi']}›" if desc else "…"

    return _PLACEHOLDER.sub(one, template)


# -- the document's structure ----------------------------------------------------------------------


@dataclass
class Example:
    post: str  # the post's text (in the reader's language when it has one)
    media: list[str]
    message: str  # what the rule says about it, in the reader's language


@dataclass
class Measure:
    kind: str  # check, audit, queue, incident, workflow, archive
    label: str  # "Check before publishing", "Audit", …
    name: str  # rule id, audit rule, queue, incident type or workflow id
    text: str
    details: list[str] = field(default_factory=list)
    example: Example | None = None


@dataclass
class ClauseText:
    id: str
    kind: str
    text: str
    original: str | None  # the clause in the language the policy was written in, when that differs
    measures: list[Measure]
    note: str | None  # guidance only / not automated yet


@dataclass
class Chapter:
    id: str
    anchor: str
    title: str
    intro: str | None
    clauses: list[ClauseText]


@dataclass
class PolicyText:
    lang: str
    title: str
    pack: str
    version: str
    facts: list[tuple[str, str]]
    intro: str | None
    about: str
    chapters: list[Chapter]

    def labels(self) -> dict[str, str]:
        return {k: v.get(self.lang) or v["fi"] for k, v in texts()["labels"].items()}

    def clause_ids(self) -> list[str]:
        return [c.id for ch in self.chapters for c in ch.clauses]


def pack_clauses(pack: Pack) -> list[Clause]:
    """The clauses a pack answers for: its organisation's, else every clause its rules cite."""
    if pack.clauses_of:
        return clauses_of(pack.clauses_of)
    cited = {cid for rule in pack.rules for cid in rule.clauses} | set(pack.guidance)
    cited |= {cid for ch in pack.document.chapters for cid in ch.clauses}
    return [c for c in clauses().values() if c.id in cited]


def rules_by_clause(pack: Pack) -> dict[str, list[RuleSpec]]:
    out: dict[str, list[RuleSpec]] = {}
    for rule in pack.rules:
        if rule.enabled:
            for cid in rule.clauses:
                out.setdefault(cid, []).append(rule)
    return out


def _merge(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{k: _merge(base.get(k), v) if k in base else v for k, v in override.items()}}
    return override if override is not None else base


@cache
def _inbox_defaults() -> dict:
    return yaml.safe_load(INBOX_DEFAULTS.read_text(encoding="utf-8")) if INBOX_DEFAULTS.is_file() else {}


def _scope(rule: RuleSpec, lang: str) -> str:
    parts = [word("channels", str(c), lang) for c in rule.when.channels]
    parts += [word("account_kinds", str(k), lang) for k in rule.when.account_kinds]
    parts += [word("post_kinds", str(k), lang) for k in rule.when.kinds]
    return ", ".join(parts)


def _example(pack: Pack, rule: RuleSpec, lang: str) -> Example | None:
    ex = pack.document.examples.get(rule.id)
    if ex is None:
        return None
    bodies = ex.post.texts()
    post = bodies.get(lang) or next(iter(bodies.values()), "")
    media = [f"[{word('media', str(m.type), lang)}]" for m in ex.post.media]
    message = fill(rule.message_for(ex.variant).get(lang), ex.data, lang)
    return Example(post=post, media=media, message=message)


def _rule_measure(pack: Pack, rule: RuleSpec, lang: str) -> Measure:
    label = texts()["labels"]
    details = [f"{label['level'][lang]}: {word('severity', str(rule.severity), lang)}"]
    if scope := _scope(rule, lang):
        details.append(f"{label['applies_to'][lang]}: {scope}")
    example = _example(pack, rule, lang)
    if example is None:
        details.append(f"{label['says'][lang]}: {fill(rule.message.get(lang), {}, lang)}")
    family = texts()["families"].get(rule.family)
    text = (family.get(lang) or family["fi"]) if family else rule.family
    return Measure("check", label["check"][lang], rule.id, text, details, example)


def _audit_measures(pack: Pack, cid: str, lang: str) -> list[Measure]:
    from somevahti.audits.base import registered_rules

    thresholds = pack.audits.thresholds.model_dump()
    disabled = pack.audits.disabled()
    out = []
    for name, info in sorted(registered_rules().items()):
        cited = pack.audits.clauses_for(name) or info.clauses
        if cid in cited and name not in disabled and name in texts()["audits"]:
            out.append(
                Measure(
                    "audit",
                    word("labels", "audit", lang),
                    name,
                    fill(word("audits", name, lang), thresholds, lang),
                )
            )
    return out


def _queue_measures(pack: Pack, cid: str, lang: str) -> list[Measure]:
    from somevahti.triage.categories import CATEGORIES, CLAUSES

    inbox = _merge(_inbox_defaults().get("inbox") or {}, pack.inbox.as_overrides())
    targets = inbox.get("response_targets") or {}
    out = []
    for category in CATEGORIES:
        if cid in CLAUSES.get(category, ()):
            details = []
            if targets.get(category):
                details.append(
                    f"{word('labels', 'answer_within', lang)} {targets[category]} "
                    f"{word('labels', 'hours', lang)}"
                )
            out.append(
                Measure(
                    "queue", word("labels", "queue", lang), category, word("queues", category, lang), details
                )
            )
    return out


def _incident_measures(pack: Pack, cid: str, lang: str) -> list[Measure]:
    incidents = _merge(_inbox_defaults().get("incidents") or {}, pack.incidents.as_overrides())
    routes, police = incidents.get("routes") or {}, set(incidents.get("police") or [])
    out = []
    for itype, cids in (incidents.get("clauses") or {}).items():
        if cid in cids and itype in texts()["incident_types"]:
            who = ", ".join(
                word("roles", r, lang) for r in routes.get(itype, ["communications"]) if r in texts()["roles"]
            )
            text = f"{word('incident_types', itype, lang)}: {word('labels', 'goes_to', lang)} {who}"
            details = [word("labels", "police", lang)] if itype in police else []
            out.append(Measure("incident", word("labels", "incident", lang), itype, text, details))
    return out


def _handler_measures(cid: str, lang: str) -> list[Measure]:
    return [
        Measure(h["kind"], word("labels", h["kind"], lang), h["id"], h["text"].get(lang) or h["text"]["fi"])
        for h in texts()["handlers"]
        if cid in h["clauses"]
    ]


def _place(placement) -> str:
    """Where the composer shows a guidance placement, in the document's words."""
    if "closed_group" in placement.audiences:
        return "closed_group"
    if list(placement.kinds) == ["reply"]:
        return "reply"
    if "personal" in placement.account_kinds:
        return "personal_account"
    return "composer"


def _clause_text(
    pack: Pack, clause: Clause, lang: str, enforced: dict, original_lang: str | None
) -> ClauseText:
    measures = [_rule_measure(pack, r, lang) for r in enforced.get(clause.id, [])]
    measures += _audit_measures(pack, clause.id, lang)
    measures += _queue_measures(pack, clause.id, lang)
    measures += _incident_measures(pack, clause.id, lang)
    measures += _handler_measures(clause.id, lang)
    note = None
    if not measures:
        note = word("labels", "guidance_only" if clause.kind == "guidance" else "not_automated", lang)
    places = [_place(g) for g in pack.composer.guidance if g.clause == clause.id]
    if places:
        shown = ", ".join(word("places", w, lang) for w in dict.fromkeys(places))
        note = (
            f"{note or word('labels', 'guidance_only', lang)} {word('labels', 'shown_also', lang)}: {shown}."
        )
    original = None
    if original_lang and original_lang != lang and clause.text.get(original_lang):
        original = clause.text[original_lang]
    return ClauseText(clause.id, clause.kind, clause.text_in(lang), original, measures, note)


def _facts(pack: Pack, lang: str) -> list[tuple[str, str]]:
    label = texts()["labels"]
    facts = [(label["organisation"][lang], pack.organisation.name)]
    if pack.organisation.website:
        facts.append((label["website"][lang], pack.organisation.website))
    facts.append((label["version"][lang], f"{pack.id} {pack.version}"))
    if pack.languages.allowed:
        facts.append((label["allowed_languages"][lang], ", ".join(pack.languages.allowed)))
    for req in pack.languages.required:
        where = (
            ", ".join(
                [word("channels", str(c), lang) for c in req.channels]
                + [word("account_kinds", str(k), lang) for k in req.account_kinds]
                + [word("post_kinds", str(k), lang) for k in req.kinds]
            )
            or label["everywhere"][lang]
        )
        facts.append((label["required_languages"][lang], f"{' + '.join(req.languages)} ({where})"))
    if pack.hashtags:
        facts.append((label["hashtags"][lang], " ".join(pack.hashtags)))
    if pack.channels:
        facts.append(
            (label["channels"][lang], ", ".join(word("channels", str(c), lang) for c in pack.channels))
        )
    for key, value in pack.contacts.items():
        facts.append((f"{label['contacts'][lang]} ({key})", value))
    if pack.sources:
        facts.append((label["sources"][lang], ", ".join(pack.sources)))
    return facts


def build_document(pack: Pack, lang: str = "fi") -> PolicyText:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (fi, sv, en)")
    label = texts()["labels"]
    enforced = rules_by_clause(pack)
    original_lang = pack.document.original_language
    own = pack_clauses(pack)
    by_id = {c.id: c for c in own}
    chapters: list[Chapter] = []
    placed: set[str] = set()
    for ch in pack.document.chapters:
        entries = [
            _clause_text(pack, by_id.get(cid) or clauses()[cid], lang, enforced, original_lang)
            for cid in ch.clauses
        ]
        placed |= set(ch.clauses)
        chapters.append(
            Chapter(
                ch.id, f"ch-{ch.id}", ch.title.get(lang), ch.intro.get(lang) if ch.intro else None, entries
            )
        )
    rest = [c for c in own if c.id not in placed]
    if rest and pack.document.chapters:
        chapters.append(
            Chapter(
                "other",
                "ch-other",
                label["other_clauses"][lang],
                None,
                [_clause_text(pack, c, lang, enforced, original_lang) for c in rest],
            )
        )
    elif rest:
        for kind in KINDS:
            of_kind = [c for c in rest if c.kind == kind]
            if of_kind:
                chapters.append(
                    Chapter(
                        kind,
                        f"ch-{kind}",
                        word("kinds", kind, lang),
                        None,
                        [_clause_text(pack, c, lang, enforced, original_lang) for c in of_kind],
                    )
                )
    title = pack.title.get(lang) if pack.title else f"{label['title'][lang]}: {pack.organisation.name}"
    first_id = next((c.id for ch in chapters for c in ch.clauses), "…")
    return PolicyText(
        lang=lang,
        title=title,
        pack=pack.id,
        version=pack.version,
        facts=_facts(pack, lang),
        intro=pack.document.intro.get(lang) if pack.document.intro else None,
        about=fill(label["about"][lang], {"example_id": first_id}, lang),
        chapters=chapters,
    )


# -- Markdown --------------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    """Markdown's inline markup characters as literals (a '#' mid-line is plain text already)."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def render_markdown(pack: Pack, lang: str = "fi") -> str:
    doc = build_document(pack, lang)
    lb = doc.labels()
    out = [f"# {_md_escape(doc.title)}", ""]
    out += [f"- {k}: {_md_escape(v)}" for k, v in doc.facts]
    if doc.intro:
        out += ["", _md_escape(doc.intro)]
    out += ["", _md_escape(doc.about), "", f"## {lb['contents']}", ""]
    out += [f"{i}. [{_md_escape(ch.title)}](#{ch.anchor})" for i, ch in enumerate(doc.chapters, 1)]
    for ch in doc.chapters:
        out += ["", f'<a id="{ch.anchor}"></a>', "", f"## {_md_escape(ch.title)}"]
        if ch.intro:
            out += ["", _md_escape(ch.intro)]
        for c in ch.clauses:
            out += ["", f"### {c.id}", "", _md_escape(c.text)]
            if c.original:
                out += ["", f"> {lb['original_wording']}: {_md_escape(c.original)}"]
            out += ["", f"**{lb['what_somevahti_does']}:**", ""]
            if c.note:
                out.append(f"- {_md_escape(c.note)}")
            for m in c.measures:
                out.append(f"- {m.label} `{m.name}`: {_md_escape(m.text)}")
                out += [f"  - {_md_escape(d)}" for d in m.details]
                if m.example:
                    post = " ".join([_md_escape(m.example.post), *m.example.media]).strip()
                    out.append(
                        f"  - {lb['example']}: “{post}” → {lb['says']}: “{_md_escape(m.example.message)}”"
                    )
    return "\n".join(out) + "\n"


# -- HTML and PDF ----------------------------------------------------------------------------------


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def document_css() -> str:
    return (TEMPLATES / "policy_document.css").read_text(encoding="utf-8")


def render_html(pack: Pack, lang: str = "fi", for_print: bool = False) -> str:
    """A standalone HTML document (its own styles, no outside assets)."""
    doc = build_document(pack, lang)
    css = document_css()
    return (
        _environment()
        .get_template("policy_document.html")
        .render(doc=doc, lb=doc.labels(), css=css, for_print=for_print)
    )


def render_fragment(pack: Pack, lang: str = "fi") -> str:
    """The document's body for embedding in a web page (the page supplies the styles)."""
    doc = build_document(pack, lang)
    return _environment().get_template("policy_document_body.html").render(doc=doc, lb=doc.labels())


def render_pdf(pack: Pack, lang: str = "fi") -> bytes:
    """PDF/UA-1: tagged, the document language and title set, bookmarks from the headings."""
    import weasyprint

    html = render_html(pack, lang, for_print=True)
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")


def render(pack: Pack, lang: str = "fi", fmt: str = "md") -> bytes:
    if fmt == "md":
        return render_markdown(pack, lang).encode("utf-8")
    if fmt == "html":
        return render_html(pack, lang).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(pack, lang)
    raise ValueError(f"unknown format {fmt!r} (md, html, pdf)")
