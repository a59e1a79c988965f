"""Sign-in is required everywhere except the sign-in pages; two-step verification is required of
communications admins and of every user who has set it up."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from somevahti import i18n
from somevahti.web.core.auth import has_confirmed_device
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
        if has_confirmed_device(user):
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


# --- security headers, idle sessions, request limits ------------------------------------------

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",  # no inline scripts or handlers: static/somevahti/*.js only
        "style-src 'self' 'unsafe-inline'",  # htmx and swagger-ui set style attributes
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeaders:
    """Content-Security-Policy on every response; ``Cache-Control: no-store`` on everything a signed-in
    user sees (a shared computer's back button or a proxy must not show registry data); an
    out-of-range id (``/accounts/99999999999999999999``) is a 404, not a database overflow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith("/static/"):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):  # an id beyond the database's integers
            from django.http import HttpResponseNotFound

            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "Not Found"}, status=404)
            return HttpResponseNotFound(_("Not found."))
        return None


class SessionIdleTimeout:
    """Sign out after a period without requests (``SOMEVAHTI_SESSION_IDLE_MINUTES``, default 8 h;
    communications admins ``SOMEVAHTI_ADMIN_SESSION_IDLE_MINUTES``, default 1 h). The last request's
    time is written to the session at most once a minute, not on every request."""

    KEY = "somevahti_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings
        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            membership = getattr(user, "membership", None)
            admin = user.is_superuser or (
                membership is not None and membership.role == Role.COMMUNICATIONS_ADMIN
            )
            limit = settings.SESSION_IDLE_SECONDS_ADMIN if admin else settings.SESSION_IDLE_SECONDS
            last = request.session.get(self.KEY)
            if isinstance(last, int) and now - last > limit:
                logout(request)
                if request.path_info.startswith("/api/"):
                    return JsonResponse({"detail": _("The session has expired; sign in again.")}, status=401)
                return redirect(f"{reverse('login')}?next={request.path_info}")
            if not isinstance(last, int) or now - last >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)


class LimitApiCheckBody:
    """``POST /api/check`` with a body over ``SOMEVAHTI_API_CHECK_MAX_BYTES`` (default 256 KiB) is refused
    with 413 before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/api/check":
            from django.conf import settings

            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.API_CHECK_MAX_BYTES
            if length > limit:
                return JsonResponse(
                    {
                        "detail": _("The post document is %(size)d KiB; the limit is %(limit)d KiB.")
                        % {"size": length // 1024, "limit": limit // 1024}
                    },
                    status=413,
                )
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
