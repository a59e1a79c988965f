"""Through the real publish engine to the file connector (the stand-in for a platform): publish now,
status and URLs back, archived, a failure in plain words, corrections edited in place."""

from __future__ import annotations

import json

import pytest

from somevahti.web.archive.access import archive
from somevahti.web.archive.access import org as org_id
from somevahti.web.publishing import connections, dispatch, services
from somevahti.web.publishing.models import Draft, Publication, State
from tests.web.publishing.helpers import CLEAN_FI, CLEAN_SV, draft_for, later, needs_unit_editor


@pytest.fixture
def wired(org, tmp_path, settings):
    dispatch.reset()
    needs_unit_editor(org.account_a)
    connections.connect(
        org.users["communications_admin"],
        org.account_a,
        "file",
        {"directory": str(tmp_path / "out"), "platform": "mastodon"},
    )
    org.out = tmp_path / "out" / "published.jsonl"
    yield org
    dispatch.reset()


def _approved(org, when=None):
    draft = draft_for(org, when=when)
    services.submit(org.users["author"], draft)
    services.approve(org.users["unit_editor"], draft.pk)
    return Draft.objects.get(pk=draft.pk)


def test_publish_now_goes_through_the_engine_once_and_is_archived(wired, django_capture_on_commit_callbacks):
    draft = _approved(wired)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(wired.users["unit_editor"], draft, None)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED, list(draft.transitions.values_list("to_state", "reason"))
    lines = [json.loads(x) for x in wired.out.read_text().splitlines()]
    texts = [line.get("text", "") for line in lines]
    assert any(CLEAN_FI in t for t in texts) and any(CLEAN_SV in t for t in texts)
    p = draft.publications.get()
    assert p.status == Publication.Status.PUBLISHED and p.external_ids
    found = archive().search(org_id(), "kirjasto") if hasattr(archive(), "search") else None
    records = list(archive().records(org_id(), subject=None)) if found is None else found
    assert records
    wired.account_a.refresh_from_db()
    assert wired.account_a.last_published is not None
    # the worker finds nothing more to send: never twice
    dispatch.run_due()
    assert len(wired.out.read_text().splitlines()) == len(lines)


def test_an_unconnected_account_fails_with_what_to_do(org, django_capture_on_commit_callbacks):
    dispatch.reset()
    needs_unit_editor(org.account_a)
    draft = _approved(org)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(org.users["unit_editor"], draft, None)
    p = Draft.objects.get(pk=draft.pk).publications.get()
    assert p.status == Publication.Status.FAILED and p.error_kind == "reauthorize"
    assert "yhdistä" in p.error and "yhdistä" in dispatch.advice(p.error_kind)  # Finnish, the default
    assert Draft.objects.get(pk=draft.pk).texts() == {"fi": CLEAN_FI, "sv": CLEAN_SV}


def test_a_scheduled_post_waits_in_the_engine_and_a_move_requeues_it(
    wired, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = _approved(wired, when=later(5))
    p = draft.publications.get()
    assert p.engine_id and dispatch.engine().status(p.engine_id).status == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(wired.users["unit_editor"], draft, later(6))
    assert dispatch.engine().status(p.engine_id).status == "cancelled"
    new = Draft.objects.get(pk=draft.pk).publications.exclude(status="cancelled").get()
    assert new.key != p.key or new.engine_id != p.engine_id
    assert not wired.out.exists()  # nothing went out


def test_correction_edits_in_place_with_a_visible_note(wired, django_capture_on_commit_callbacks):
    from somevahti.web.publishing import corrections

    draft = _approved(wired)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(wired.users["unit_editor"], draft, None)
    draft.refresh_from_db()
    fixed = CLEAN_FI.replace("10–16", "10–15")
    c = corrections.correct(wired.users["unit_editor"], draft, {"fi": fixed}, "Aukioloaika korjattu.")
    assert c.mode == "edited" and c.previous["fi"] == CLEAN_FI
    out = wired.out.read_text()
    assert "Aukioloaika korjattu." in out and "10–15" in out
    assert Draft.objects.get(pk=draft.pk).texts()["fi"] == fixed


@pytest.fixture
def on_platform(org, tmp_path):
    """An account of unit A on a platform that cannot edit a published post, on the file channel."""

    def make(platform):
        dispatch.reset()
        account = org._account(platform, "kirkkonummi", org.unit_a, org.people["unit_editor"])
        needs_unit_editor(account)
        connections.connect(
            org.users["communications_admin"],
            account,
            "file",
            {"directory": str(tmp_path / platform), "platform": platform},
        )
        return account, tmp_path / platform / "published.jsonl"

    yield make
    dispatch.reset()


def _published_on(org, account, django_capture_on_commit_callbacks):
    draft = draft_for(org, account=account)
    services.submit(org.users["author"], draft)
    services.approve(org.users["unit_editor"], draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(org.users["unit_editor"], Draft.objects.get(pk=draft.pk), None)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    return draft


def test_where_a_post_cannot_be_edited_the_correction_is_a_reply_in_the_posts_language(
    org, on_platform, django_capture_on_commit_callbacks, client
):
    from django.utils import translation

    from somevahti.web.publishing import corrections

    account, out = on_platform("x")
    draft = _published_on(org, account, django_capture_on_commit_callbacks)
    thread = [json.loads(x) for x in out.read_text().splitlines()]
    with translation.override("en"):  # the corrector reads English; the post is Finnish
        c = corrections.correct(
            org.users["unit_editor"],
            draft,
            {"fi": CLEAN_FI.replace("10–16", "10–15")},
            "Aukioloaika on 10–15.",
        )
    assert c.mode == "reply"
    sent = [json.loads(x) for x in out.read_text().splitlines()][len(thread) :]
    assert len(sent) == 1 and sent[0]["text"] == "Korjaus: Aukioloaika on 10–15."
    assert sent[0]["reply_to"] == thread[-1]["id"] and sent[0]["root"] == thread[0]["id"]
    assert Draft.objects.get(pk=draft.pk).texts()["fi"] == CLEAN_FI  # the post itself still says what it said
    replies = list(archive().records(org_id(), kinds=["reply"]))
    assert replies and replies[-1].payload["published_text"] == "Korjaus: Aukioloaika on 10–15."
    # a second correction is a second reply, not the first one again
    corrections.correct(org.users["unit_editor"], draft, {}, "Lisäksi: sisäänkäynti on pihan puolella.")
    assert len(out.read_text().splitlines()) == len(thread) + 2


def test_a_platform_that_can_neither_edit_nor_reply_refuses_the_correction_and_changes_nothing(
    org, on_platform, django_capture_on_commit_callbacks, tmp_path
):
    from somevahti.web.publishing import corrections
    from somevahti.web.publishing.models import Correction

    account, out = on_platform("instagram")
    draft = draft_for(org, account=account)
    before = out.read_text() if out.exists() else ""
    draft.state = State.PUBLISHED
    draft.save()
    Publication.objects.create(
        draft=draft, account=account, key="k", engine_id="nope", status=Publication.Status.PUBLISHED
    )
    with pytest.raises(services.Refused) as refused:
        corrections.correct(org.users["unit_editor"], draft, {"fi": CLEAN_FI + " Korjattu."}, "Korjattu.")
    assert "poista" in str(refused.value)
    assert not Correction.objects.exists() and Draft.objects.get(pk=draft.pk).texts()["fi"] == CLEAN_FI
    assert (out.read_text() if out.exists() else "") == before
