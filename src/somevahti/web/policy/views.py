"""The policy document page: the organisation's policy in the reader's language, with a PDF."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from somevahti.policy.render import build_document, document_css
from somevahti.web.core import policy
from somevahti.web.policy import documents


@require_GET
def document(request):
    if not policy.can_read_policy_document(request.user):
        raise PermissionDenied
    pack = documents.current_pack()
    lang = documents.reader_language(get_language())
    doc = build_document(pack, lang)
    return render(request, "policy/document.html", {
        # The fragment is made by the core's Jinja2 template with autoescaping on: pack and clause
        # texts in it are escaped there (tests/web/test_policy_document.py tries markup in a pack).
        "body": mark_safe(documents.fragment(pack, lang)),  # noqa: S308
        "css": mark_safe(document_css()),  # noqa: S308 - our own stylesheet, no outside content
        "title": doc.title, "pack": pack, "lang": lang,
        "pdf_href": reverse("policy:pdf", args=[lang]),
        "other_pdfs": [(code, reverse("policy:pdf", args=[code])) for code in documents.LANGS if code != lang],
    })


@require_GET
def document_pdf(request, lang: str):
    if not policy.can_read_policy_document(request.user):
        raise PermissionDenied
    if lang not in documents.LANGS:
        raise Http404
    pack = documents.current_pack()
    response = HttpResponse(documents.pdf(pack, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack.id}-{pack.version}-{lang}.pdf"'
    return response
