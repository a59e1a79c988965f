"""Every transition of a draft and its edge cases, through the service functions the pages and the
API call."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from somevahti.web.core.models import Role
from somevahti.web.publishing import services
from somevahti.web.publishing.models import AccountPublishing, Approval, CrisisMode, Draft, State, Transition
from somevahti.web.publishing.services import DraftInput, Refused
from tests.web.publishing.helpers import CLEAN_FI, CLEAN_SV, draft_for, later, needs_unit_editor


@pytest.fixture(autouse=True)
def _english():
    """These tests read the refusal texts in English (the default language is Finnish)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def pub(org):
    needs_unit_editor(org.account_a)
    return org


def states(draft):
    return [t.to_state for t in Transition.objects.filter(draft=draft).order_by("at", "id")]


def test_the_whole_path_records_every_step(pub, django_capture_on_commit_callbacks):
    draft = draft_for(pub, when=later())
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(pub.users["author"], draft)
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW
    assert [m.to for m in mail.outbox] == [["unit_editor@kirkkonummi.fi"]]  # the unit's editor is told
    services.approve(pub.users["unit_editor"], draft.pk)
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED and draft.approved_by == pub.users["unit_editor"]
    assert states(draft) == ["draft", "in_review", "approved", "scheduled"]
    t = Transition.objects.filter(draft=draft, to_state="approved").get()
    assert t.by == pub.users["unit_editor"] and t.at is not None
    assert draft.publications.get().account == pub.account_a


def test_nobody_approves_their_own_post(pub):
    draft = draft_for(pub, author=pub.users["unit_editor"])
    services.submit(pub.users["unit_editor"], draft)
    with pytest.raises(Refused, match="own post"):
        services.approve(pub.users["unit_editor"], draft.pk)
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW


def test_an_author_cannot_approve_and_an_other_units_editor_neither(pub):
    draft = draft_for(pub)
    services.submit(pub.users["author"], draft)
    with pytest.raises(Refused):
        services.approve(pub.users["supervisor"], draft.pk)
    pub.users["unit_editor"].membership.unit = pub.unit_b
    pub.users["unit_editor"].membership.save()
    with pytest.raises(Refused, match="may not approve"):
        services.approve(
            Draft.objects.get(pk=draft.pk).author.__class__.objects.get(username="unit_editor"), draft.pk
        )


def test_a_reviewer_who_lost_their_role_is_refused_with_a_clear_message(pub):
    draft = draft_for(pub)
    services.submit(pub.users["author"], draft)
    editor = pub.users["unit_editor"]
    editor.membership.role = Role.AUTHOR  # demoted between opening the page and pressing approve
    editor.membership.save()
    with pytest.raises(Refused) as e:
        services.approve(editor, draft.pk)
    assert "approve" in e.value.message
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW
    assert Draft.objects.get(pk=draft.pk).texts() == {"fi": CLEAN_FI, "sv": CLEAN_SV}


def test_communications_approves_where_the_pack_says_communications(pub):
    AccountPublishing.objects.filter(account=pub.account_a).update(approval=Approval.COMMUNICATIONS)
    draft = draft_for(pub)
    services.submit(pub.users["author"], draft)
    with pytest.raises(Refused):
        services.approve(pub.users["unit_editor"], draft.pk)
    services.approve(pub.users["communications_admin"], draft.pk)
    assert Draft.objects.get(pk=draft.pk).state == State.APPROVED


def test_no_approval_needed_goes_straight_to_scheduled(org):
    draft = draft_for(org, when=later())  # generic pack, no override: no approval
    services.submit(org.users["author"], draft)
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED and draft.approved_by is None
    assert "approval" in Transition.objects.filter(draft=draft, to_state="approved").get().reason.lower()


