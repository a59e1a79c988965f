"""Shared set-up for the publishing tests: the org fixture's unit A account needs its unit editor's
approval."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from somevahti.web.publishing import services
from somevahti.web.publishing.models import AccountPublishing, Approval

CLEAN_FI = "Pääkirjasto on avoinna lauantaina 6.12. kello 10–16. Tervetuloa!"
CLEAN_SV = "Huvudbiblioteket är öppet lördagen 6.12 kl. 10–16. Välkommen!"


def needs_unit_editor(account):
    AccountPublishing.objects.update_or_create(account=account, defaults={"approval": Approval.UNIT_EDITOR})


def draft_for(org, *, texts=None, when=None, account=None, author=None):
    account = account or org.account_a
    data = services.DraftInput(
        texts=texts or {"fi": CLEAN_FI, "sv": CLEAN_SV}, accounts=[account], scheduled_at=when
    )
    return services.create_draft(author or org.users["author"], data)


def later(hours=2):
    return timezone.now() + timedelta(hours=hours)
