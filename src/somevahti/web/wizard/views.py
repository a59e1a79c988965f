"""The policy wizard's pages: the drafts, a new draft, the question steps, the preview, trying a post,
putting the draft in force, export and import. Communications admins only (core/policy.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from somevahti.errors import PackError
from somevahti.web.core import policy
from somevahti.web.wizard import forms, forms_policy, services
from somevahti.web.wizard.models import Draft

# (slug, title, form): the question steps, then the preview, the try-out and putting in force
STEPS = [
    ("start", gettext_lazy("Name and version"), forms.StartForm),
    ("organisation", gettext_lazy("Organisation"), forms.OrganisationForm),
    ("languages", gettext_lazy("Languages"), forms.LanguagesForm),
    ("channels", gettext_lazy("Channels and hashtags"), forms.ChannelsForm),
    ("approvals", gettext_lazy("Approvals"), forms.ApprovalsForm),
    ("inbox", gettext_lazy("Answer times and incidents"), forms_policy.InboxForm),
    ("security", gettext_lazy("Security"), forms_policy.SecurityForm),
    ("rules", gettext_lazy("Rules"), forms_policy.RulesForm),
    ("preview", gettext_lazy("Preview"), None),
    ("try", gettext_lazy("Try a post"), None),
    ("force", gettext_lazy("Put in force"), None),
]
SLUGS = [s for s, _t, _f in STEPS]


def _posted(request):
    """The POST data of a POST (also when empty: an empty form is still a submitted one)."""
    return request.POST if request.method == "POST" else None


def _allowed(request) -> None:
    if not policy.can_use_wizard(request.user):
        raise PermissionDenied


def _draft(request, pk: int) -> Draft:
    _allowed(request)
    return get_object_or_404(Draft, pk=pk)


def _context(draft: Draft, slug: str | None, **more) -> dict:
    """The step list for the page of ``slug`` (None: a page beside the steps, the import)."""
    index = SLUGS.index(slug) if slug else -1
    steps = [
        {
            "slug": s,
            "title": t,
            "n": i + 1,
            "href": reverse(f"wizard:{s}", args=[draft.pk]),
            "current": s == slug,
        }
        for i, (s, t, _f) in enumerate(STEPS)
    ]
    nxt = steps[index + 1] if index + 1 < len(steps) else None
    return {
        "draft": draft,
        "steps": steps,
        "step": steps[index] if slug else None,
        "next": nxt,
        "export_href": reverse("wizard:export", args=[draft.pk]),
        "import_href": reverse("wizard:import", args=[draft.pk]),
        **more,
    }


@require_GET
def draft_list(request):
    _allowed(request)
    drafts = Draft.objects.select_related("created_by", "in_force")
    return render(request, "wizard/list.html", {"drafts": drafts})


@require_http_methods(["GET", "POST"])
def draft_new(request):
    _allowed(request)
    form = forms.NewDraftForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            draft = services.create_draft(
                request.user, name=d["name"], base=d["base"], pack_id=d["pack_id"], version=d["version"]
            )
        except PackError as e:
            form.add_error(None, str(e))
        else:
            return redirect("wizard:organisation", draft.pk)
    return render(request, "wizard/new.html", {"form": form})


def step(request, pk: int, slug: str):
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    draft = _draft(request, pk)
    form_class = dict((s, f) for s, _t, f in STEPS)[slug]
    form = form_class(request.POST if request.method == "POST" else None, draft=draft)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_overlay(
                draft, request.user, form.apply(draft.data()), name=form.cleaned_data.get("name")
            )
        except PackError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"wizard:{SLUGS[SLUGS.index(slug) + 1]}", draft.pk)
    lang = get_language() or "fi"
    return render(
        request,
        "wizard/step_rules.html" if slug == "rules" else "wizard/step.html",
        _context(draft, slug, form=form, rows=list(form.rows(lang)) if slug == "rules" else []),
    )


@require_GET
def preview(request, pk: int):
    from somevahti.policy.render import document_css
    from somevahti.web.policy import documents

    draft = _draft(request, pk)
    pack = draft.pack()
    lang = documents.reader_language(get_language())
    return render(
        request,
        "wizard/preview.html",
        _context(
            draft,
            "preview",
            pack=pack,
            # The core's Jinja2 template escapes every pack text (as on the policy page).
            body=mark_safe(documents.fragment(pack, lang)),  # noqa: S308
            css=mark_safe(document_css()),  # noqa: S308 - our own stylesheet
        ),
    )


@require_http_methods(["GET", "POST"])
def try_post(request, pk: int):
    from somevahti.web.wizard.trying import try_text

    draft = _draft(request, pk)
    form = forms_policy.TryForm(_posted(request), initial={"language": draft.pack().first_language})
    lang = (get_language() or "fi").split("-")[0]
    results = (
        try_text(draft, form.cleaned_data, lang) if request.method == "POST" and form.is_valid() else None
    )
    return render(request, "wizard/try.html", _context(draft, "try", form=form, results=results))


@require_http_methods(["GET", "POST"])
def put_in_force(request, pk: int):
    from somevahti.policy import versions
    from somevahti.web.policy.models import PackVersion

    draft = _draft(request, pk)
    pack = draft.pack()
    form = forms_policy.ForceForm(_posted(request))
    may = policy.can_put_pack_in_force(request.user)
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        if form.is_valid():
            version = services.put_in_force(draft, request.user, note=form.cleaned_data["note"])
            messages.success(request, _("%(version)s is now in force.") % {"version": version.label})
            return redirect("policy:versions")
    current = PackVersion.objects.order_by("-approved_at", "-id").first()
    return render(
        request,
        "wizard/force.html",
        _context(
            draft,
            "force",
            form=form,
            may=may,
            label=versions.label(pack),
            current=current,
            is_current=current is not None
            and current == draft.in_force
            and current.digest == versions.digest(pack),
        ),
    )


@require_GET
def export(request, pk: int):
    draft = _draft(request, pk)
    response = HttpResponse(draft.overlay, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{draft.filename}"'
    return response


@require_http_methods(["GET", "POST"])
def import_overlay(request, pk: int):
    draft = _draft(request, pk)
    form = forms_policy.ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.import_overlay(draft, request.user, upload.read(services.MAX_UPLOAD + 1), upload.name)
        except PackError as e:
            form.add_error("file", str(e))
        else:
            messages.success(request, _("Imported. The steps now show the imported pack."))
            return redirect("wizard:preview", draft.pk)
    return render(request, "wizard/import.html", _context(draft, None, form=form))
