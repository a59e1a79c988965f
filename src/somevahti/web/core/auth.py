"""Sign-in backend: Django's own, with the user's role (Membership) read in the same query on every
request, because every permission decision asks for it, and whether the user has a confirmed
two-step device (the sign-in middleware asks it of every user not yet verified in the session)."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef


@functools.cache
def _device_annotations() -> dict:
    """One EXISTS per installed device model: what ``django_otp.user_has_device(user, confirmed=True)``
    asks, read with the user instead of one more query. Built once (django_otp walks every app's models
    to find the device models; a query copies an expression when it uses it)."""
    from django_otp import device_classes

    return {
        f"_otp_confirmed_{i}": Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
        for i, model in enumerate(device_classes())
    }


def has_confirmed_device(user) -> bool:
    """``user_has_device(user, confirmed=True)``, from the user's own query when it was read there."""
    known = getattr(user, "_otp_confirmed", None)
    if known is None:
        from django_otp import user_has_device

        return user_has_device(user, confirmed=True)
    return known


class Backend(ModelBackend):
    def get_user(self, user_id):
        annotations = _device_annotations()
        users = get_user_model()._default_manager.select_related("membership").annotate(**annotations)
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        user._otp_confirmed = any(getattr(user, name) for name in annotations)
        return user if self.user_can_authenticate(user) else None