def test_a_post_to_an_unconnected_account_fails_and_says_what_to_do(org, django_capture_on_commit_callbacks):
    draft = draft_for(org)  # the fixture's accounts have no connection
    services.submit(org.users["author"], draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(org.users["communications_admin"], draft, None)
    draft.refresh_from_db()
    assert draft.state == State.FAILED  # in the failed list, not stuck as scheduled
    (p,) = draft.publications.all()
    assert p.error_kind == "reauthorize" and "connect it first" in p.error
    assert "connect it first" in Transition.objects.filter(draft=draft, to_state=State.FAILED).get().reason


def test_edit_after_approval_goes_back_to_review(pub):
    draft = draft_for(pub, when=later())
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    data = DraftInput(
        texts={"fi": CLEAN_FI + " Lisätietoja kirjastosta.", "sv": CLEAN_SV},
        accounts=[pub.account_a],
        scheduled_at=later(),
    )
    services.update_draft(pub.users["author"], Draft.objects.get(pk=draft.pk), data)
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW and draft.approved_by is None and draft.version == 2
    assert not draft.publications.filter(status="waiting").exists()  # nothing goes out unapproved
    services.approve(pub.users["unit_editor"], draft.pk)
    assert Draft.objects.get(pk=draft.pk).approved_version == 2


def test_saving_without_changes_keeps_the_approval(pub):
    draft = draft_for(pub, when=later())
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    draft.refresh_from_db()
    data = DraftInput(
        texts={"fi": CLEAN_FI, "sv": CLEAN_SV}, accounts=[pub.account_a], scheduled_at=draft.scheduled_at
    )
    services.update_draft(pub.users["author"], draft, data)
    assert Draft.objects.get(pk=draft.pk).state == State.SCHEDULED


def test_approved_after_its_time_waits_to_be_rescheduled(pub):
    draft = draft_for(pub, when=later(hours=1))
    services.submit(pub.users["author"], draft)
    Draft.objects.filter(pk=draft.pk).update(scheduled_at=timezone.now() - timedelta(minutes=5))
    services.approve(pub.users["unit_editor"], draft.pk)
    draft.refresh_from_db()
    assert draft.state == State.APPROVED  # not sent late on its own
    assert "new time" in Transition.objects.filter(draft=draft).last().reason
    services.schedule(pub.users["author"], draft, later())
    assert Draft.objects.get(pk=draft.pk).state == State.SCHEDULED


def test_a_schedule_in_the_past_is_refused_and_nothing_is_lost(pub):
    with pytest.raises(Refused, match="past"):
        draft_for(pub, when=timezone.now() - timedelta(hours=1))
    draft = draft_for(pub)
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    with pytest.raises(Refused, match="past"):
        services.schedule(pub.users["author"], draft, timezone.now() - timedelta(minutes=1))
    draft.refresh_from_db()
    assert draft.state == State.APPROVED and draft.texts()["fi"] == CLEAN_FI


def test_a_100000_character_text_is_refused_with_its_length(pub):
    draft = draft_for(pub)
    data = DraftInput(texts={"fi": "a" * 100_000}, accounts=[pub.account_a])
    with pytest.raises(Refused) as e:
        services.update_draft(pub.users["author"], draft, data)
    assert "100000" in e.value.message and e.value.field == "text.fi"
    assert Draft.objects.get(pk=draft.pk).texts()["fi"] == CLEAN_FI


def test_an_account_outside_the_authors_reach_is_refused(pub):
    with pytest.raises(Refused, match="KirkkonummiLib"):
        draft_for(pub, account=pub.account_b)


def test_errors_block_sending_and_warnings_need_a_justification(pub):
    draft = draft_for(pub, texts={"fi": "Soita Matti Meikäläiselle numeroon 040 123 4567."})
    with pytest.raises(Refused) as e:
        services.submit(pub.users["author"], draft)
    assert e.value.findings and all(f.severity == "error" for f in e.value.findings)
    assert Draft.objects.get(pk=draft.pk).state == State.DRAFT


def test_a_warning_is_overridden_with_a_recorded_justification(pub):
    draft = draft_for(pub, texts={"fi": "Lue lisää: https://bit.ly/abc"})  # a shortened link: a warning
    findings = services.check_draft(draft)
    assert not services.blocking(findings) and services.warnings_of(findings)
    with pytest.raises(Refused) as e:
        services.submit(pub.users["author"], draft)
    assert e.value.field == "justification"
    services.submit(pub.users["author"], draft, "Ruotsinkielinen versio julkaistaan erikseen.")
    t = Transition.objects.filter(draft=draft, to_state="in_review").get()
    assert t.justification == "Ruotsinkielinen versio julkaistaan erikseen." and t.overridden


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_wins_cleanly(org):
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database cannot be shared by threads; make test runs this on "
            "PostgreSQL, and the next test covers the late second approver on SQLite"
        )
    needs_unit_editor(org.account_a)
    AccountPublishing.objects.filter(account=org.account_a).update(approval=Approval.UNIT_EDITOR)
    from somevahti.web.core.models import Membership

    Membership.objects.filter(user=org.users["communications_admin"]).update(
        role=Role.UNIT_EDITOR, unit=org.unit_a
    )
    draft = draft_for(org, when=later())
    services.submit(org.users["author"], draft)
    approvers = [org.users["unit_editor"], org.users["communications_admin"]]
    for u in approvers:
        u.refresh_from_db()
    barrier, results = threading.Barrier(2), {}

    def approve(user):
        from django.db import connections
        from django.utils import translation

        barrier.wait()
        try:
            with translation.override("en"):  # a thread starts in the default language (Finnish)
                services.approve(user, draft.pk)
            results[user.username] = "approved"
        except Refused as e:
            results[user.username] = e.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in approvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()).count("approved") == 1, results
    loser = next(v for v in results.values() if v != "approved")
    assert "approved this post already" in loser
    assert Transition.objects.filter(draft=draft, to_state="approved").count() == 1


