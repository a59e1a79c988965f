"""Sign-in is required everywhere except the sign-in pages; two-step verification is required of
communications admins and of every user who has set it up."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp import user_has_device

from somevahti import i18n
from somevahti.web.core.models import Role

PUBLIC_PREFIXES = ("/login/", "/static/", "/i18n/")
TWO_FACTOR_PREFIXES = ("/2fa/", "/logout/")


class RequireLoginAndTwoFactor:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PUBLIC_PREFIXES) or path == "/api/openapi.json":
            return self.get_response(request)
        user = request.user
        is_api = path.startswith("/api/")
        if not user.is_authenticated:
            if is_api:
                return JsonResponse({"detail": _("Sign in first.")}, status=401)
            return redirect(f"{reverse('login')}?next={path}")
        if path.startswith(TWO_FACTOR_PREFIXES) or user.is_verified():
            return self.get_response(request)
        membership = getattr(user, "membership", None)
        must = (membership is not None and membership.role == Role.COMMUNICATIONS_ADMIN) or user.is_superuser
        if user_has_device(user, confirmed=True):
            target = "otp-verify"
        elif must:
            target = "otp-setup"
        else:
            return self.get_response(request)
        if is_api:
            return JsonResponse({"detail": _("Two-step verification is required.")}, status=403)
        return redirect(f"{reverse(target)}?next={path}")


class CoreMessagesInReaderLanguage:
    """The core's messages (a check finding, a connector's error, a file that cannot be read) in
    the language Django chose for the reader, on every page and API call."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with i18n.language((get_language() or "fi")[:2]):
            return self.get_response(request)


class UserLanguage:
    """The signed-in person's own language (their account page; the header's language switcher saves
    it too) over the browser's: Django's messages and the core's follow it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        user = getattr(request, "user", None)
        membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
        if membership is not None and request.method == "POST" and request.path_info == "/i18n/setlang/":
            chosen = request.POST.get("language", "")
            if chosen in dict(settings.LANGUAGES):
                from somevahti.web.core import services

                services.set_language(user, chosen)
        lang = membership.language if membership is not None else ""
        if not lang:
            return self.get_response(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        with i18n.language(lang[:2]):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
