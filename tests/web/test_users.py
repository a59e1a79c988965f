"""Users and roles managed in the app, one's own language and password, error pages with navigation."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from somevahti.web.core.models import Membership


def test_a_communications_admin_creates_changes_and_deactivates_a_user(org, login):
    admin = login(org.users["communications_admin"])
    response = admin.post(
        reverse("user-new"),
        {
            "username": "uusi",
            "first_name": "Uuno",
            "last_name": "Uusi",
            "email": "uuno.uusi@kirkkonummi.fi",
            "role": "unit_editor",
            "person": org.other.pk,
            "unit": org.unit_b.pk,
            "password": "Porkkala-Majakka-77",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="uusi")
    assert (user.membership.role, user.membership.unit, user.membership.person) == (
        "unit_editor",
        org.unit_b,
        org.other,
    )
    # a unit editor needs a unit; a person is linked to one user only
    bad = admin.post(
        reverse("user-new"),
        {
            "username": "toinen",
            "first_name": "T",
            "last_name": "T",
            "email": "t@kirkkonummi.fi",
            "role": "unit_editor",
            "person": org.other.pk,
            "password": "Porkkala-Majakka-77",
        },
    )
    assert bad.status_code == 200 and not get_user_model().objects.filter(username="toinen").exists()
    admin.post(reverse("user-active", args=[user.pk]), {"active": "0"})
    user.refresh_from_db()
    assert not user.is_active
    history = list(
        user.history.order_by("history_date").values_list("history_type", "is_active", "history_user")
    )
    assert (
        history[0][0] == "+"
        and history[-1][1] is False
        and history[-1][2] == org.users["communications_admin"].pk
    )
    assert login(org.users["unit_editor"]).get(reverse("users")).status_code == 403


def test_everyone_sets_their_own_language_and_it_follows_them(org, login):
    client = login(org.users["author"])
    client.post(reverse("account"), {"form": "language", "language": "sv"})
    assert Membership.objects.get(user=org.users["author"]).language == "sv"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fi")
    assert '<html lang="sv">' in page.content.decode() and "Dagens arbete" in page.content.decode()
    # the header's language switcher saves the choice too
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert Membership.objects.get(user=org.users["author"]).language == "fi"


def test_everyone_changes_their_own_password(org, login):
    user = org.users["auditor"]
    user.set_password("vanha-salasana-1")
    user.save()
    client = login(user)
    client.post(
        reverse("account"),
        {
            "form": "password",
            "old_password": "vanha-salasana-1",
            "new_password1": "Uusi-Salasana-2026",
            "new_password2": "Uusi-Salasana-2026",
        },
    )
    user.refresh_from_db()
    assert user.check_password("Uusi-Salasana-2026")


def test_error_pages_speak_the_readers_language_and_keep_the_navigation(org, login):
    client = login(org.users["author"])
    denied = client.get(reverse("registry:history"), HTTP_ACCEPT_LANGUAGE="sv")
    assert denied.status_code == 403
    text = denied.content.decode()
    assert "Ingen åtkomst" in text and 'id="site-nav"' in text and "403 Forbidden" not in text
    missing = client.get("/registry/accounts/999999/", HTTP_ACCEPT_LANGUAGE="fi")
    assert missing.status_code == 404 and "Sivua ei löydy" in missing.content.decode()
    assert 'id="site-nav"' in missing.content.decode()
