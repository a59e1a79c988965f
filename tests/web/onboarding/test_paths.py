"""An onboarding path per role, from the pack in force: experts read the guide (or the chapters),
a unit editor their unit's accounts, grants and open findings, authors the rules most often broken.
Steps marked done are kept per person; a person sees only their own progress, communications admins
everyone's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from somevahti.policy import load_pack
from somevahti.web.archive import access
from somevahti.web.audits.models import Finding
from somevahti.web.core.models import Role
from somevahti.web.onboarding import paths
from somevahti.web.onboarding.models import StepDone

pytestmark = pytest.mark.django_db


def test_experts_follow_the_guide_clauses_else_the_chapters(org):
    kela = load_pack("kela")
    path = paths.path_for(org.users[Role.IT_SECURITY], kela, "sv")
    assert path.kind == "guide"
    assert path.keys() == ["guide:KELA-G.1", "guide:KELA-G.2", "guide:KELA-G.3", "guide:KELA-G.4"]
    assert "sju konkreta steg" in path.steps[0].clauses[0][1], "the clause text in the reader's language"
    ranua = load_pack("ranua")
    path = paths.path_for(org.users[Role.AUDITOR], ranua, "fi")
    assert path.kind == "chapters" and path.keys() == [f"chapter:{c.id}" for c in ranua.document.chapters]
    generic = load_pack("generic")
    path = paths.path_for(org.users[Role.COMMUNICATIONS_ADMIN], generic, "fi")
    assert path.kind == "clauses" and path.keys() and all(k.startswith("clause:") for k in path.keys())


def test_a_unit_editor_walks_their_own_units_accounts_grants_and_findings(org):
    Finding.objects.create(
        rule="privacy-notice",
        key="x",
        clauses=["KIRK-5.6"],
        account=org.account_a,
        unit=org.unit_a,
        message="{account} has no privacy notice.",
        params={"account": str(org.account_a)},
    )
    path = paths.path_for(org.users[Role.UNIT_EDITOR], load_pack("kirkkonummi"), "en")
    assert path.kind == "unit" and path.keys() == [f"account:{org.account_a.pk}"], "unit A only, not unit B"
    step = path.steps[0]
    assert any("Ville Virtanen" in item for item in step.items), "the grants on the account"
    assert any("privacy notice" in item for item in step.items), "the open findings on it"
    assert f"/registry/accounts/{org.account_a.pk}/" in [url for _label, url in step.links]


def test_authors_learn_the_rules_most_often_broken_else_the_error_rules(org):
    pack = load_pack("kirkkonummi")
    counts = {
        "kirk-bilingual-facebook": 9,
        "kirk-hashtags": 4,
        "kirk-website-link": 4,
        "no-such-rule": 50,
        "kirk-alt-text": 2,
        "kirk-signature": 1,
        "kirk-captions": 1,
    }
    path = paths.path_for(org.users[Role.AUTHOR], pack, "sv", counts)
    assert path.keys() == [
        "rule:kirk-bilingual-facebook",
        "rule:kirk-hashtags",
        "rule:kirk-website-link",
        "rule:kirk-alt-text",
        "rule:kirk-captions",
    ], "top 5 by count, ties by id"
    step = path.steps[0]
    assert step.example_post and step.example_message and step.clauses, "message, clause and example"
    assert "9" in step.text[0]
    fallback = paths.path_for(org.users[Role.SUPERVISOR], pack, "fi", {})
    errors = {r.id for r in pack.rules if r.enabled and r.severity == "error"}
    assert 0 < len(fallback.steps) <= 5 and {k.split(":", 1)[1] for k in fallback.keys()} <= errors


def test_the_statistics_come_from_the_organisations_published_posts(org, pack_in_force, monkeypatch):
    from somevahti.web.onboarding.rulestats import rule_counts

    pack = pack_in_force("kirkkonummi")
    monkeypatch.setenv("SOMEVAHTI_ORG", f"onboarding-{org.unit_a.pk}")
    archive = access.archive()
    if not archive.keys.has_key(access.org()):
        archive.init(access.org())
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    for n in range(3):  # Finnish only on a shared Facebook account: the bilingual rule
        archive.append(
            "post",
            {
                "event": "published",
                "texts": {"fi": f"Kirjasto on auki lauantaina {n}."},
                "channel": "facebook",
            },
            org=access.org(),
            account="facebook:visitkirkkonummi",
            subject=f"onb-{n}",
            occurred=f"{day}T09:00:00Z",
        )
    counts = rule_counts(pack)
    assert counts.get("kirk-bilingual-facebook") == 3
    path = paths.path_for(org.users[Role.AUTHOR], pack, "fi")
    assert "rule:kirk-bilingual-facebook" in path.keys()


def test_steps_marked_done_are_kept_per_person(org, login, pack_in_force):
    pack_in_force("kela")
    client = login(org.users[Role.IT_SECURITY])
    page = client.get("/onboarding/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "0 of 4 steps done" in page.content.decode()
    response = client.post("/onboarding/steps/", {"key": "guide:KELA-G.2"})
    assert response.status_code == 302
    assert list(StepDone.objects.values_list("user__username", "step_key")) == [
        ("it_security", "guide:KELA-G.2")
    ]
    html = client.get("/onboarding/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        'data-step="guide:KELA-G.2" data-done="1"' in html
        and 'data-step="guide:KELA-G.1" data-done="0"' in html
    )
    assert "1 of 4 steps done" in html
    assert client.post("/onboarding/steps/", {"key": "guide:KELA-G.9"}).status_code == 302
    assert StepDone.objects.count() == 1, "a key not on the path is refused"
    client.post("/onboarding/steps/", {"key": "guide:KELA-G.2", "done": "0"})
    assert StepDone.objects.count() == 0, "a step can be marked not done again"
    other = login(org.users[Role.AUDITOR])
    assert 'data-done="1"' not in other.get("/onboarding/").content.decode(), "progress is per person"


def test_a_person_sees_only_their_own_progress_and_communications_everyones(org, login, pack_in_force):
    pack_in_force("kela")
    author, admin = org.users[Role.AUTHOR], org.users[Role.COMMUNICATIONS_ADMIN]
    StepDone.objects.create(user=author, step_key="rule:kela-personal-data")
    client = login(author)
    assert client.get(f"/onboarding/progress/{author.pk}/").status_code == 200
    assert client.get(f"/onboarding/progress/{admin.pk}/").status_code == 403
    assert client.get("/onboarding/progress/").status_code == 403
    for role in (Role.UNIT_EDITOR, Role.SUPERVISOR, Role.IT_SECURITY, Role.AUDITOR):
        assert login(org.users[role]).get("/onboarding/progress/").status_code == 403
    client = login(admin)
    html = client.get("/onboarding/progress/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert all(f"/onboarding/progress/{u.pk}/" in html for u in org.users.values())
    assert client.get(f"/onboarding/progress/{author.pk}/").status_code == 200
    assert client.post("/onboarding/steps/", {"key": "rule:kela-personal-data"}).status_code == 302
    assert StepDone.objects.filter(user=admin).count() == 0, "an admin marks only their own path"


def test_the_start_page_shows_the_unfinished_onboarding(org, login, pack_in_force):
    pack_in_force("kela")
    user = org.users[Role.IT_SECURITY]
    client = login(user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert (
        'data-card="onboarding.my-path" data-count="4"' in html
        and "Perehdytyksesi: 0/4 vaihetta tehty" in html
    )
    for n in range(1, 5):
        StepDone.objects.create(user=user, step_key=f"guide:KELA-G.{n}")
    assert 'data-card="onboarding.my-path"' not in client.get("/").content.decode(), "finished: no card"


def test_the_pages_are_in_the_readers_language(org, login, pack_in_force):
    pack_in_force("kirkkonummi")
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    fi = client.get("/onboarding/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    sv = client.get("/onboarding/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Perehdytyksesi" in fi and "Merkitse tehdyksi" in fi and "Tee testi" in fi
    assert "Din introduktion" in sv and "Markera som klart" in sv and "Gör testet" in sv
    assert (
        "Allas introduktion"
        in client.get("/onboarding/progress/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    )


@pytest.mark.parametrize("name", ["kirkkonummi", "kela", "ranua", "foretaget", "generic"])
def test_every_role_has_a_path_with_steps_on_every_seed_pack(org, login, pack_in_force, name):
    pack_in_force(name)
    for role, user in org.users.items():
        client = login(user)
        page = client.get("/onboarding/")
        assert page.status_code == 200, (name, role)
        assert page.context["path"].steps, (name, role)
        assert client.get("/onboarding/quiz/").status_code == 200, (name, role)


@pytest.mark.parametrize("name", ["kela", "ranua", "generic", "kirkkonummi"])
def test_the_start_pages_keys_are_the_paths_keys_for_every_role(org, name):
    """The start page's card counts path_keys() (no steps built); the path page shows path_for()."""
    pack = load_pack(name)
    counts = {"kirk-hashtags": 3, "kirk-alt-text": 1}
    for role in Role.values:
        user = org.users[role]
        for c in (counts, {}):
            assert paths.path_keys(user, pack, c) == paths.path_for(user, pack, "fi", c).keys(), (name, role)
    org.users[Role.UNIT_EDITOR].membership.unit = None  # no unit: the expert path
    assert (
        paths.path_keys(org.users[Role.UNIT_EDITOR], pack)
        == paths.path_for(org.users[Role.UNIT_EDITOR], pack, "fi").keys()
    )
