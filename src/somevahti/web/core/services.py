"""Users and their roles, changed only here (views call these): each change is saved with its
history record (simple-history: who, when, what), the user's and the membership's."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from somevahti.web.core.models import Membership


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    role: str,
    person=None,
    unit=None,
    language: str = "",
):
    user = get_user_model().objects.create_user(
        username, email, password, first_name=first_name, last_name=last_name
    )
    Membership.objects.create(user=user, role=role, person=person, unit=unit, language=language)
    return user


@transaction.atomic
def update_user(
    user,
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    person=None,
    unit=None,
    is_active: bool = True,
) -> None:
    user.email, user.first_name, user.last_name, user.is_active = email, first_name, last_name, is_active
    user.save()
    membership = getattr(user, "membership", None) or Membership(user=user)
    membership.role, membership.person, membership.unit = role, person, unit
    membership.save()


def set_active(user, active: bool) -> None:
    """Deactivate (sign-in refused, sessions end at their next request) or reactivate a user."""
    user.is_active = active
    user.save(update_fields=["is_active"])


def set_language(user, language: str) -> None:
    membership = getattr(user, "membership", None)
    if membership is not None and membership.language != language:
        membership.language = language
        membership.save(update_fields=["language"])
