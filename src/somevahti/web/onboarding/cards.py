"""Start-page cards: your onboarding while it is unfinished, grants waiting for your quiz, and for
communications admins the grants waiting for anyone's quiz."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import ngettext

from somevahti.web.core import dashboard, policy
from somevahti.web.onboarding.models import PendingGrant


def onboarding_cards(user) -> list[dashboard.Card]:
    if not policy.can_follow_onboarding(user):
        return []
    from somevahti.web.onboarding import services
    from somevahti.web.onboarding.paths import path_keys
    from somevahti.web.policy import documents

    pack = documents.current_pack()
    if pack is None:
        return []
    cards = []
    keys = path_keys(user, pack)  # the path page's steps, without building them
    total = len(keys)
    done = len(services.done_keys(user) & set(keys))
    if total and done < total:
        cards.append(
            dashboard.Card(
                "onboarding.my-path",
                ngettext(
                    "Your onboarding: %(done)d of %(total)d step done",
                    "Your onboarding: %(done)d of %(total)d steps done",
                    done,
                )
                % {"done": done, "total": total},
                total - done,
                reverse("onboarding:path"),
                dashboard.INFO,
                order=90,
            )
        )
    # the user's own waiting grants (services.waiting_for) and, for admins, everyone's: one query
    person_id = getattr(getattr(user, "membership", None), "person_id", None)
    wanted = {"mine": Q(person_id=person_id)} if person_id is not None else {}
    if policy.can_view_all_onboarding(user):
        wanted["all"] = Q()
    counted = dashboard.counts(PendingGrant.objects.filter(granted_at__isnull=True), **wanted)
    waiting = counted.get("mine", 0)
    if waiting:
        cards.append(
            dashboard.Card(
                "onboarding.my-grants",
                ngettext(
                    "%(n)d access waits for you to pass the quiz",
                    "%(n)d accesses wait for you to pass the quiz",
                    waiting,
                )
                % {"n": waiting},
                waiting,
                reverse("onboarding:quiz"),
                dashboard.WARNING,
                order=40,
            )
        )
    if "all" in counted:
        n = counted["all"]
        if n:
            cards.append(
                dashboard.Card(
                    "onboarding.waiting-grants",
                    ngettext(
                        "%(n)d access grant waits for its person's quiz",
                        "%(n)d access grants wait for their people's quiz",
                        n,
                    )
                    % {"n": n},
                    n,
                    reverse("onboarding:progress"),
                    dashboard.INFO,
                    order=95,
                )
            )
    return cards
