"""Sign-in backend: Django's own, with the user's role (Membership) read in the same query on every
request, because every permission decision asks for it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class Backend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("membership")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
