"""The inbox settings of the organisation's pack (`inbox:` and `incidents:`) over the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from somevahti.web.api.checking import organisation_pack

LANGS = ("fi", "sv", "en")


@cache
def defaults() -> dict:
    return yaml.safe_load(Path(__file__).with_name("defaults.yaml").read_text(encoding="utf-8"))


def _merge(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{k: _merge(base.get(k), v) if k in base else v for k, v in override.items()}}
    return override if override is not None else base


def localised(value, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fi") or next(iter(value.values()), "")
    return str(value or "")


@dataclass(frozen=True)
class InboxConfig:
    inbox: dict
    incidents: dict

    def target_hours(self, category: str) -> float | int | None:
        """Business hours to answer in; a whole number as an int (shown "4", counted for the plural)."""
        value = (self.inbox.get("response_targets") or {}).get(category)
        if value in (None, "", 0):
            return None
        return int(value) if float(value).is_integer() else float(value)

    def saved_replies(self) -> list[dict]:
        return list(self.inbox.get("saved_replies") or [])

    def saved_reply(self, reply_id: str) -> dict | None:
        return next((r for r in self.saved_replies() if r.get("id") == reply_id), None)

    def routes(self, incident_type: str) -> list[str]:
        return list((self.incidents.get("routes") or {}).get(incident_type) or ["communications"])

    def clauses(self, incident_type: str) -> list[str]:
        return list((self.incidents.get("clauses") or {}).get(incident_type) or [])

    def police(self, incident_type: str) -> bool:
        return incident_type in (self.incidents.get("police") or [])

    def guidance(self, which: str, lang: str) -> str:
        return localised((self.incidents.get("guidance") or {}).get(which), lang)


def _overrides(section) -> dict:
    """The pack's typed section (validated at load) as plain data over the defaults."""
    if section is None:
        return {}
    return section.as_overrides() if hasattr(section, "as_overrides") else dict(section)


def config_for(pack) -> InboxConfig:
    d = defaults()
    inbox = _merge(d["inbox"], _overrides(getattr(pack, "inbox", None)))
    incidents = _merge(d["incidents"], _overrides(getattr(pack, "incidents", None)))
    return InboxConfig(inbox, incidents)


def config() -> InboxConfig:
    return config_for(organisation_pack())
