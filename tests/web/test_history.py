"""The registry's history of one object: what changed, field by field, in the reader's language."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from somevahti.web.core.models import Role


def test_the_history_of_an_account_shows_each_changed_field_with_its_old_and_new_value(org, login):
    account = org.account_a
    account.handle = "visitkirkkonummi_uusi"
    account.save()
    client = login(org.users[Role.AUDITOR])
    client.cookies["django_language"] = "fi"
    page = client.get(reverse("registry:history") + f"?id={account.pk}", HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 200
    body = page.content.decode()
    with translation.override("fi"):
        label = str(account._meta.get_field("handle").verbose_name)
    assert f"{label}: visitkirkkonummi → visitkirkkonummi_uusi" in body
