"""Media of a draft: the file is checked against every target platform's limit before it is kept."""

from __future__ import annotations

from django.utils.translation import gettext as _

from somevahti.web.core import policy
from somevahti.web.publishing.preview import limits_for
from somevahti.web.publishing.services import Refused


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def add(user, draft, form):
    """Save the media item of a valid MediaForm; an image over a target platform's limit is refused."""
    if not policy.can_edit_draft(user, draft):
        raise Refused(_("This draft cannot be edited now."))
    upload = form.cleaned_data["file"]
    size = upload.size or 0
    if form.cleaned_data["type"] == "image":
        for account in draft.accounts.all():
            _max_text, _counting, max_bytes = limits_for(account.platform)
            if size > max_bytes:
                raise Refused(
                    _(
                        "The image is %(size)s; %(account)s takes at most %(limit)s. Make it smaller and "
                        "add it again."
                    )
                    % {"size": _mb(size), "account": account, "limit": _mb(max_bytes)}
                )
    item = form.save(commit=False)
    item.draft = draft
    item.size = size
    item.alt = form.alt_texts()
    item.position = draft.media.count()
    item.save()
    return item
