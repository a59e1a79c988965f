"""Publishing pages: the composer with its live check, a draft's review, lists, the calendar, crisis mode.

Views read forms and call :mod:`services`; every decision is :mod:`somevahti.web.core.policy`'s.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from somevahti.web.core import policy
from somevahti.web.core.guards import int_or_none, require
from somevahti.web.publishing import checking, services
from somevahti.web.publishing.forms import (
    LANGUAGE_NAMES,
    AccountPublishingForm,
    ComposerForm,
    CorrectionForm,
    CrisisStartForm,
    MediaForm,
    ReasonForm,
    ScheduleForm,
)
from somevahti.web.publishing.models import AccountPublishing, Draft, LanguageVersion, Publication, State
from somevahti.web.publishing.preview import limits_for, preview
from somevahti.web.publishing.services import Refused
from somevahti.web.registry.models import Account


def _lang() -> str:
    return (get_language() or "fi")[:2]


def visible_drafts(user):
    versions = Prefetch("versions", queryset=LanguageVersion.objects.order_by("position", "id"))
    return policy.drafts_for(user).select_related("author", "unit").prefetch_related(versions, "accounts")


def _draft_or_404(user, pk) -> Draft:
    require(policy.can_view_publishing(user))
    return get_object_or_404(visible_drafts(user), pk=pk)


# -- the live check --------------------------------------------------------------------------------


def _marked(text: str, findings) -> list[tuple[str, object]]:
    """The text cut into (piece, finding or None) so the template marks each finding's words in place."""
    spans = sorted((f.span[0], f.span[1], f) for f in findings if f.span)
    out, pos = [], 0
    for start, end, f in spans:
        if start < pos:
            continue
        out.append((text[pos:start], None))
        out.append((text[start:end], f))
        pos = end
    out.append((text[pos:], None))
    return [(piece, f) for piece, f in out if piece]


def check_context(
    texts: dict[str, str], accounts, *, kind="post", closed_group=False, title=None, media=(), sponsored=False
) -> dict:
    lang = _lang()
    findings = checking.check_texts(texts, accounts, kind=kind, title=title, media=media, sponsored=sponsored)
    rows = []
    for f in findings:
        rows.append({"f": f, "clauses": checking.clause_texts(f.clauses, lang)})
    by_field = {}
    for lang_code, text in texts.items():
        field = f"text.{lang_code}"
        mine = [f for f in findings if f.field == field]
        if text.strip():
            by_field[lang_code] = {
                "name": LANGUAGE_NAMES.get(lang_code, lang_code),
                "field": field,
                "pieces": _marked(text, mine),
            }
    return {
        "findings": rows,
        "marked": list(by_field.values()),
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "previews": preview(texts, accounts),
        "guidance": checking.guidance_for(accounts, kind=kind, closed_group=closed_group, lang=lang),
    }


@require_POST
def check(request):
    """The composer's live check (htmx, on every pause in typing): findings, marks, previews, guidance."""
    require(policy.can_compose(request.user))
    form = ComposerForm(request.POST, user=request.user)
    form.is_valid()  # partial data is fine: check what is there
    data = form.cleaned_data
    texts = {lang: (data.get(f"text_{lang}") or "") for lang in form.languages}
    accounts = list(data.get("accounts") or [])
    draft = None
    if pk := request.POST.get("draft"):
        draft = visible_drafts(request.user).filter(pk=pk).first()
    result = check_context(
        texts,
        accounts,
        closed_group=bool(data.get("closed_group")),
        title=data.get("title"),
        media=list(draft.media.all()) if draft else (),
        sponsored=bool(data.get("sponsored")),
    )
    # the findings panel, and the one-line status beside the buttons (out of band: on a phone the panel
    # is a screen below the text being typed)
    html = render_to_string("publishing/_check.html", {"check": result}, request) + render_to_string(
        "publishing/_check_status.html", {"check": result, "oob": True}, request
    )
    return HttpResponse(html)


# -- composing -------------------------------------------------------------------------------------


