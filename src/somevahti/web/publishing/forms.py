"""The composer's form (one text per pack language, Finnish first), media, schedule, crisis and
corrections."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from somevahti.web.publishing.checking import pack_languages
from somevahti.web.publishing.models import MAX_TEXT, AccountPublishing, MediaItem
from somevahti.web.publishing.services import MAX_JUSTIFICATION, DraftInput, policy_accounts

LANGUAGE_NAMES = {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English"), "se": _("Northern Sami")}


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ComposerForm(forms.Form):
    accounts = forms.ModelMultipleChoiceField(
        label=_("Accounts"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Unknown account: %(value)s."),
            "invalid_pk_value": _("Unknown account: %(pk)s."),
        },
    )
    scheduled_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    closed_group = forms.BooleanField(label=_("For a closed group"), required=False)
    crisis = forms.BooleanField(label=_("Crisis post"), required=False)
    sponsored = forms.BooleanField(label=_("Sponsored"), required=False)
    justification = forms.CharField(
        label=_("Justification for sending despite the warnings"),
        required=False,
        max_length=MAX_JUSTIFICATION,
        widget=forms.TextInput(attrs={"maxlength": MAX_JUSTIFICATION}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = (
            policy_accounts(user).select_related("unit").order_by("platform", "handle")
        )
        self.languages = pack_languages()
        for lang in self.languages:
            name = LANGUAGE_NAMES.get(lang, lang)
            # No max_length here: an overlong text is refused by the service with a clear message and
            # stays in the form (the browser would silently cut it).
            self.fields[f"text_{lang}"] = forms.CharField(
                label=name,
                required=False,
                strip=False,
                widget=forms.Textarea(
                    attrs={"rows": 6, "lang": lang, "data-field": f"text.{lang}", "class": "composer-text"}
                ),
            )
        self.fields["title"] = forms.CharField(label=_("Title (YouTube)"), required=False, max_length=200)

    def version_fields(self):
        return [(lang, LANGUAGE_NAMES.get(lang, lang), self[f"text_{lang}"]) for lang in self.languages]

    def draft_input(self) -> DraftInput:
        d = self.cleaned_data
        texts = {lang: d.get(f"text_{lang}") or "" for lang in self.languages}
        title = d.get("title") or ""
        first = next((lang for lang in self.languages if texts[lang].strip()), self.languages[0])
        return DraftInput(
            texts={k: v for k, v in texts.items() if v.strip()},
            titles={first: title} if title else {},
            accounts=list(d.get("accounts") or []),
            scheduled_at=d.get("scheduled_at"),
            crisis=bool(d.get("crisis")),
            closed_group=bool(d.get("closed_group")),
            sponsored=bool(d.get("sponsored")),
        )

    @classmethod
    def initial_for(cls, draft) -> dict:
        initial = {
            "accounts": list(draft.accounts.all()),
            "crisis": draft.crisis,
            "closed_group": draft.closed_group,
            "sponsored": draft.sponsored,
            "scheduled_at": timezone.localtime(draft.scheduled_at) if draft.scheduled_at else None,
        }
        for v in draft.versions.all():
            initial[f"text_{v.language}"] = v.text
            if v.title:
                initial["title"] = v.title
        return initial


class MediaForm(forms.ModelForm):
    class Meta:
        model = MediaItem
        fields = [
            "type",
            "file",
            "rights_holder",
            "licence",
            "people",
            "consent",
            "purpose",
            "captions",
            "transcript_url",
        ]
        widgets = {"consent": forms.NullBooleanSelect, "captions": forms.NullBooleanSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for lang in pack_languages():
            self.fields[f"alt_{lang}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": LANGUAGE_NAMES.get(lang, lang)},
                required=False,
                max_length=1500,
                widget=forms.Textarea(attrs={"rows": 2, "lang": lang}),
            )

    def alt_texts(self) -> dict[str, str]:
        return {
            lang: self.cleaned_data.get(f"alt_{lang}", "")
            for lang in pack_languages()
            if self.cleaned_data.get(f"alt_{lang}")
        }


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    date = forms.DateField(
        required=False, widget=forms.HiddenInput
    )  # the calendar's drop: same time, new day
    now = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CrisisStartForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    account = forms.ModelChoiceField(label=_("Crisis account"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from somevahti.web.registry.models import Account

        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.exclude(status=Account.Status.CLOSED)


class CorrectionForm(forms.Form):
    note = forms.CharField(label=_("Correction note"), max_length=300)

    def __init__(self, *args, draft=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = [v.language for v in draft.versions.all()] if draft else []
        for v in draft.versions.all() if draft else []:
            self.fields[f"text_{v.language}"] = forms.CharField(
                label=LANGUAGE_NAMES.get(v.language, v.language),
                initial=v.text,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 5, "lang": v.language}),
            )

    def texts(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"text_{lang}"] for lang in self.languages}


class AccountPublishingForm(forms.ModelForm):
    class Meta:
        model = AccountPublishing
        fields = ["approval", "crisis_account", "main_account"]
