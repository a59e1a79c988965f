"""Error pages in the reader's language, with the navigation (the 500 page too, when the page
itself can still be drawn; otherwise a plain page in the same language)."""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _


def server_error(request, *args, **kwargs):
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail in its turn
        return HttpResponseServerError(
            f"<!doctype html><title>500</title><h1>{_('Something went wrong')}</h1>", content_type="text/html"
        )
