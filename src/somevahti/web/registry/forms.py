"""Registry forms; model validation (dates, uniqueness) runs through ModelForm.full_clean."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from somevahti.web.registry.models import AccessGrant, Account, ImportJob, Person, SecurityAttestation, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _https(field, **kwargs):
    """Addresses typed without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class UnitForm(forms.ModelForm):
    formfield_callback = _https

    class Meta:
        model = Unit
        fields = ["name", "parent", "website"]


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "unit", "email", "phone", "supervisor", "start_date", "end_date", "status"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
            self.fields["unit"].required = True
        self.fields["supervisor"].queryset = Person.objects.filter(status=Person.Status.ACTIVE).only(
            "id", "name"
        )


class AccountForm(forms.ModelForm):
    formfield_callback = _https

    class Meta:
        model = Account
        fields = [
            "platform",
            "handle",
            "url",
            "kind",
            "unit",
            "owner",
            "purpose",
            "audience",
            "languages",
            "names_maintainer",
            "links_website",
            "privacy_notice_url",
            "contact_email",
            "created",
            "last_published",
            "status",
        ]
        widgets = {"created": DATE, "last_published": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["owner"].queryset = Person.objects.filter(status=Person.Status.ACTIVE).only("id", "name")


class GrantForm(forms.ModelForm):
    class Meta:
        model = AccessGrant
        fields = ["person", "role", "granted"]
        widgets = {"granted": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.exclude(status=Person.Status.LEFT).only("id", "name")

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("person", _("This person already has access to the account."))


class AttestationForm(forms.ModelForm):
    class Meta:
        model = SecurityAttestation
        fields = [
            "password_changed",
            "two_factor",
            "login_email_kind",
            "reuses_network_password",
            "in_password_manager",
            "settings_reviewed",
        ]
        widgets = {"password_changed": DATE, "settings_reviewed": DATE}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would change, save nothing"), required=False, initial=True
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s kB; the limit is %(limit)s kB.")
                % {"size": f.size // 1024, "limit": limit // 1024}
            )
        try:
            return f.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
