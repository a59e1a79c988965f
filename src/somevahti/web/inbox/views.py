"""Inbox pages: queues, an item with its composer and moderation, file import, incidents, reports.

Every view asks :mod:`somevahti.web.core.policy`; incidents the user may not see answer 404, so
their existence is not revealed.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from somevahti.channels.base import ChannelError
from somevahti.web.archive import access
from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.core.models import Role
from somevahti.web.core.spreadsheet import safe_cell
from somevahti.web.inbox import reports, services
from somevahti.web.inbox.config import config, localised
from somevahti.web.inbox.forms import (
    LANGUAGES,
    AssignForm,
    BulkForm,
    ConnectionForm,
    IncidentForm,
    IncidentUpdateForm,
    ModerateForm,
    PinForm,
    ReplyForm,
)
from somevahti.web.inbox.models import CATEGORY_LABELS, Action, Connection, Incident, Item
from somevahti.web.registry.models import Account, Person

PAGE_SIZE = 50


def visible_items(user):
    items = Item.objects.select_related("account", "account__unit", "assignee")
    q = policy.inbox_filter(user)
    return items if q is None else items.filter(q).distinct()


def visible_incidents(user):
    incidents = Incident.objects.select_related("concerns", "created_by")
    q = policy.incident_filter(user)
    return incidents if q is None else incidents.filter(q).distinct()


def _lang() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in ("fi", "sv", "en") else "fi"


# -- queues ----------------------------------------------------------------------------------------


def _shown(request, user, items, now):
    """The inbox list's filters (category, status, account, queue) applied to ``items``."""
    category = request.GET.get("category", "")
    status = request.GET.get("status", "open")
    account = request.GET.get("account", "")
    queue = request.GET.get("queue", "")
    shown = items
    if category in CATEGORY_LABELS:
        shown = shown.filter(category=category)
    if status in Item.Status.values:
        shown = shown.filter(status=status)
    if account.isdigit():
        shown = shown.filter(account_id=int(account))
    if queue == "overdue":
        shown = services.overdue(shown, now)
    elif queue == "mine":
        pid = getattr(getattr(user, "membership", None), "person_id", None)
        shown = shown.filter(assignee_id=pid) if pid else shown.none()
    # Overdue first, then the nearest answer time, then the newest (items without a clock last).
    shown = shown.annotate(
        late=Case(
            When(status=Item.Status.OPEN, due_at__lt=now, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("late", F("due_at").asc(nulls_last=True), "-received_at", "-id")
    return shown, {"category": category, "status": status, "account": account, "queue": queue}


@require_GET
def inbox(request):
    user = request.user
    require(policy.can_view_inbox(user))
    items = visible_items(user)
    now = timezone.now()
    open_items = items.filter(status=Item.Status.OPEN)
    counts = dict(
        open_items.values_list("category").annotate(n=Count("id", distinct=True)).values_list("category", "n")
    )
    queues = [
        {"category": c, "label": label, "count": counts.get(c, 0)} for c, label in CATEGORY_LABELS.items()
    ]
    shown, params = _shown(request, user, items, now)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.overdue = item.is_overdue(now)
    accounts = Account.objects.filter(pk__in=items.values("account_id")).order_by("platform", "handle")
    partial = getattr(request, "htmx", False) and request.htmx.target == "results"
    return render(
        request,
        "inbox/_items.html" if partial else "inbox/list.html",
        {
            "page": page,
            "queues": queues,
            **params,
            "statuses": Item.Status.choices,
            "accounts": accounts,
            "overdue_count": services.overdue(items, now).count(),
            "query": request.GET.urlencode(),
            "assignees": Person.objects.filter(status="active").order_by("name").only("id", "name"),
            "bulk_actions": BULK_ACTIONS,
        },
    )


BULK_ACTIONS = (("assign", gettext_lazy("Assign to")), ("close", gettext_lazy("Close without action")))


@require_GET
def export_csv(request):
    """The list as it is filtered, as CSV (cells that a spreadsheet would run as formulas are defused)."""
    user = request.user
    require(policy.can_view_inbox(user))
    shown, _params = _shown(request, user, visible_items(user), timezone.now())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inbox.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["id", "received", "account", "category", "status", "assignee", "answer_by", "author", "text", "url"]
    )
    for item in shown[:10000]:
        writer.writerow(
            [
                safe_cell(c)
                for c in (
                    item.pk,
                    timezone.localtime(item.received_at).strftime("%Y-%m-%d %H:%M"),
                    str(item.account),
                    item.category,
                    item.status,
                    item.assignee.name if item.assignee else "",
                    timezone.localtime(item.due_at).strftime("%Y-%m-%d %H:%M") if item.due_at else "",
                    item.author_name or item.author_handle,
                    item.text,
                    item.url,
                )
            ]
        )
    return response


@require_POST
def bulk(request):
    """Assign or close the chosen items; each one is checked against the policy on its own."""
    user = request.user
    require(policy.can_view_inbox(user))
    form = BulkForm(request.POST)
    back = request.POST.get("next", "")
    target = back if back.startswith("?") else ""
    if not form.is_valid():
        messages.error(request, _("Choose the comments and what to do with them."))
        return redirect(reverse("inbox:list") + target)
    chosen = visible_items(user).filter(pk__in=form.cleaned_data["items"])
    action, person = form.cleaned_data["action"], form.cleaned_data["person"]
    done = skipped = 0
    for item in chosen:
        if not policy.can_act_on_item(user, item) or (action == "close" and item.status != Item.Status.OPEN):
            skipped += 1
            continue
        if action == "assign":
            services.assign(item, user, person)
        else:
            services.moderate(item, user, Action.Kind.CLOSED, form.cleaned_data["reason"])
        done += 1
    messages.success(
        request, ngettext("%(n)d comment updated.", "%(n)d comments updated.", done) % {"n": done}
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d comment skipped (no permission or not open).",
                "%(n)d comments skipped (no permission or not open).",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(reverse("inbox:list") + target)


@require_POST
def assign(request, pk):
    item = get_object_or_404(Item.objects.select_related("account", "account__unit"), pk=pk)
    require(policy.can_act_on_item(request.user, item))
    form = AssignForm(request.POST)
    if form.is_valid():
        services.assign(item, request.user, form.cleaned_data["person"])
        messages.success(request, _("Assignment saved."))
    return redirect("inbox:item", pk=item.pk)


# -- one item --------------------------------------------------------------------------------------


def _item_context(request, item, form=None, problems=None, moderate_form=None):
    user = request.user
    lang = _lang()
    cfg = config()
    saved = sorted(cfg.saved_replies(), key=lambda r: item.category not in r.get("categories", []))
    caps, api = services.capabilities(item.account)
    now = timezone.now()
    if form is None:
        initial = {"language": item.language if item.language in dict(LANGUAGES) else lang}
        chosen = cfg.saved_reply(request.GET.get("saved", ""))
        if chosen is not None:
            reply_lang = request.GET.get("lang", initial["language"])
            reply_lang = reply_lang if reply_lang in dict(LANGUAGES) else "fi"
            initial = {"language": reply_lang, "text": services.saved_reply_text(chosen, reply_lang, user)}
        form = ReplyForm(initial=initial)
    text = form.data.get("text", "") if form.is_bound else form.initial.get("text", "")
    return {
        "item": item,
        "actions": item.actions.select_related("actor"),
        "form": form,
        "problems": [(p, p.parts(text)) for p in (problems or [])],
        "blocked": any(p.severity == "error" for p in problems or []),
        "saved": [
            {
                "id": r["id"],
                "title": localised(r.get("title"), lang),
                "fits": item.category in r.get("categories", []),
            }
            for r in saved
        ],
        "reasons": [
            (localised(r.get("message"), lang), _excerpt(item.text, r.get("span"))) for r in item.reasons
        ],
        "caps": caps,
        "api": api,
        "can_act": policy.can_act_on_item(user, item),
        "moderate_form": moderate_form or ModerateForm(),
        "overdue": item.is_overdue(now),
        "elapsed": services.business_hours().elapsed(item.received_at, item.answered_at or now),
        "target": cfg.target_hours(item.category),
        "incidents": [i for i in item.incidents.all() if policy.can_view_incident(user, i)],
        "can_escalate": policy.can_create_incident(user),
        "category_label": CATEGORY_LABELS.get(item.category, item.category),
        "archive_link": access.may(user, "search"),
        "reply_languages": [("fi", "suomeksi"), ("sv", "på svenska"), ("en", "in English")],
        "assign_form": AssignForm(initial={"person": item.assignee_id}),
    }


def _excerpt(text: str, span) -> tuple[str, str, str] | None:
    if not span or len(span) != 2:
        return None
    s, e = int(span[0]), int(span[1])
    if not (0 <= s <= e <= len(text)):
        return None
    return text[max(0, s - 50) : s], text[s:e], text[e : e + 50]


@require_GET
def item_detail(request, pk):
    item = get_object_or_404(
        Item.objects.select_related("account", "account__unit", "assignee", "publisher"), pk=pk
    )
    require(policy.can_view_item(request.user, item))
    return render(request, "inbox/item.html", _item_context(request, item))


@require_POST
def reply(request, pk):
    item = get_object_or_404(Item.objects.select_related("account", "account__unit"), pk=pk)
    require(policy.can_act_on_item(request.user, item))
    form = ReplyForm(request.POST)
    problems = None
    if form.is_valid():
        text, language = form.cleaned_data["text"], form.cleaned_data["language"]
        if "check" in request.POST:
            problems = services.check_reply(item, text, language)
        else:
            try:
                action, problems = services.send_reply(item, request.user, text, language)
            except ChannelError as e:
                messages.error(request, str(e))
                action = None
            if action is not None:
                messages.success(
                    request,
                    _("The answer was recorded as posted by hand; post it on the platform now.")
                    if action.by_hand
                    else _("The answer was published."),
                )
                return redirect("inbox:item", pk=item.pk)
    return render(
        request, "inbox/item.html", _item_context(request, item, form=form, problems=problems or [])
    )


@require_POST
def moderate(request, pk):
    item = get_object_or_404(Item.objects.select_related("account", "account__unit"), pk=pk)
    require(policy.can_act_on_item(request.user, item))
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            services.moderate(item, request.user, form.cleaned_data["kind"], form.cleaned_data["reason"])
        except ChannelError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Recorded in the archive."))
        return redirect("inbox:item", pk=item.pk)
    return render(request, "inbox/item.html", _item_context(request, item, moderate_form=form))


# -- API connections -------------------------------------------------------------------------------

HISTORY_FIELDS = ("connector", "base_url", "token_set_at", "statuses")


def connection_history(limit: int = 50) -> list[dict]:
    """Who added, changed (which fields; a new token as "token") or removed a connection, newest first."""
    rows, last = [], {}
    for rec in Connection.history.select_related("history_user", "account").order_by(
        "history_date", "history_id"
    ):
        before = last.get(rec.id)
        changed = [
            str(Connection._meta.get_field(f).verbose_name)
            for f in HISTORY_FIELDS
            if before is not None and getattr(before, f) != getattr(rec, f)
        ]
        rows.append(
            {
                "at": rec.history_date,
                "by": rec.history_user,
                "account": rec.account,
                "type": rec.history_type,
                "changed": changed,
            }
        )
        last[rec.id] = rec
    return rows[::-1][:limit]


def _save_connection(request, form, connection=None):
    from somevahti.errors import SomevahtiError

    data = form.cleaned_data
    account = connection.account if connection is not None else data["account"]
    try:
        services.connect(
            account,
            data["connector"],
            data["token"] or None,
            base_url=data["base_url"],
            statuses=data["statuses"],
            credentials=data.get("credentials"),
        )
    except SomevahtiError as e:  # e.g. SOMEVAHTI_CHANNEL_KEY is not set: nothing is stored
        form.add_error(None, str(e))
        return None
    messages.success(request, _("Connection saved; the token is stored encrypted."))
    return redirect("inbox:connections")


@require_http_methods(["GET", "POST"])
def connections(request):
    require(policy.can_manage_connections(request.user))
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save_connection(request, form)
        if done:
            return done
    shown = Connection.objects.select_related("account").order_by("account__platform", "account__handle")
    failed = request.GET.get("failed") == "1"
    if failed:  # the dashboard's "API connections failed"
        from somevahti.web.inbox.cards import failed_connections

        shown = shown.filter(pk__in=failed_connections().values("pk"))
    expiring = request.GET.get("expiring") == "1"
    if expiring:  # the dashboard's "accounts must be connected again within a week"
        from somevahti.web.inbox.cards import expiring_connections

        shown = shown.filter(pk__in=expiring_connections().values("pk"))
    return render(
        request,
        "inbox/connections.html",
        {
            "connections": shown,
            "failed": failed,
            "expiring": expiring,
            "result_count": shown.count(),
            "form": form,
            "history": connection_history(),
        },
    )


@require_http_methods(["GET", "POST"])
def connection_edit(request, pk):
    require(policy.can_manage_connections(request.user))
    connection = get_object_or_404(Connection.objects.select_related("account"), pk=pk)
    form = ConnectionForm(request.POST or None, connection=connection)
    if request.method == "POST" and form.is_valid():
        done = _save_connection(request, form, connection)
        if done:
            return done
    return render(request, "inbox/connection_form.html", {"connection": connection, "form": form})


@require_POST
def connection_delete(request, pk):
    require(policy.can_manage_connections(request.user))
    connection = get_object_or_404(Connection.objects.select_related("account"), pk=pk)
    connection.delete()
    messages.success(
        request,
        _("Connection removed: %(account)s is answered by hand from now on.")
        % {"account": connection.account},
    )
    return redirect("inbox:connections")


# -- incidents -------------------------------------------------------------------------------------


@require_GET
def incident_list(request):
    require(policy.can_create_incident(request.user))
    show_open = request.GET.get("open") == "1"
    if show_open:  # the dashboard's "open incidents"
        from somevahti.web.inbox.cards import open_incidents

        incidents = open_incidents(request.user)
    else:
        incidents = visible_incidents(request.user)
    return render(
        request,
        "inbox/incidents.html",
        {"incidents": incidents[:200], "show_open": show_open, "result_count": incidents.count()},
    )


@require_http_methods(["GET", "POST"])
def incident_new(request):
    user = request.user
    require(policy.can_create_incident(user))
    item = None
    item_pk = request.GET.get("item") or request.POST.get("item")
    if item_pk and str(item_pk).isdigit():
        item = get_object_or_404(
            Item.objects.select_related("account", "assignee", "publisher"), pk=int(item_pk)
        )
        require(policy.can_view_item(user, item))
    person = getattr(getattr(user, "membership", None), "person", None)
    initial = {
        "language": _lang(),
        "concerns": (item.assignee or item.publisher or person) if item else person,
    }
    if item is not None:
        initial |= {
            "type": services.default_incident_type(item),
            "title": f"{item.account}: {item.author_handle or item.author_name}".strip(": ")[:200],
        }
    form = IncidentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = services.open_incident(
            user,
            type=data["type"],
            title=data["title"],
            description=data["description"],
            item=item,
            concerns=data["concerns"],
            language=data["language"] or _lang(),
        )
        messages.success(request, _("Incident created and routed."))
        return redirect("inbox:incident", pk=incident.pk)
    return render(request, "inbox/incident_form.html", {"form": form, "item": item})


def _visible_incident(request, pk) -> Incident:
    incident = get_object_or_404(
        Incident.objects.select_related("item", "item__account", "concerns", "created_by"), pk=pk
    )
    if not policy.can_view_incident(request.user, incident):
        raise Http404
    return incident


@require_GET
def incident_detail(request, pk):
    incident = _visible_incident(request, pk)
    cfg = config()
    lang = _lang()
    return render(
        request,
        "inbox/incident.html",
        {
            "incident": incident,
            "events": incident.events.select_related("actor"),
            "handlers": incident.handlers.all(),
            "platform_guidance": cfg.guidance("platform", lang),
            "police_guidance": cfg.guidance("police", lang) if cfg.police(incident.type) else "",
            "can_update": policy.can_update_incident(request.user, incident),
            "update_form": IncidentUpdateForm(),
            "pin_form": PinForm(),
            "archive_link": access.may(request.user, "search"),
            "can_open_item": incident.item is not None and policy.can_view_item(request.user, incident.item),
        },
    )


@require_POST
def incident_update(request, pk):
    incident = _visible_incident(request, pk)
    require(policy.can_update_incident(request.user, incident))
    form = IncidentUpdateForm(request.POST)
    if form.is_valid():
        services.update_incident(
            incident, request.user, form.cleaned_data["status"], form.cleaned_data["note"]
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Give a new status or a note."))
    return redirect("inbox:incident", pk=incident.pk)


@require_POST
def incident_pin(request, pk):
    incident = _visible_incident(request, pk)
    require(policy.can_update_incident(request.user, incident))
    form = PinForm(request.POST)
    if form.is_valid() and services.pin_evidence(incident, form.cleaned_data["seq"]):
        messages.success(request, _("Evidence pinned from the archive."))
    else:
        messages.error(request, _("There is no such record in the archive."))
    return redirect("inbox:incident", pk=incident.pk)


# -- reports ---------------------------------------------------------------------------------------


def _report_items(user):
    items = Item.objects.all()
    if policy.role_of(user) == Role.UNIT_EDITOR and not user.is_superuser:
        items = items.filter(account__unit_id=user.membership.unit_id)
    return items


def _report_incidents(user):
    return (
        Incident.objects.all()
        if policy.role_of(user) != Role.UNIT_EDITOR or user.is_superuser
        else visible_incidents(user)
    )


def _hours(value) -> str:
    return "" if value is None else f"{value:.1f}"


@require_GET
def report_view(request):
    require(policy.can_view_inbox_reports(request.user))
    items = _report_items(request.user)
    volume = reports.volumes(items)
    incidents = reports.incidents_by_type(_report_incidents(request.user))
    return render(
        request,
        "inbox/reports.html",
        {
            "times": reports.response_times(items),
            "volume": volume,
            "overdue": reports.overdue(items),
            "incidents": incidents,
            "volume_chart": reports.bar_chart(
                [(r["label"], r["count"]) for r in volume], _("Items per category")
            ),
            "incident_chart": reports.bar_chart(
                [(r["label"], r["count"]) for r in incidents], _("Incidents by type")
            ),
        },
    )


TABLES = ("response-accounts", "response-units", "volume", "overdue", "incidents")


@require_GET
def report_csv(request, table):
    require(policy.can_view_inbox_reports(request.user))
    if table not in TABLES:
        raise Http404
    items = _report_items(request.user)
    if table.startswith("response-"):
        rows = reports.response_times(items)["account" if table == "response-accounts" else "unit"]
        header = ["name", "answered", "p50_hours", "p90_hours", "max_hours"]
        body = [
            [r["name"], r["answered"], _hours(r["p50"]), _hours(r["p90"]), _hours(r["max"])] for r in rows
        ]
    elif table == "volume":
        header, body = ["category", "count"], [[r["category"], r["count"]] for r in reports.volumes(items)]
    elif table == "overdue":
        header, body = (
            ["unit", "account", "overdue"],
            [[r["unit"], r["account"], r["overdue"]] for r in reports.overdue(items)],
        )
    else:
        header, body = (
            ["type", "count"],
            [[r["type"], r["count"]] for r in reports.incidents_by_type(_report_incidents(request.user))],
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inbox-{table}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in body:
        writer.writerow([safe_cell(c) for c in row])
    return response
