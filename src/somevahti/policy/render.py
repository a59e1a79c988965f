"""The readable policy document, rendered from the same pack that the checks run on."""

from __future__ import annotations

from somevahti.policy.clauses import KINDS, Clause, clauses, clauses_of
from somevahti.policy.schema import Pack

HEADINGS = {
    "fi": {"title": "Sosiaalisen median ohje", "org": "Organisaatio", "langs": "Kielet", "required": "pakolliset",
           "allowed": "sallitut", "hashtags": "Yhteiset aihetunnisteet", "contacts": "Yhteystiedot",
           "enforced": "Tarkistetaan automaattisesti", "none": "Ohje ihmisille; ei automaattista tarkistusta.",
           "version": "Versio", "severity": {"error": "virhe", "warning": "varoitus", "suggestion": "ehdotus"},
           "kinds": {"check": "Ennen julkaisua tarkistettavat", "audit": "Tilit, oikeudet ja tietoturva",
                     "workflow": "Prosessit", "moderation": "Kommentit ja moderointi",
                     "incident": "Häirintä, uhat ja väärinkäytökset", "archive": "Julkisuus ja arkistointi",
                     "guidance": "Ohjeet"}},
    "sv": {"title": "Riktlinjer för sociala medier", "org": "Organisation", "langs": "Språk", "required": "obligatoriska",
           "allowed": "tillåtna", "hashtags": "Gemensamma hashtaggar", "contacts": "Kontaktuppgifter",
           "enforced": "Kontrolleras automatiskt", "none": "Vägledning för människor; ingen automatisk kontroll.",
           "version": "Version", "severity": {"error": "fel", "warning": "varning", "suggestion": "förslag"},
           "kinds": {"check": "Kontrolleras före publicering", "audit": "Konton, behörigheter och informationssäkerhet",
                     "workflow": "Processer", "moderation": "Kommentarer och moderering",
                     "incident": "Trakasserier, hot och missbruk", "archive": "Offentlighet och arkivering",
                     "guidance": "Vägledning"}},
    "en": {"title": "Social media policy", "org": "Organisation", "langs": "Languages", "required": "required",
           "allowed": "allowed", "hashtags": "Common hashtags", "contacts": "Contacts",
           "enforced": "Checked automatically", "none": "Guidance for people; not checked automatically.",
           "version": "Version", "severity": {"error": "error", "warning": "warning", "suggestion": "suggestion"},
           "kinds": {"check": "Checked before publishing", "audit": "Accounts, access and security",
                     "workflow": "Processes", "moderation": "Comments and moderation",
                     "incident": "Harassment, threats and misuse", "archive": "Publicity and archiving",
                     "guidance": "Guidance"}},
}


def pack_clauses(pack: Pack) -> list[Clause]:
    """The clauses a pack answers for: its organisation's, else every clause its rules cite."""
    if pack.clauses_of:
        return clauses_of(pack.clauses_of)
    cited = {cid for rule in pack.rules for cid in rule.clauses} | set(pack.guidance)
    return [c for c in clauses().values() if c.id in cited]


def rules_by_clause(pack: Pack) -> dict[str, list]:
    out: dict[str, list] = {}
    for rule in pack.rules:
        if rule.enabled:
            for cid in rule.clauses:
                out.setdefault(cid, []).append(rule)
    return out


def render_markdown(pack: Pack, lang: str = "fi") -> str:
    h = HEADINGS[lang]
    title = pack.title.get(lang) if pack.title else f"{h['title']}: {pack.organisation.name}"
    out = [f"# {title}", "", f"{h['org']}: {pack.organisation.name}"]
    if pack.organisation.website:
        out[-1] += f" — {pack.organisation.website}"
    out.append(f"{h['version']}: {pack.version}")
    langs = pack.languages
    req = sorted({lg for r in langs.required for lg in r.languages})
    out += ["", f"{h['langs']}: {h['required']} {', '.join(req) or '—'}; {h['allowed']} {', '.join(langs.allowed)}"]
    if pack.hashtags:
        out.append(f"{h['hashtags']}: {' '.join(pack.hashtags)}")
    if pack.contacts:
        out += ["", f"## {h['contacts']}", *[f"- {k}: {v}" for k, v in pack.contacts.items()]]
    enforced = rules_by_clause(pack)
    by_kind: dict[str, list[Clause]] = {}
    for clause in pack_clauses(pack):
        by_kind.setdefault(clause.kind, []).append(clause)
    for kind in KINDS:
        if kind not in by_kind:
            continue
        out += ["", f"## {h['kinds'][kind]}"]
        for clause in by_kind[kind]:
            out += ["", f"**{clause.id}** {clause.text_in(lang)}"]
            rules = enforced.get(clause.id, [])
            if rules:
                out.append(f"- {h['enforced']}:")
                out += [f"  - `{r.id}` ({h['severity'][str(r.severity)]}): {r.message.get(lang)}" for r in rules]
            elif kind == "guidance":
                out.append(f"- {h['none']}")
    return "\n".join(out) + "\n"
