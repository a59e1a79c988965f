"""The wizard's question steps: one small form each. A form starts from the draft's pack as it
stands and :meth:`StepForm.apply` writes its answers into the overlay (only what differs from the
base pack stays there). Every field is a field of the pack schema (policy/schema.py)."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from somevahti.document import AccountKind, Channel
from somevahti.policy import overlay
from somevahti.policy.schema import APPROVER_ROLES, Approval
from somevahti.web.core.models import Role
from somevahti.web.publishing.forms import LANGUAGE_NAMES
from somevahti.web.wizard.models import BASE_CHOICES

LANGS = ("fi", "sv", "en")
LANG_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in LANGS]
CHANNEL_CHOICES = [(c.value, c.label) for c in Channel]
KIND_LABELS = {
    "shared": _("shared accounts"),
    "expert": _("expert profiles"),
    "personal": _("personal profiles"),
}
ROLE_CHOICES = [(r, Role(r).label) for r in APPROVER_ROLES]
INCIDENT_ROLES = [
    ("supervisor", _("the person's supervisor")),
    ("it_security", Role.IT_SECURITY.label),
    ("communications", _("communications")),
]
SEVERITY_CHOICES = [("error", _("Error")), ("warning", _("Warning")), ("suggestion", _("Suggestion"))]
SCOPE = {"account_kinds": ["shared"], "kinds": ["post"]}  # the language requirements the wizard asks about


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;]+", text or "") if w]


class NewDraftForm(forms.Form):
    name = forms.CharField(label=_("Name of the draft"), max_length=200)
    base = forms.ChoiceField(
        label=_("Starting pack"), choices=BASE_CHOICES, widget=forms.RadioSelect, initial="generic"
    )
    pack_id = forms.CharField(
        label=_("Pack id"),
        max_length=60,
        validators=[validate_slug],
        help_text=_("letters, digits and hyphens, e.g. kirkkonummi"),
    )
    version = forms.CharField(label=_("Version"), max_length=30, initial="1")


class StepForm(forms.Form):
    """A step: ``pack`` is the draft's pack now, ``base`` the pack it extends."""

    def __init__(self, data=None, *, draft, **kwargs):
        self.draft, self.pack, self.base = draft, draft.pack(), draft.base_pack()
        super().__init__(data, **kwargs)
        self.setup()
        if data is None:
            self.initial = self.initial_values()

    def setup(self) -> None:
        """Fields that depend on the pack."""

    def initial_values(self) -> dict:
        return {}

    def apply(self, data: dict) -> dict:
        raise NotImplementedError


class StartForm(StepForm):
    name = forms.CharField(label=_("Name of the draft"), max_length=200)
    pack_id = NewDraftForm.base_fields["pack_id"]
    version = NewDraftForm.base_fields["version"]

    def initial_values(self):
        return {"name": self.draft.name, "pack_id": self.pack.id, "version": self.pack.version}

    def apply(self, data):
        d = self.cleaned_data
        return {**data, "id": d["pack_id"], "version": d["version"]}


