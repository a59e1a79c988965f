"""Users and roles, managed in the app by communications admins; one's own password and language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from somevahti.web.core import policy, services
from somevahti.web.core.forms import LanguageForm, UserForm


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_GET
def user_list(request):
    _require(policy.can_manage_users(request.user))
    users = (
        get_user_model()
        .objects.select_related("membership", "membership__person", "membership__unit")
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    return render(request, "core/users.html", {"users": users})


def _save(request, form, user=None):
    d = form.cleaned_data
    fields = {
        "email": d["email"],
        "first_name": d["first_name"],
        "last_name": d["last_name"],
        "role": d["role"],
        "person": d["person"],
        "unit": d["unit"] if d["role"] == "unit_editor" else None,
    }
    if user is None:
        user = services.create_user(username=d["username"], password=d["password"], **fields)
        messages.success(request, _("User %(name)s created.") % {"name": user.username})
    else:
        services.update_user(user, is_active=d["is_active"], **fields)
        messages.success(request, _("User %(name)s saved.") % {"name": user.username})
    return redirect("users")


@require_http_methods(["GET", "POST"])
def user_new(request):
    _require(policy.can_manage_users(request.user))
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    return render(request, "core/user_form.html", {"form": form, "title": _("New user")})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    _require(policy.can_manage_users(request.user))
    user = get_object_or_404(get_user_model().objects.select_related("membership"), pk=pk)
    m = getattr(user, "membership", None)
    initial = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "role": m.role if m else "",
        "person": m.person_id if m else None,
        "unit": m.unit_id if m else None,
    }
    form = UserForm(request.POST or None, instance=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if user.pk == request.user.pk and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("You cannot deactivate yourself."))
        else:
            return _save(request, form, user)
    history = user.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "core/user_form.html",
        {"form": form, "title": user.get_full_name() or user.username, "edited": user, "history": history},
    )


@require_POST
def user_active(request, pk):
    _require(policy.can_manage_users(request.user))
    user = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "1"
    if user.pk == request.user.pk and not active:
        messages.error(request, _("You cannot deactivate yourself."))
    else:
        services.set_active(user, active)
        messages.success(
            request,
            (_("User %(name)s reactivated.") if active else _("User %(name)s deactivated."))
            % {"name": user.username},
        )
    return redirect("users")


@require_http_methods(["GET", "POST"])
def account(request):
    """Everyone's own page: the interface language and the password."""
    user = request.user
    _require(policy.can_change_own_account(user))
    membership = getattr(user, "membership", None)
    language_form = LanguageForm(
        request.POST if request.POST.get("form") == "language" else None,
        initial={"language": membership.language if membership else ""},
    )
    password_form = PasswordChangeForm(user, request.POST if request.POST.get("form") == "password" else None)
    if request.method == "POST" and request.POST.get("form") == "language" and language_form.is_valid():
        lang = language_form.cleaned_data["language"]
        services.set_language(user, lang)
        response = redirect("account")
        if lang:
            translation.activate(lang)
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
        messages.success(request, _("Language saved."))
        return response
    if request.method == "POST" and request.POST.get("form") == "password" and password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, password_form.user)
        messages.success(request, _("Password changed."))
        return redirect("account")
    return render(
        request,
        "core/account.html",
        {"language_form": language_form, "password_form": password_form, "membership": membership},
    )
