"""When the pack requires the quiz, the registry's grant waits for its person to pass it; passing
grants it through the registry (the history records who asked for it). Without the requirement, or
for a person who passed, the grant is made at once."""

from __future__ import annotations

import pytest

from somevahti.web.core.models import Role
from somevahti.web.onboarding import quiz
from somevahti.web.onboarding.models import PendingGrant, QuizAttempt
from somevahti.web.registry.models import AccessGrant

pytestmark = pytest.mark.django_db


def _grant(client, account, person, role="editor"):
    return client.post(
        f"/registry/accounts/{account.pk}/grants/",
        {"person": person.pk, "role": role, "granted": "2026-01-05"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def _answer(client, right: bool):
    page = client.get("/onboarding/quiz/")
    seed, rules = page.context["seed"], page.context["rules"]
    questions = page.context["questions"]
    data = {"seed": seed, "rules": rules}
    for i, q in enumerate(questions):
        wrong = next(o.rule_id for o in q.options if o.rule_id != q.rule_id)
        data[f"q{i}"] = q.rule_id if right or i == 0 else wrong
    return client.post("/onboarding/quiz/", data, HTTP_ACCEPT_LANGUAGE="en"), questions


def test_the_grant_waits_for_the_quiz_and_passing_grants_it(org, login, pack_in_force):
    pack_in_force("kirkkonummi")
    author = org.people[Role.AUTHOR]
    admin = login(org.users[Role.COMMUNICATIONS_ADMIN])
    page = _grant(admin, org.account_b, author)
    assert "once they have passed the onboarding quiz" in page.content.decode()
    assert not AccessGrant.objects.filter(person=author, account=org.account_b).exists()
    pending = PendingGrant.objects.get(person=author, account=org.account_b)
    assert (pending.role, pending.requested_by, pending.granted_at) == (
        "editor",
        org.users[Role.COMMUNICATIONS_ADMIN],
        None,
    )
    assert (
        "Waiting for the onboarding quiz"
        in admin.get(f"/registry/accounts/{org.account_b.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    _grant(admin, org.account_b, author)
    assert PendingGrant.objects.count() == 1, "asking twice keeps one waiting grant"

    client = login(org.users[Role.AUTHOR])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-card="onboarding.my-grants"' in html
    failed, _q = _answer(client, right=False)
    assert failed.context["attempt"].passed is False
    assert not AccessGrant.objects.filter(person=author, account=org.account_b).exists(), (
        "failing grants nothing"
    )
    passed, questions = _answer(client, right=True)
    attempt = passed.context["attempt"]
    assert attempt.passed and attempt.score == 1.0 and attempt.rule_ids == [q.rule_id for q in questions]
    assert "1 access that waited for the quiz is now granted." in passed.content.decode()
    grant = AccessGrant.objects.get(person=author, account=org.account_b, revoked__isnull=True)
    assert (grant.role, grant.granted_by) == ("editor", org.users[Role.COMMUNICATIONS_ADMIN])
    assert grant.history.first().history_user == org.users[Role.COMMUNICATIONS_ADMIN], (
        "the history says who asked"
    )
    pending.refresh_from_db()
    assert pending.granted_at is not None and pending.grant == grant

    other = org.people[Role.SUPERVISOR]
    QuizAttempt.objects.create(
        user=org.users[Role.SUPERVISOR],
        pack="kirkkonummi",
        pack_version="x",
        seed=1,
        rule_ids=["a"],
        answers=["a"],
        score=1,
        passed=True,
    )
    admin = login(org.users[Role.COMMUNICATIONS_ADMIN])  # the test client is one browser: sign in again
    _grant(admin, org.account_b, other)
    assert AccessGrant.objects.filter(person=other, account=org.account_b).exists(), (
        "passed already: granted at once"
    )


def test_without_the_requirement_the_grant_is_made_at_once(org, login, pack_in_force):
    pack_in_force("kela")  # quiz_required false
    admin = login(org.users[Role.COMMUNICATIONS_ADMIN])
    assert "Access granted." in _grant(admin, org.account_b, org.people[Role.AUTHOR]).content.decode()
    assert AccessGrant.objects.filter(person=org.people[Role.AUTHOR], account=org.account_b).exists()
    assert not PendingGrant.objects.exists()


def test_the_attempt_is_stored_and_remade_from_its_seed(org, login, pack_in_force):
    pack = pack_in_force("ranua")
    client = login(org.users[Role.AUTHOR])
    response, questions = _answer(client, right=False)
    attempt = QuizAttempt.objects.get(user=org.users[Role.AUTHOR])
    assert (attempt.pack, attempt.pack_version) == ("ranua", pack.version)
    assert attempt.rule_ids == [q.rule_id for q in quiz.generate(pack, attempt.seed, "fi")]
    assert attempt.score == pytest.approx(1 / len(questions)) and not attempt.passed
    assert attempt.answers[0] == attempt.rule_ids[0] and attempt.answers[1] != attempt.rule_ids[1]


def test_a_tampered_quiz_is_not_scored(org, login, pack_in_force):
    pack_in_force("ranua")
    client = login(org.users[Role.AUTHOR])
    page = client.post(
        "/onboarding/quiz/",
        {"seed": "5", "rules": "ranua-positive", "q0": "ranua-positive"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200 and "here is a new quiz" in page.content.decode()
    assert not QuizAttempt.objects.exists()


def test_the_quiz_page_asks_in_the_readers_language(org, login, pack_in_force):
    pack_in_force("foretaget")
    client = login(org.users[Role.AUTHOR])
    html = client.get("/onboarding/quiz/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Vilken regel i riktlinjerna bryter varje exempelinlägg mot?" in html
    assert html.count('type="radio"') == 4 * 5 and "csrfmiddlewaretoken" in html


def test_a_person_without_a_sign_in_waits_too_and_the_message_says_why(org, login, pack_in_force):
    pack_in_force("kirkkonummi")
    admin = login(org.users[Role.COMMUNICATIONS_ADMIN])
    html = _grant(admin, org.account_a, org.other).content.decode()
    assert "They have no sign-in yet" in html
    assert PendingGrant.objects.filter(person=org.other, account=org.account_a).exists()
    assert not AccessGrant.objects.filter(person=org.other, account=org.account_a).exists()
    progress = admin.get("/onboarding/progress/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="result-count" data-count="1"' in progress and org.other.name in progress
