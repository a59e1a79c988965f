from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from somevahti.web.inbox.models import Incident
from somevahti.web.registry.models import Account, Person

LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


class ImportForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    file = forms.FileField(label=_("File (JSON Lines or CSV)"))

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts if accounts is not None else Account.objects.all()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.")
                                        % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
        return f


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6, "cols": 70}), max_length=5000)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)


class ModerateForm(forms.Form):
    kind = forms.ChoiceField(choices=[("hidden", _("hide")), ("deleted", _("delete")), ("closed", _("close")),
                                      ("note", _("note"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["type", "title", "description", "concerns", "language"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}),
                   "language": forms.Select(choices=LANGUAGES)}
        labels = {"language": _("Language of the guidance")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = Person.objects.filter(status=Person.Status.ACTIVE).order_by("name")


class IncidentUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *Incident.Status.choices], required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("status") and not (data.get("note") or "").strip():
            raise forms.ValidationError(_("Give a new status or a note."))
        return data


class PinForm(forms.Form):
    seq = forms.IntegerField(label=_("Archive record number"), min_value=1)
