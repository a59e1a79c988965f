from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from somevahti.web.inbox.models import Incident
from somevahti.web.registry.models import Account, Person

LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


class ImportForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    file = forms.FileField(label=_("File (JSON Lines or CSV)"))
    dry_run = forms.BooleanField(label=_("Dry run: check the file and import nothing"), required=False)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts if accounts is not None else Account.objects.all()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return f


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6, "cols": 70}), max_length=5000
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)


class ModerateForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("hidden", _("hide")), ("deleted", _("delete")), ("closed", _("close")), ("note", _("note"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["type", "title", "description", "concerns", "language"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "language": forms.Select(choices=LANGUAGES),
        }
        labels = {"language": _("Language of the guidance")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = Person.objects.filter(status=Person.Status.ACTIVE).order_by("name")
        self.fields["title"].label = pgettext_lazy("incident", "Title")  # a heading, not a job title


class IncidentUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Incident.Status.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("status") and not (data.get("note") or "").strip():
            raise forms.ValidationError(_("Give a new status or a note."))
        return data


class PinForm(forms.Form):
    seq = forms.IntegerField(label=_("Archive record number"), min_value=1)


STATUS_ID = re.compile(r"^[A-Za-z0-9_:.-]{1,64}$")


class ConnectionForm(forms.Form):
    """An account's API connection. The token field is never filled in from what is stored; left empty
    on a change it keeps the stored token, except when the server address changes (the token would
    go to the new server). The token goes to the connector's first secret credential field (an
    access token, an app password), the identifier to its ``identifier`` field where it has one
    (Bluesky's handle or e-mail, a Facebook page id)."""

    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    connector = forms.ChoiceField(label=_("Connector"))
    base_url = forms.URLField(
        label=_("Server address"),
        assume_scheme="https",
        max_length=200,
        help_text=_("e.g. https://mastodon.example"),
    )
    identifier = forms.CharField(
        label=_("Identifier"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("The login name or page id, where the platform asks for one."),
    )
    token = forms.CharField(
        label=_("Access token"),
        required=False,
        max_length=2000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    statuses = forms.CharField(
        label=_("Posts whose replies are fetched"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Platform ids of our posts, one per line."),
    )

    def __init__(self, *args, connection=None, **kwargs):
        from somevahti import channels
        from somevahti.channels import oauth

        self.connection = connection
        if connection is not None:
            kwargs.setdefault(
                "initial",
                {
                    "account": connection.account_id,
                    "connector": connection.connector,
                    "base_url": connection.base_url,
                    "statuses": "\n".join(connection.statuses),
                    "identifier": (connection.settings or {}).get("identifier", ""),
                },
            )
        super().__init__(*args, **kwargs)
        signin = set(oauth.providers())  # connected on the account's publishing page, with its sign-in
        self.signin = connection is not None and connection.connector in signin
        self.fields["connector"].choices = [
            (n, n) for n in channels.available() if channels.get(n).api and n not in signin
        ]
        if self.signin:  # only what the inbox itself needs; the credentials are the publishing page's
            for name in ("connector", "base_url", "identifier", "token"):
                del self.fields[name]
        if connection is None:
            self.fields["account"].queryset = Account.objects.filter(connection__isnull=True).order_by(
                "platform", "handle"
            )
            self.fields["token"].required = True
        else:
            self.fields["account"].queryset = Account.objects.filter(pk=connection.account_id)
            self.fields["account"].disabled = True
            if not self.signin:
                self.fields["token"].help_text = _("Leave empty to keep the stored token.")

    def clean_base_url(self):
        url = self.cleaned_data["base_url"]
        if not url.lower().startswith("https://"):
            raise forms.ValidationError(
                _("The server address must start with https:// (the token is sent there).")
            )
        return url.rstrip("/")

    def clean_statuses(self):
        ids = [s.strip() for s in self.cleaned_data["statuses"].split()]
        bad = [s for s in ids if not STATUS_ID.match(s)]
        if bad:
            raise forms.ValidationError(_("Not a post id: %(ids)s") % {"ids": ", ".join(bad[:5])})
        return list(dict.fromkeys(ids))

    def clean(self):
        data = super().clean()
        if self.signin:
            return {
                **data,
                "connector": self.connection.connector,
                "base_url": "",
                "token": "",
                "credentials": {},
            }
        moved = self.connection is not None and data.get("base_url") not in (None, self.connection.base_url)
        if moved and not data.get("token"):
            self.add_error("token", _("A new server address needs the token again."))
        data["credentials"] = {"identifier": data["identifier"]} if data.get("identifier") else {}
        return data


class AssignForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Assigned to"),
        required=False,
        queryset=Person.objects.filter(status="active").order_by("name"),
        empty_label=_("the unit's editors"),
    )


class BulkForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    action = forms.ChoiceField(
        label=_("Action"), choices=(("assign", _("Assign to")), ("close", _("Close without action")))
    )
    person = forms.ModelChoiceField(
        label=_("Person"), required=False, queryset=Person.objects.filter(status="active").order_by("name")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # any whole numbers; the view keeps only the items the user may see and act on
        self.fields["items"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        data = super().clean()
        if data.get("action") == "close" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the comments are closed."))
        return data
