from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from somevahti.web.registry.models import Account, Person
from somevahti.web.requests.models import AccountRequest, ExpertProfileRequest

LANGS = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


class AccountRequestForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGS, widget=forms.CheckboxSelectMultiple, initial=["fi", "sv"]
    )

    class Meta:
        model = AccountRequest
        fields = [
            "what",
            "platform",
            "handle",
            "unit",
            "need",
            "goals",
            "target_group",
            "planned_content",
            "languages",
            "maintainers",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("need", "goals", "planned_content")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["maintainers"].queryset = Person.objects.filter(status=Person.Status.ACTIVE).only(
            "id", "name"
        )
        self.fields["maintainers"].help_text = _("The first maintainer becomes the owner of the account.")
        if not self.is_bound and self.instance.languages:
            self.initial["languages"] = self.instance.languages.split(",")

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])

    def clean(self):
        data = super().clean()
        if (
            data.get("platform")
            and data.get("handle")
            and Account.objects.filter(
                platform=data["platform"], handle__iexact=data["handle"].strip()
            ).exists()
        ):
            self.add_error("handle", _("An account with this handle is already in the registry."))
        maintainers = data.get("maintainers")
        if maintainers is not None and len(maintainers) == 0:
            self.add_error("maintainers", _("Name at least one maintainer."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("approve")), ("reject", _("reject"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ExpertRequestForm(forms.ModelForm):
    class Meta:
        model = ExpertProfileRequest
        fields = ["platform", "handle", "topics", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