class OrganisationForm(StepForm):
    org_name = forms.CharField(label=_("Organisation name"), max_length=200)
    names = forms.CharField(
        label=_("Other names and short forms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("one a line"),
    )
    email_domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        help_text=_("addresses there are work addresses, e.g. kirkkonummi.fi"),
    )
    web_domains = forms.CharField(label=_("Web domains"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def initial_values(self):
        o = self.pack.organisation
        return {
            "org_name": o.name,
            "names": "\n".join(o.names),
            "email_domains": " ".join(o.email_domains),
            "web_domains": " ".join(o.web_domains),
            "website": o.website or "",
        }

    def apply(self, data):
        d = self.cleaned_data
        value = {
            "name": d["org_name"],
            "names": [n.strip() for n in d["names"].splitlines() if n.strip()],
            "email_domains": [w.lower().lstrip("@.") for w in _words(d["email_domains"])],
            "web_domains": [w.lower() for w in _words(d["web_domains"])],
            "website": d["website"] or None,
        }
        return overlay.set_value(data, ("organisation",), value, base_pack=self.base)


def _requirements(reqs) -> tuple[list, list[str], dict[str, list[str]]]:
    """(kept as they are, everywhere, per channel) for the shared accounts' own posts."""
    kept, everywhere, per_channel = [], [], {}
    for req in reqs:
        r = req if isinstance(req, dict) else req.model_dump(mode="json")
        if r.get("account_kinds") == SCOPE["account_kinds"] and r.get("kinds") == SCOPE["kinds"]:
            if not r.get("channels"):
                everywhere += [lang for lang in r["languages"] if lang not in everywhere]
                continue
            if len(r["channels"]) == 1:
                ch = per_channel.setdefault(r["channels"][0], [])
                ch += [lang for lang in r["languages"] if lang not in ch]
                continue
        kept.append(r)
    return kept, everywhere, per_channel


class LanguagesForm(StepForm):
    allowed = forms.MultipleChoiceField(
        label=_("Languages in use (the first is the main language)"),
        choices=LANG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    main = forms.ChoiceField(label=_("Main language"), choices=LANG_CHOICES)
    everywhere = forms.MultipleChoiceField(
        label=_("Required in every post of a shared account"),
        choices=LANG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def setup(self):
        self.kept = _requirements(self.pack.languages.required)[0]
        for value, label in CHANNEL_CHOICES:
            self.fields[f"channel_{value}"] = forms.MultipleChoiceField(
                label=_("Also required on %(channel)s") % {"channel": label},
                choices=LANG_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def channel_fields(self):
        return [self[f"channel_{value}"] for value, _label in CHANNEL_CHOICES]

    def initial_values(self):
        _kept, everywhere, per_channel = _requirements(self.pack.languages.required)
        allowed = self.pack.languages.allowed
        return {
            "allowed": allowed,
            "main": allowed[0] if allowed else "fi",
            "everywhere": everywhere,
            **{f"channel_{ch}": langs for ch, langs in per_channel.items()},
        }

    def clean(self):
        d = super().clean()
        allowed = set(d.get("allowed") or [])
        used = set(d.get("everywhere") or []).union(
            *(d.get(f"channel_{v}") or [] for v, _l in CHANNEL_CHOICES)
        )
        if d.get("main") and d["main"] not in allowed:
            self.add_error("main", _("The main language must be one of the languages in use."))
        if used - allowed:
            self.add_error("everywhere", _("A required language must be one of the languages in use."))
        return d

    def apply(self, data):
        d = self.cleaned_data
        allowed = [d["main"], *[lang for lang in LANGS if lang in d["allowed"] and lang != d["main"]]]
        data = overlay.set_value(data, ("languages", "allowed"), allowed, base_pack=self.base)
        chosen = (d["everywhere"], {v: d[f"channel_{v}"] for v, _l in CHANNEL_CHOICES if d[f"channel_{v}"]})
        base_reqs = self.base.model_dump(mode="json")["languages"]["required"]
        base_kept, *base_chosen = _requirements(base_reqs)
        if base_kept == self.kept and tuple(base_chosen) == chosen:
            required = base_reqs
        else:
            required = list(self.kept)
            if chosen[0]:
                required.append({"languages": chosen[0], "channels": [], **SCOPE})
            required += [{"languages": langs, "channels": [ch], **SCOPE} for ch, langs in chosen[1].items()]
        return overlay.set_value(data, ("languages", "required"), required, base_pack=self.base)


class ChannelsForm(StepForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels in use"),
        choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hashtags = forms.CharField(
        label=_("Common hashtags"),
        required=False,
        help_text=_("the hashtags rule asks for one of these, e.g. #kirkkonummi"),
    )

    def initial_values(self):
        return {
            "channels": [str(c) for c, s in self.pack.channels.items() if s.enabled],
            "hashtags": " ".join(self.pack.hashtags),
        }

    def clean_hashtags(self):
        tags = _words(self.cleaned_data["hashtags"])
        return [t if t.startswith("#") else f"#{t}" for t in tags]

    def apply(self, data):
        d = self.cleaned_data
        known = {str(c) for c in self.base.channels}
        value = {
            c: {"enabled": c in d["channels"]}
            for c, _l in CHANNEL_CHOICES
            if c in known or c in d["channels"]
        }
        data = overlay.set_value(data, ("channels",), value, base_pack=self.base)
        return overlay.set_value(data, ("hashtags",), d["hashtags"], base_pack=self.base)


class ApprovalsForm(StepForm):
    def setup(self):
        for kind in AccountKind:
            self.fields[f"{kind}_required"] = forms.BooleanField(
                label=_("Approval before sending: %(kind)s") % {"kind": KIND_LABELS[kind]}, required=False
            )
            self.fields[f"{kind}_approvers"] = forms.MultipleChoiceField(
                label=_("Who approves"),
                choices=ROLE_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def kinds(self):
        return [(KIND_LABELS[k], self[f"{k}_required"], self[f"{k}_approvers"]) for k in AccountKind]

    def initial_values(self):
        out = {}
        for kind in AccountKind:
            a = self.pack.publishing.approval_for(kind)
            out |= {f"{kind}_required": a.required, f"{kind}_approvers": list(a.approvers)}
        return out

    def clean(self):
        d = super().clean()
        for kind in AccountKind:
            if d.get(f"{kind}_required") and not d.get(f"{kind}_approvers"):
                self.add_error(f"{kind}_approvers", _("Choose who approves."))
        return d

    def apply(self, data):
        d = self.cleaned_data
        value = {
            str(k): {
                "required": d[f"{k}_required"],
                "approvers": d[f"{k}_approvers"] or ["communications_admin"],
            }
            for k in AccountKind
        }
        base = {str(k): self.base.publishing.approval_for(k).model_dump(mode="json") for k in AccountKind}
        return overlay.set_value(
            data, ("publishing", "approval"), value, base=base or Approval().model_dump()
        )
