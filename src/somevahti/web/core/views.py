"""Sign-in, two-step verification (TOTP) and the start page."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from somevahti.web.core import dashboard, policy


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request, default="home"):
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            messages.info(request, _("Two-step verification is already on."))
            return _next(request)
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, _("Two-step verification is now on."))
            return _next(request)
        form.add_error("token", _("The code is not valid. Check the clock of your phone and try again."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "core/otp_setup.html",
        {"form": form, "qr_svg": qr, "secret": device.bin_key.hex(), "config_url": device.config_url},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"].strip()):
                otp_login(request, device)
                return _next(request)
        form.add_error("token", _("The code is not valid."))
    return render(request, "core/otp_verify.html", {"form": form})


@require_http_methods(["GET"])
def home(request):
    """The day's work for the signed-in person: every app's cards (core/dashboard.py)."""
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "role": policy.role_of(user),
            "cards": dashboard.cards_for(user),
            "can_file_request": policy.can_file_request(user),
            "can_compose": policy.can_compose(user),
            "can_view_publishing": policy.can_view_publishing(user),
        },
    )
