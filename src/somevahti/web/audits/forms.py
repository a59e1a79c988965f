from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AcceptForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    until = forms.DateField(label=_("Accepted until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_until(self):
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until <= today:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if (until - today).days > 366:
            raise forms.ValidationError(_("A finding can be accepted for at most a year at a time."))
        return until
