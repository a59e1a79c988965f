"""The one way a scheduled draft goes out: through the publish engine (``somevahti.publishing``).

Wired to the engine once its public API is in this branch; until then a scheduled post waits.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def due_soon(draft_id: int, when) -> None:
    """A draft was scheduled (or resumed) for ``when``: hand it to the engine's queue."""


def advice(error_kind: str) -> str:
    """What to do about a failed publication, in plain words."""
    return {
        "retry_later": _("The platform asked us to wait; somevahti tries again by itself."),
        "reauthorize": _("The connection to the platform is no longer valid: reconnect the account."),
        "fix_content": _("The platform refused the content: edit the post and send it again."),
        "platform_down": _("The platform cannot be reached or is failing; somevahti tries again later."),
        "unknown_outcome": _("The platform did not answer; somevahti checks whether the post went out before it "
                             "tries again."),
    }.get(error_kind, _("Publishing failed: try again, or edit the post."))


def correct(draft, texts: dict[str, str], note: str) -> str:
    """Correct a published draft on every account: ``edited`` where each platform edits in place,
    else ``reply`` (a correction reply under the post). Goes through the engine."""
    raise NotImplementedError("the publish engine is not wired yet")
