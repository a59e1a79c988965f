"""The wizard's later steps: inbox answer times and incident routes, security, the rules; trying a
post against the draft and importing an overlay."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from somevahti.document import AccountKind, PostKind
from somevahti.policy import overlay
from somevahti.policy.render import fill
from somevahti.policy.schema import TriageCategory
from somevahti.web.inbox.models import CATEGORY_LABELS, Incident
from somevahti.web.wizard.forms import (
    CHANNEL_CHOICES,
    INCIDENT_ROLES,
    KIND_LABELS,
    LANG_CHOICES,
    SEVERITY_CHOICES,
    StepForm,
)

CATEGORIES = list(TriageCategory.__args__)
TWO_STEP_RULE = "two-factor-off"  # the audit rule that flags an account without two-step verification


def _inbox_config(pack):
    from somevahti.web.inbox.config import config_for

    return config_for(pack)


class InboxForm(StepForm):
    def setup(self):
        for category in CATEGORIES:
            self.fields[f"target_{category}"] = forms.FloatField(
                label=CATEGORY_LABELS[category],
                required=False,
                min_value=0.25,
                max_value=24 * 30,
                widget=forms.NumberInput(attrs={"step": "0.25"}),
            )
        for value, label in Incident.Type.choices:
            self.fields[f"route_{value}"] = forms.MultipleChoiceField(
                label=label, choices=INCIDENT_ROLES, required=False, widget=forms.CheckboxSelectMultiple
            )

    def target_fields(self):
        return [self[f"target_{c}"] for c in CATEGORIES]

    def route_fields(self):
        return [self[f"route_{v}"] for v, _l in Incident.Type.choices]

    def initial_values(self):
        config = _inbox_config(self.pack)
        return {
            **{f"target_{c}": config.target_hours(c) for c in CATEGORIES},
            **{f"route_{v}": config.routes(v) for v, _l in Incident.Type.choices},
        }

    def clean(self):
        d = super().clean()
        for value, _label in Incident.Type.choices:
            if f"route_{value}" in d and not d[f"route_{value}"]:
                self.add_error(f"route_{value}", _("Choose where the incident goes."))
        return d

    def apply(self, data):
        d, base = self.cleaned_data, _inbox_config(self.base)
        targets = {c: d[f"target_{c}"] for c in CATEGORIES if d[f"target_{c}"] is not None}
        targets = {c: int(v) if float(v).is_integer() else v for c, v in targets.items()}
        base_targets = {c: base.target_hours(c) for c in CATEGORIES if base.target_hours(c) is not None}
        data = overlay.set_value(data, ("inbox", "response_targets"), targets, base=base_targets)
        routes = {v: d[f"route_{v}"] for v, _l in Incident.Type.choices}
        base_routes = {v: base.routes(v) for v, _l in Incident.Type.choices}
        return overlay.set_value(data, ("incidents", "routes"), routes, base=base_routes)


class SecurityForm(StepForm):
    password_max_age_days = forms.IntegerField(
        label=_("Change account passwords at least every (days)"), min_value=1, max_value=3650
    )
    settings_review_days = forms.IntegerField(
        label=_("Review account settings at least every (days)"), min_value=1, max_value=3650
    )
    two_step_required = forms.BooleanField(
        label=_("Every account uses two-step verification (the audit flags those without)"), required=False
    )

    @staticmethod
    def _two_step(pack) -> bool:
        return TWO_STEP_RULE not in pack.audits.disabled()

    def initial_values(self):
        t = self.pack.audits.thresholds
        return {
            "password_max_age_days": t.password_max_age_days,
            "settings_review_days": t.settings_review_days,
            "two_step_required": self._two_step(self.pack),
        }

    def apply(self, data):
        d = self.cleaned_data
        for key in ("password_max_age_days", "settings_review_days"):
            data = overlay.set_value(data, ("audits", "thresholds", key), d[key], base_pack=self.base)
        return overlay.set_value(
            data,
            ("audits", "rules", TWO_STEP_RULE, "enabled"),
            d["two_step_required"],
            base=self._two_step(self.base),
        )


class RulesForm(StepForm):
    """Each rule of the base pack: on or off, and its level."""

    def setup(self):
        for rule in self.base.rules:
            self.fields[f"on-{rule.id}"] = forms.BooleanField(label=_("In use"), required=False)
            self.fields[f"level-{rule.id}"] = forms.ChoiceField(label=_("Level"), choices=SEVERITY_CHOICES)

    def rows(self, lang: str):
        current = {r.id: r for r in self.pack.rules}
        for rule in self.base.rules:
            spec = current.get(rule.id, rule)
            yield {
                "id": rule.id,
                "family": rule.family,
                "clauses": spec.clauses,
                "message": fill(spec.message.get(lang), {}, lang),
                "on": self[f"on-{rule.id}"],
                "level": self[f"level-{rule.id}"],
            }

    def initial_values(self):
        out = {}
        for rule in self.pack.rules:
            out |= {f"on-{rule.id}": rule.enabled, f"level-{rule.id}": str(rule.severity)}
        return out

    def apply(self, data):
        d = self.cleaned_data
        for rule in self.base.rules:
            data = overlay.set_rule(
                data, rule.id, enabled=d[f"on-{rule.id}"], severity=d[f"level-{rule.id}"], base_pack=self.base
            )
        return data


class TryForm(forms.Form):
    text = forms.CharField(
        label=_("Post text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), strip=False
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANG_CHOICES)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("any channel")), *CHANNEL_CHOICES]
    )
    account_kind = forms.ChoiceField(
        label=_("Account"), choices=[(k.value, KIND_LABELS[k]) for k in AccountKind]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (PostKind.POST.value, _("post")),
            (PostKind.REPLY.value, _("reply")),
            (PostKind.COMMENT.value, _("comment")),
        ],
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Overlay file (YAML)"))


class ForceForm(forms.Form):
    note = forms.CharField(
        label=_("Note (what changed and why)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