def test_a_second_approver_after_the_first_gets_a_clear_message(pub):
    from somevahti.web.core.models import Membership

    Membership.objects.filter(user=pub.users["communications_admin"]).update(
        role=Role.UNIT_EDITOR, unit=pub.unit_a
    )
    second = pub.users["communications_admin"].__class__.objects.get(username="communications_admin")
    draft = draft_for(pub, when=later())
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    with pytest.raises(Refused, match="approved this post already"):
        services.approve(second, draft.pk)
    assert Transition.objects.filter(draft=draft, to_state="approved").count() == 1


def test_request_changes_needs_a_reason_and_returns_to_the_author(pub):
    draft = draft_for(pub)
    services.submit(pub.users["author"], draft)
    with pytest.raises(Refused):
        services.request_changes(pub.users["unit_editor"], draft.pk, "")
    services.request_changes(pub.users["unit_editor"], draft.pk, "Lisää linkki.")
    draft.refresh_from_db()
    assert draft.state == State.CHANGES_REQUESTED
    services.submit(pub.users["author"], draft)
    assert Draft.objects.get(pk=draft.pk).state == State.IN_REVIEW


def test_crisis_mode_pauses_and_asks_about_each_post(pub):
    a = draft_for(pub, when=later(3))
    b = draft_for(pub, when=later(4))
    for d in (a, b):
        services.submit(pub.users["author"], d)
        services.approve(pub.users["unit_editor"], d.pk)
    admin = pub.users["communications_admin"]
    with pytest.raises(Refused):
        services.start_crisis(pub.users["unit_editor"], "Myrsky")
    services.start_crisis(admin, "Myrsky katkaisi sähköt")
    assert set(services.paused_drafts().values_list("pk", flat=True)) == {a.pk, b.pk}
    crisis_post = draft_for(pub, author=admin, when=later(1))
    crisis_post.crisis = True
    crisis_post.save()
    services.submit(admin, crisis_post)
    services.approve(pub.users["unit_editor"], crisis_post.pk) if False else None
    # the crisis post's shortest path: one communications admin (not its author)
    assert services.approval.approver_roles(crisis_post) == {"communications_admin"}
    services.end_crisis(admin, {a.pk: "resume", b.pk: "cancel"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, a.paused) == (State.SCHEDULED, False) and b.state == State.CANCELLED
    assert CrisisMode.objects.get().ended is not None
    assert "crisis" in Transition.objects.filter(draft=b).last().reason.lower()


def test_a_post_scheduled_during_a_crisis_is_paused_unless_it_is_a_crisis_post(pub):
    services.start_crisis(pub.users["communications_admin"], "Vesikatko")
    draft = draft_for(pub, when=later())
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    assert Draft.objects.get(pk=draft.pk).paused


def test_cross_post_puts_a_linked_copy_in_the_main_accounts_queue(pub):
    AccountPublishing.objects.create(account=pub.account_b, main_account=True)
    draft = draft_for(pub, when=later())
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    copy = services.cross_post(pub.users["communications_admin"], Draft.objects.get(pk=draft.pk))
    assert copy.original_id == draft.pk and list(copy.accounts.all()) == [pub.account_b]
    assert copy.texts() == {"fi": CLEAN_FI, "sv": CLEAN_SV} and copy.state == State.DRAFT
    with pytest.raises(Refused, match="already"):
        services.cross_post(pub.users["communications_admin"], Draft.objects.get(pk=draft.pk))
