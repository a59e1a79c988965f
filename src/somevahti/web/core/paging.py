"""Pages of long lists in a fixed number of queries whose cost does not grow with the page number:
the page's keys come from the ordered, filtered list alone (an index scan, no joins over the
skipped rows), and the rows with their related rows are read for those keys only, in the same query
as a subquery."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50


def page_of(
    request,
    ordered: QuerySet,
    rows: Callable[[QuerySet], QuerySet] = lambda qs: qs,
    per_page: int = PAGE_SIZE,
) -> Page:
    """The requested page (``?page=``) of ``ordered``; ``rows`` adds select_related()/only() to the
    query that reads the page's rows."""
    page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(request.GET.get("page"))
    fetch = rows(ordered.model._default_manager.filter(pk__in=page.object_list))
    if ordered.query.order_by:
        fetch = fetch.order_by(*ordered.query.order_by)
    page.object_list = list(fetch)
    return page