def _composer(request, form, draft=None, refusal=None, status=200):
    ctx = {"form": form, "draft": draft, "refusal": refusal, "media_form": MediaForm() if draft else None}
    if draft is not None:
        ctx.update(_draft_extras(request, draft))
    if form.is_bound and form.is_valid():
        data = form.draft_input()
        ctx["check"] = check_context(
            data.texts,
            data.accounts,
            closed_group=data.closed_group,
            media=list(draft.media.all()) if draft else (),
            sponsored=data.sponsored,
        )
    elif draft is not None:
        ctx["check"] = check_context(
            draft.texts(),
            list(draft.accounts.all()),
            kind=draft.kind,
            closed_group=draft.closed_group,
            media=list(draft.media.all()),
            sponsored=draft.sponsored,
        )
    else:
        ctx["check"] = None
    return render(request, "publishing/composer.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def new(request):
    require(policy.can_compose(request.user))
    if request.method == "POST":
        form = ComposerForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                draft = services.create_draft(request.user, form.draft_input())
            except Refused as e:
                return _composer(request, form, refusal=e, status=400)
            if suggestion := int_or_none(request.POST.get("suggestion")):
                from somevahti.web.publishing import newsfeed

                newsfeed.link(suggestion, draft)
            if "submit" in request.POST:
                return _submit_and_redirect(request, draft, form)
            messages.success(request, _("The draft was saved."))
            return redirect("publishing:draft", draft.pk)
        return _composer(request, form, status=400)
    initial = {}
    if suggestion := request.GET.get("suggestion"):
        from somevahti.web.publishing.models import FeedSuggestion

        s = FeedSuggestion.objects.filter(pk=suggestion).first()
        if s is not None:
            initial["text_fi"] = f"{s.title}\n\n{s.link}".strip()
    return _composer(request, ComposerForm(user=request.user, initial=initial))


def _submit_and_redirect(request, draft, form):
    try:
        services.submit(request.user, draft, form.cleaned_data.get("justification", ""))
    except Refused as e:
        draft.refresh_from_db()
        return _composer(request, form, draft=draft, refusal=e, status=400)
    draft.refresh_from_db()
    messages.success(
        request,
        _("Sent for approval.")
        if draft.state == State.IN_REVIEW
        else _("Approved: no approval is needed for these accounts."),
    )
    return redirect("publishing:draft", draft.pk)


def _draft_extras(request, draft) -> dict:
    user = request.user
    return {
        "transitions": draft.transitions.select_related("by").order_by("at", "id"),
        "publications": draft.publications.select_related("account").exclude(
            status=Publication.Status.CANCELLED
        ),
        "corrections": draft.corrections.select_related("by"),
        "can_edit": policy.can_edit_draft(user, draft),
        "can_approve": policy.can_approve(user, draft),
        "approval_refusal": policy.approval_refusal(user, draft) if draft.state == State.IN_REVIEW else None,
        "can_schedule": policy.can_schedule(user, draft),
        "can_cancel": policy.can_cancel_draft(user, draft),
        "can_retry": policy.can_retry(user, draft),
        "can_cross_post": policy.can_cross_post(user, draft),
        "can_correct": policy.can_correct(user, draft),
        "schedule_form": ScheduleForm(
            initial={"scheduled_at": timezone.localtime(draft.scheduled_at) if draft.scheduled_at else None}
        ),
        "reason_form": ReasonForm(),
        "correction_form": CorrectionForm(draft=draft) if policy.can_correct(user, draft) else None,
        "approvers": services.approver_users(draft) if draft.state == State.IN_REVIEW else [],
        "cross_posts": draft.cross_posts.all(),
    }


@require_http_methods(["GET", "POST"])
def draft_view(request, pk):
    draft = _draft_or_404(request.user, pk)
    if request.method == "POST":
        require(policy.can_edit_draft(request.user, draft))
        form = ComposerForm(request.POST, user=request.user)
        if not form.is_valid():
            return _composer(request, form, draft=draft, status=400)
        try:
            draft = services.update_draft(request.user, draft, form.draft_input())
        except Refused as e:
            return _composer(request, form, draft=draft, refusal=e, status=400)
        if "submit" in request.POST:
            return _submit_and_redirect(request, draft, form)
        messages.success(request, _("The draft was saved."))
        return redirect("publishing:draft", draft.pk)
    form = ComposerForm(user=request.user, initial=ComposerForm.initial_for(draft))
    return _composer(request, form, draft=draft)


def _step(request, pk, do, done: str):
    draft = _draft_or_404(request.user, pk)
    try:
        do(draft)
    except Refused as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect("publishing:draft", draft.pk)


@require_POST
def approve(request, pk):
    draft = _draft_or_404(request.user, pk)
    require(
        policy.can_compose(request.user)
        and (policy.can_approve(request.user, draft) or draft.state != State.IN_REVIEW)
    )
    return _step(
        request,
        pk,
        lambda d: services.approve(request.user, d, request.POST.get("reason", "")),
        _("Approved."),
    )


@require_POST
def request_changes(request, pk):
    draft = _draft_or_404(request.user, pk)
    require(
        policy.can_compose(request.user)
        and (policy.can_approve(request.user, draft) or draft.state != State.IN_REVIEW)
    )
    return _step(
        request,
        pk,
        lambda d: services.request_changes(request.user, d, request.POST.get("reason", "")),
        _("Sent back to the author."),
    )


def _when_from(form: ScheduleForm, draft):
    d = form.cleaned_data
    if d.get("date") and draft.scheduled_at:
        local = timezone.localtime(draft.scheduled_at)
        return timezone.make_aware(datetime.combine(d["date"], local.time()))
    if d.get("date"):
        return timezone.make_aware(datetime.combine(d["date"], time(9, 0)))
    return None if d.get("now") else d.get("scheduled_at")


@require_POST
def schedule(request, pk):
    draft = _draft_or_404(request.user, pk)
    require(policy.can_edit_draft(request.user, draft) or policy.can_schedule(request.user, draft))
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The time could not be read."))
        return redirect("publishing:draft", draft.pk)
    when = _when_from(form, draft)
    if when is None and not form.cleaned_data.get("now"):
        messages.error(request, _("Choose a publication time."))
        return redirect("publishing:draft", draft.pk)
    if request.htmx:
        try:
            services.schedule(request.user, draft, when)
        except Refused as e:
            return HttpResponse(e.message, status=409)
        return HttpResponse(status=204)
    return _step(
        request,
        pk,
        lambda d: services.schedule(request.user, d, when),
        _("Scheduled.") if when else _("Sent to be published now."),
    )


@require_POST
def cancel(request, pk):
    draft = _draft_or_404(request.user, pk)
    require(policy.can_edit_draft(request.user, draft) or draft.state in (State.PUBLISHED, State.CANCELLED))
    return _step(
        request,
        pk,
        lambda d: services.cancel(request.user, d, request.POST.get("reason", "")),
        _("Cancelled."),
    )


@require_POST
def retry(request, pk):
    draft = _draft_or_404(request.user, pk)
    require(policy.can_retry(request.user, draft))
    return _step(request, pk, lambda d: services.retry(request.user, d), _("Sent to be published again."))


@require_POST
def cross_post(request, pk):
    draft = _draft_or_404(request.user, pk)
    require(policy.can_cross_post(request.user, draft))
    try:
        copy = services.cross_post(request.user, draft)
    except Refused as e:
        messages.error(request, e.message)
        return redirect("publishing:draft", draft.pk)
    messages.success(request, _("A copy is in the main account's queue, linked to this post."))
    return redirect("publishing:draft", copy.pk)


@require_POST
def correct(request, pk):
    from somevahti.web.publishing import corrections

    draft = _draft_or_404(request.user, pk)
    require(policy.can_correct(request.user, draft))
    form = CorrectionForm(request.POST, draft=draft)
    if not form.is_valid():
        messages.error(request, _("Write the corrected text and a correction note."))
        return redirect("publishing:draft", draft.pk)
    return _step(
        request,
        pk,
        lambda d: corrections.correct(request.user, d, form.texts(), form.cleaned_data["note"]),
        _("Corrected."),
    )


@require_POST
def media_add(request, pk):
    from somevahti.web.publishing import media

    draft = _draft_or_404(request.user, pk)
    require(policy.can_edit_draft(request.user, draft))
    form = MediaForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("publishing:draft", draft.pk)
    try:
        media.add(request.user, draft, form)
    except Refused as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The file was added."))
    return redirect("publishing:draft", draft.pk)


# -- lists ------------------------------------------------------------------------------------------

LIST_FILTERS = ("mine", "review", "returned", "all")


def drafts(request):
    require(policy.can_view_publishing(request.user))
    show = request.GET.get("show", "mine")
    qs = visible_drafts(request.user)
    if show == "review":
        qs = [d for d in qs.filter(state=State.IN_REVIEW) if policy.can_approve(request.user, d)]
    elif show == "returned":
        qs = qs.filter(author=request.user, state=State.CHANGES_REQUESTED)
    elif show == "all":
        qs = qs.filter(state__in=(State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED))
    else:
        show = "mine"
        qs = qs.filter(author=request.user).exclude(state__in=(State.PUBLISHED, State.CANCELLED))
    return render(
        request,
        "publishing/drafts.html",
        {
            "drafts": list(qs[:200]) if not isinstance(qs, list) else qs,
            "show": show,
            "can_compose": policy.can_compose(request.user),
        },
    )


def queue(request):
    require(policy.can_view_publishing(request.user))
    qs = (
        visible_drafts(request.user)
        .filter(state__in=(State.SCHEDULED, State.PUBLISHING, State.APPROVED))
        .order_by("scheduled_at", "id")
    )
    today = request.GET.get("today") == "1"
    if today:  # what the dashboard's "goes out today" card counts
        from somevahti.web.publishing.cards import today_range

        lo, hi = today_range()
        qs = qs.filter(
            state__in=(State.SCHEDULED, State.PUBLISHING), scheduled_at__gte=lo, scheduled_at__lt=hi
        )
    return render(
        request,
        "publishing/queue.html",
        {"drafts": qs[:500], "today": today},
    )


def failed(request):
    require(policy.can_view_failed(request.user))
    qs = visible_drafts(request.user).filter(state=State.FAILED).prefetch_related("publications__account")
    rows = []
    for d in qs:
        for p in d.publications.all():
            if p.status == Publication.Status.FAILED:
                rows.append((d, p, _advice(p)))
    return render(request, "publishing/failed.html", {"rows": rows})


def _advice(p) -> str:
    from somevahti.web.publishing import dispatch

    return dispatch.advice(p.error_kind)


# -- crisis mode -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def crisis(request):
    require(policy.can_manage_crisis(request.user))
    current = services.crisis_now()
    form = CrisisStartForm(request.POST or None, initial={"account": services.crisis_account()})
    if request.method == "POST":
        try:
            if current is None:
                if not form.is_valid():
                    raise Refused(_("Give the reason for crisis mode."))
                services.start_crisis(request.user, form.cleaned_data["reason"], form.cleaned_data["account"])
                messages.success(request, _("Crisis mode is on: scheduled posts are paused."))
            else:
                decisions = {d.pk: request.POST.get(f"decision_{d.pk}", "") for d in services.paused_drafts()}
                services.end_crisis(request.user, decisions)
                messages.success(request, _("Crisis mode is off."))
        except Refused as e:
            messages.error(request, e.message)
        return redirect("publishing:crisis")
    from somevahti.web.publishing.models import CrisisMode

    return render(
        request,
        "publishing/crisis.html",
        {
            "current": current,
            "form": form,
            "paused": services.paused_drafts().prefetch_related("versions", "accounts"),
            "history": CrisisMode.objects.select_related("started_by", "ended_by", "account")[:20],
        },
    )


# -- accounts: approval, crisis/main flags ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def account_settings(request, pk):
    """An account's publishing: who approves, crisis/main flags, and its connection (comms admins)."""
    from somevahti.web.inbox.models import Connection
    from somevahti.web.publishing import approval, connections, oauth

    account = get_object_or_404(Account.objects.select_related("unit"), pk=pk)
    require(policy.can_manage_connections(request.user))
    settings_row = AccountPublishing.objects.filter(account=account).first() or AccountPublishing(
        account=account
    )
    conn = Connection.objects.filter(account=account).first()
    available = connections.publishing_connectors()
    chosen = (
        request.POST.get("connector")
        or request.GET.get("connector")
        or (conn.connector if conn else (account.platform if account.platform in available else "file"))
    )
    if chosen not in available:
        chosen = available[0] if available else ""
    form = AccountPublishingForm(
        request.POST if "save_settings" in request.POST else None, instance=settings_row
    )
    if request.method == "POST":
        try:
            if "save_settings" in request.POST:
                if not form.is_valid():
                    raise Refused(_("Check the settings."))
                form.save()
                messages.success(request, _("Saved."))
            elif "connect" in request.POST:
                values = {
                    f.name: request.POST.get(f"cred_{f.name}", "") for f in connections.fields_of(chosen)
                }
                conn = connections.connect(request.user, account, chosen, values)
                messages.success(request, _("The connection was saved."))
            elif "test" in request.POST and conn is not None:
                who = connections.test(conn)
                messages.success(request, _("The connection works: it publishes as %(who)s.") % {"who": who})
        except Refused as e:
            messages.error(request, e.message)
        return redirect("publishing:account", account.pk)
    fields = [
        {
            "name": f.name,
            "label": _(f.label),
            "secret": f.secret,
            "required": f.required,
            "value": "" if f.secret else (conn.credential_value(f.name) if conn else ""),
            "stored": bool(conn and f.secret and conn.secrets_sealed),
        }
        for f in (connections.fields_of(chosen) if chosen else ())
    ]
    return render(
        request,
        "publishing/account.html",
        {
            "account": account,
            "form": form,
            "rule": approval.rule_for(account),
            "limits": limits_for(account.platform),
            "conn": conn,
            "connectors": available,
            "chosen": chosen,
            "fields": fields,
            "signin": oauth.signin_for(request, account, conn),
        },
    )


# -- the news feed (KIRK-6.1) ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def feed(request):
    from somevahti.web.publishing import newsfeed
    from somevahti.web.publishing.models import FeedSuggestion

    require(policy.can_compose(request.user))
    if request.method == "POST":
        if dismiss := int_or_none(request.POST.get("dismiss")):
            FeedSuggestion.objects.filter(pk=dismiss).update(dismissed=True)
        else:
            try:
                n = newsfeed.refresh()
            except newsfeed.FeedError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("%(n)d new items from the news feed.") % {"n": n})
        return redirect("publishing:feed")
    return render(
        request,
        "publishing/feed.html",
        {
            "address": newsfeed.address(),
            "suggestions": FeedSuggestion.objects.filter(dismissed=False, draft=None)[:100],
        },
    )
