"""Corrections of published posts (SF-6): edited in place where the platform allows, otherwise a
correction reply; a visible correction note; both versions go to the archive (through the engine)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from somevahti.web.core import policy
from somevahti.web.publishing import dispatch
from somevahti.web.publishing.checking import check_texts
from somevahti.web.publishing.models import Correction, Transition
from somevahti.web.publishing.services import Refused, _locked, blocking


def correct(user, draft, texts: dict[str, str], note: str) -> Correction:
    note = " ".join((note or "").split())
    if not note:
        raise Refused(_("Write a correction note: readers must see what was corrected."), field="note")
    with transaction.atomic():
        draft = _locked(draft)
        if not policy.can_correct(user, draft):
            raise Refused(_("Only a published post can be corrected."))
        if errors := blocking(check_texts(texts, list(draft.accounts.all()), kind=draft.kind)):
            raise Refused(
                _("Fix the errors first: %(n)d error-level findings block sending.") % {"n": len(errors)},
                findings=errors,
            )
        previous = draft.texts()
        mode = dispatch.correct(draft, texts, note, user)
        correction = Correction.objects.create(
            draft=draft, texts=texts, previous=previous, note=note, mode=mode, by=user
        )
        for v in (
            draft.versions.all() if mode == Correction.Mode.EDITED else ()
        ):  # a reply leaves the post as it was
            if v.language in texts and texts[v.language] != v.text:
                v.text = texts[v.language]
                v.save()
        Transition.objects.create(
            draft=draft,
            from_state=draft.state,
            to_state=draft.state,
            by=user,
            reason=_("Corrected: %(note)s") % {"note": note},
            version=draft.version,
        )
    return correction
