"""Onboarding state changes: steps marked done, a quiz answered, and registry grants that wait for a
person to pass the quiz the pack requires (and are granted, through the registry's service, when they do)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from somevahti.policy.schema import Pack
from somevahti.web.onboarding import quiz
from somevahti.web.onboarding.models import PendingGrant, QuizAttempt, StepDone
from somevahti.web.registry import services as registry


def done_keys(user) -> set[str]:
    return set(StepDone.objects.filter(user=user).values_list("step_key", flat=True))


def mark_step(user, key: str, valid_keys: list[str], done: bool = True) -> bool:
    """Mark one step of the user's own path done (or not done again). False for a key not on the path."""
    if key not in valid_keys:
        return False
    if done:
        StepDone.objects.get_or_create(user=user, step_key=key)
    else:
        StepDone.objects.filter(user=user, step_key=key).delete()
    return True


def has_passed(user, pack: Pack) -> bool:
    return user is not None and QuizAttempt.objects.filter(user=user, pack=pack.id, passed=True).exists()


def quiz_gates_grants(pack: Pack) -> bool:
    """The pack requires the quiz, and has the examples to make one."""
    return pack.onboarding.quiz_required and quiz.question_count(pack) > 0


def _user_of(person):
    membership = getattr(person, "membership", None)
    return membership.user if membership is not None else None


def grant_or_wait(grant, pack: Pack, by):
    """The registry's grant: granted at once, or kept waiting (a PendingGrant) while the pack requires
    the quiz and the person's user has not passed it. Returns what was saved."""
    if not quiz_gates_grants(pack) or has_passed(_user_of(grant.person), pack):
        return registry.add_grant(grant, by=by)
    pending, _created = PendingGrant.objects.get_or_create(
        person=grant.person,
        account=grant.account,
        granted_at=None,
        defaults={"role": grant.role, "requested_by": by},
    )
    return pending


@transaction.atomic
def submit_quiz(user, pack: Pack, seed: int, answers: list[str | None]) -> QuizAttempt:
    """Score the quiz of this seed; passing it grants what waited for the user's person."""
    rule_ids = [q.rule_id for q in quiz.generate(pack, seed, "fi")]
    value = quiz.score(rule_ids, answers)
    attempt = QuizAttempt.objects.create(
        user=user,
        pack=pack.id,
        pack_version=pack.version,
        seed=seed,
        rule_ids=rule_ids,
        answers=list(answers)[: len(rule_ids)],
        score=value,
        passed=bool(rule_ids) and quiz.passes(pack, value),
    )
    attempt.released = release_grants(user) if attempt.passed else []
    return attempt


def release_grants(user) -> list[PendingGrant]:
    """Grant, through the registry, every grant waiting for the user's person."""
    from somevahti.web.registry.models import AccessGrant

    person = getattr(getattr(user, "membership", None), "person", None)
    if person is None or person.has_left():
        return []
    released = []
    for pending in PendingGrant.objects.select_for_update().filter(person=person, granted_at__isnull=True):
        grant = AccessGrant.objects.filter(
            person=person, account=pending.account, revoked__isnull=True
        ).first()
        if grant is None:
            grant = registry.add_grant(
                AccessGrant(
                    person=person,
                    account=pending.account,
                    role=pending.role,
                    granted_by=pending.requested_by,
                    granted=timezone.localdate(),
                ),
                by=pending.requested_by,
                reason=_("Onboarding quiz passed"),
            )
        pending.granted_at, pending.grant = timezone.now(), grant
        pending.save()
        released.append(pending)
    return released


def waiting_for(person) -> list[PendingGrant]:
    if person is None:
        return []
    return list(PendingGrant.objects.filter(person=person, granted_at__isnull=True).select_related("account"))
