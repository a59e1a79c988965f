"""Onboarding pages: my path (steps marked done), the quiz, and everyone's progress for
communications admins. Every decision asks core/policy.py; state changes are in services.py."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.onboarding import quiz, services
from somevahti.web.onboarding.models import PendingGrant, QuizAttempt
from somevahti.web.onboarding.paths import path_for
from somevahti.web.policy import documents


def _lang() -> str:
    return documents.reader_language(get_language())


def _path_with_progress(user, pack):
    path = path_for(user, pack, _lang())
    done = services.done_keys(user)
    for step in path.steps:
        step.done = step.key in done
    return path, sum(1 for s in path.steps if s.done)


def _quiz_state(user, pack) -> dict:
    person = getattr(getattr(user, "membership", None), "person", None)
    last = QuizAttempt.objects.filter(user=user, pack=pack.id).first()
    return {
        "quiz_required": pack.onboarding.quiz_required,
        "quiz_questions": quiz.question_count(pack),
        "passed": services.has_passed(user, pack),
        "pass_mark": round(100 * pack.onboarding.pass_mark),
        "last_attempt": last,
        "last_score": round(100 * last.score) if last else None,
        "waiting": services.waiting_for(person),
    }


def _page(request, who, own: bool):
    pack = documents.current_pack()
    path, done = _path_with_progress(who, pack)
    return render(
        request,
        "onboarding/path.html",
        {
            "who": who,
            "own": own,
            "path": path,
            "done": done,
            "total": len(path.steps),
            "left": len(path.steps) - done,
            "pack": pack,
            "role": who.membership.get_role_display() if hasattr(who, "membership") else "",
            "can_view_all": policy.can_view_all_onboarding(request.user),
            **_quiz_state(who, pack),
        },
    )


@require_GET
def my_path(request):
    require(policy.can_follow_onboarding(request.user))
    return _page(request, request.user, own=True)


@require_GET
def person(request, user_id: int):
    who = get_object_or_404(get_user_model().objects.select_related("membership"), pk=user_id)
    require(policy.can_view_onboarding_of(request.user, who))
    return _page(request, who, own=who.pk == request.user.pk)


@require_POST
def step_done(request):
    require(policy.can_follow_onboarding(request.user))
    path = path_for(request.user, documents.current_pack(), _lang())
    key = request.POST.get("key", "")
    if not services.mark_step(request.user, key, path.keys(), done=request.POST.get("done", "1") == "1"):
        messages.error(request, _("That step is not on your onboarding path."))
    return redirect(reverse("onboarding:path") + (f"#{key}" if key else ""))


def _answers(request, n: int) -> list[str | None]:
    return [request.POST.get(f"q{i}") or None for i in range(n)]


@require_http_methods(["GET", "POST"])
def take_quiz(request):
    require(policy.can_follow_onboarding(request.user))
    pack = documents.current_pack()
    lang = _lang()
    if request.method == "POST":
        try:
            seed = int(request.POST.get("seed", ""))
        except ValueError:
            seed = None
        if seed is not None:
            questions = quiz.generate(pack, seed, lang)
            if questions and ",".join(q.rule_id for q in questions) == request.POST.get("rules", ""):
                attempt = services.submit_quiz(request.user, pack, seed, _answers(request, len(questions)))
                return _result(request, pack, attempt, questions)
        messages.info(request, _("The policy changed while you answered: here is a new quiz."))
    seed = secrets.randbelow(2**31)
    questions = quiz.generate(pack, seed, lang)
    return render(
        request,
        "onboarding/quiz.html",
        {
            "questions": questions,
            "seed": seed,
            "rules": ",".join(q.rule_id for q in questions),
            "pack": pack,
            "pass_mark": round(100 * pack.onboarding.pass_mark),
            **_quiz_state(request.user, pack),
        },
    )


def _result(request, pack, attempt, questions):
    right = sum(1 for q, a in zip(questions, attempt.answers, strict=False) if q.rule_id == a)
    if attempt.passed:
        messages.success(request, _("You passed the quiz."))
        if n := len(attempt.released):
            messages.success(
                request,
                ngettext(
                    "%(n)d access that waited for the quiz is now granted.",
                    "%(n)d accesses that waited for the quiz are now granted.",
                    n,
                )
                % {"n": n},
            )
    rows = [
        {
            "q": q,
            "answer": a,
            "right": q.rule_id == a,
            "answer_label": next((o.label for o in q.options if o.rule_id == a), ""),
            "right_label": next(o.label for o in q.options if o.rule_id == q.rule_id),
        }
        for q, a in zip(questions, attempt.answers + [None] * len(questions), strict=False)
    ]
    return render(
        request,
        "onboarding/result.html",
        {
            "attempt": attempt,
            "rows": rows,
            "right": right,
            "total": len(questions),
            "pack": pack,
            "score": round(100 * attempt.score),
            "pass_mark": round(100 * pack.onboarding.pass_mark),
        },
    )


@require_GET
def progress(request):
    require(policy.can_view_all_onboarding(request.user))
    from somevahti.web.onboarding.rulestats import rule_counts

    pack = documents.current_pack()
    lang, counts = _lang(), rule_counts(pack)
    users = (
        get_user_model()
        .objects.filter(membership__isnull=False, is_active=True)
        .select_related("membership", "membership__person", "membership__unit")
        .order_by("username")
    )
    passed = set(QuizAttempt.objects.filter(pack=pack.id, passed=True).values_list("user_id", flat=True))
    waiting: dict[int, int] = {}
    for pid in PendingGrant.objects.filter(granted_at__isnull=True).values_list("person_id", flat=True):
        waiting[pid] = waiting.get(pid, 0) + 1
    rows = []
    for u in users:
        keys = set(path_for(u, pack, lang, counts).keys())
        done = len(services.done_keys(u) & keys)
        rows.append(
            {
                "user": u,
                "name": u.get_full_name() or u.username,
                "role": u.membership.get_role_display(),
                "done": done,
                "total": len(keys),
                "passed": u.pk in passed,
                "waiting": waiting.get(u.membership.person_id, 0),
            }
        )
    pending = PendingGrant.objects.filter(granted_at__isnull=True).select_related(
        "person", "account", "requested_by"
    )
    return render(
        request,
        "onboarding/progress.html",
        {"rows": rows, "pending": pending, "pack": pack, "quiz_required": pack.onboarding.quiz_required},
    )
