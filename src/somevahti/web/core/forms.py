"""Forms of the user administration and of one's own account."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from somevahti.web.core.models import Role
from somevahti.web.registry.models import Person, Unit


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    person = forms.ModelChoiceField(
        label=_("Person in the registry"), queryset=Person.objects.order_by("name"), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (unit editors)"), queryset=Unit.objects.order_by("name"), required=False
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("the user changes it on their account page"),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["username"].disabled = True
            del self.fields["password"]
        else:
            self.fields["password"].required = True
            del self.fields["is_active"]

    def clean_username(self):
        name = self.cleaned_data["username"]
        if self.instance is None and get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This username is taken."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.UNIT_EDITOR and not data.get("unit"):
            self.add_error("unit", _("A unit editor needs a unit."))
        person = data.get("person")
        if person is not None:
            taken = getattr(person, "membership", None)
            if taken is not None and (self.instance is None or taken.user_id != self.instance.pk):
                self.add_error("person", _("This person is already linked to another user."))
        if self.instance is None and data.get("password"):
            candidate = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as e:
                self.add_error("password", e)
        return data


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the user interface"),
        required=False,
        choices=[("", _("the browser's language")), *settings.LANGUAGES],
    )
