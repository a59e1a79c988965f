"""The monthly results summary by e-mail to communications, each in the reader's own language."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from somevahti.web.core.models import Membership, Role
from somevahti.web.policy.results import Period


def previous_month(today: date) -> Period:
    end = today.replace(day=1) - timedelta(days=1)
    return Period(end.replace(day=1), end)


def body(data: dict, period: Period) -> str:
    lines = [
        _("Somevahti results %(start)s – %(end)s")
        % {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "",
    ]
    by_lang: dict[str, int] = {}
    for row in data["posts"]:
        by_lang[row["lang"]] = by_lang.get(row["lang"], 0) + row["posts"]
    lines.append(
        _("Posts: %(n)s") % {"n": data["total_posts"]}
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())) + ")" if by_lang else "")
    )
    need = sum(r["required"] for r in data["coverage_account"])
    complete = sum(r["complete"] for r in data["coverage_account"])
    if need:
        lines.append(
            _("With every required language version: %(complete)s of %(need)s (%(share)s %%)")
            % {"complete": complete, "need": need, "share": round(100 * complete / need, 1)}
        )
    totals: dict[str, int] = {}
    for row in data["findings"]:
        totals[row["rule"]] = totals.get(row["rule"], 0) + row["findings"]
    if totals and data["total_posts"]:
        lines += ["", _("Findings per 100 posts, most frequent rules:")]
        for rule, n in sorted(totals.items(), key=lambda kv: -kv[1])[:5]:
            lines.append(f"- {rule}: {round(100 * n / data['total_posts'], 1)}")
    answered = sum(r["answered"] for r in data["answers"])
    overdue = sum(r["overdue"] for r in data["answers"])
    lines += [
        "",
        _("Comments answered: %(answered)s; overdue answers: %(overdue)s")
        % {"answered": answered, "overdue": overdue},
    ]
    opened = sum(r["opened"] for r in data["audits"])
    closed = sum(r["closed"] for r in data["audits"])
    lines.append(
        _("Audit findings opened: %(opened)s; closed: %(closed)s") % {"opened": opened, "closed": closed}
    )
    return "\n".join(lines) + "\n"


def send_monthly_summary(today: date | None = None) -> int:
    """One e-mail per communications admin with an address, in their language; returns how many."""
    from django.utils import timezone

    from somevahti.web.policy import documents
    from somevahti.web.policy.models import Reader
    from somevahti.web.policy.results import figures

    period = previous_month(today or timezone.localdate())
    data = figures(documents.current_pack(), period, None)
    sent = 0
    admins = Membership.objects.filter(role=Role.COMMUNICATIONS_ADMIN).select_related("user")
    languages = dict(Reader.objects.values_list("user_id", "language"))
    for m in admins:
        if not m.user.email or not m.user.is_active:
            continue
        with translation.override(languages.get(m.user_id) or settings.LANGUAGE_CODE):
            send_mail(
                _("Somevahti: results for %(month)s") % {"month": period.start.strftime("%Y-%m")},
                body(data, period),
                settings.DEFAULT_FROM_EMAIL,
                [m.user.email],
                fail_silently=False,
            )
        sent += 1
    return sent
