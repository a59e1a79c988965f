"""Forms of the archive pages; the archive core checks everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from somevahti.archive.payloads import CONTENT_KINDS, STATES

LABELS = {
    "post": _("post"),
    "reply": _("reply"),
    "comment": _("comment"),
    "mention": _("mention"),
    "moderation": _("moderation"),
    "visible": _("visible"),
    "hidden": _("hidden"),
    "deleted": _("deleted"),
    "answered": _("answered"),
    "escalated": _("escalated"),
}
LABELS.update(
    {
        "note": _("note"),
        "unhidden": _("shown again"),
        "retention": _("retention"),
        "hold": _("legal hold"),
        "hold-release": _("legal hold released"),
        "purge": _("purge"),
        "export": _("export"),
        "import": _("import"),
    }
)
KIND_CHOICES = [("", _("all"))] + [(k, LABELS[k]) for k in CONTENT_KINDS]
STATE_CHOICES = [("", _("all"))] + [(s, LABELS[s]) for s in STATES]
LANGUAGE_CHOICES = [("", _("all")), ("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
_ACCOUNTS = forms.TextInput(attrs={"list": "archive-accounts"})  # the page lists the known accounts


class _Period(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class SearchForm(_Period):
    q = forms.CharField(label=_("Words"), required=False, max_length=500)
    account = forms.CharField(label=_("Account"), required=False, max_length=300, widget=_ACCOUNTS)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    author = forms.CharField(label=_("Author"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    state = forms.ChoiceField(label=_("Moderation state"), choices=STATE_CHOICES, required=False)

    def __init__(self, *args, accounts: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:  # a unit editor chooses among the unit's accounts
            self.fields["account"] = forms.ChoiceField(
                label=_("Account"), required=False, choices=[("", _("all"))] + [(a, a) for a in accounts]
            )


class ExportForm(_Period):
    accounts = forms.CharField(
        label=_("Accounts"),
        max_length=2000,
        widget=_ACCOUNTS,
        help_text=_("one or more, separated by commas, e.g. facebook:visitkirkkonummi"),
    )
    text = forms.CharField(label=_("Only threads matching"), required=False, max_length=500)
    redact = forms.BooleanField(label=_("Redact private persons' personal data in the PDF"), required=False)

    def clean_accounts(self) -> list[str]:
        accounts = [a.strip() for a in self.cleaned_data["accounts"].split(",") if a.strip()]
        if not accounts:
            raise forms.ValidationError(_("Choose at least one account."))
        return list(dict.fromkeys(accounts))


class RetentionForm(forms.Form):
    account = forms.CharField(label=_("Account"), max_length=300, widget=_ACCOUNTS)
    years = forms.IntegerField(label=_("Keep for (years)"), min_value=1, max_value=200, required=False)
    permanent = forms.BooleanField(label=_("Keep permanently"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("years") is None) == (not data.get("permanent")):
            raise forms.ValidationError(_("Give either a number of years or keep permanently."))
        return data


class HoldForm(_Period):
    reason = forms.CharField(label=_("Reason (e.g. case number)"), max_length=500)
    accounts = forms.CharField(
        label=_("Accounts"),
        required=False,
        max_length=2000,
        widget=_ACCOUNTS,
        help_text=_("separated by commas; empty: all accounts"),
    )
    text = forms.CharField(label=_("Only records matching"), required=False, max_length=500)

    def clean_accounts(self) -> list[str]:
        return list(dict.fromkeys(a.strip() for a in self.cleaned_data["accounts"].split(",") if a.strip()))


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the release"), max_length=500)
