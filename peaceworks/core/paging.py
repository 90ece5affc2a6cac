"""The one way a page lists many rows: a page of them, its filters and sort kept across pages.

A list view hands its queryset (already filtered by the viewer's access) to :func:`list_page`
with the sorts it offers; the template includes ``core/_pagination.html`` with the result. An
unknown ``sort`` or ``page`` value falls back to the default: a hand-edited address shows the
list, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PER_PAGE = 25


@dataclass(frozen=True)
class ListPage:
    """One page of a list: the rows in ``page``, the active ``sort`` key, and ``query``, the
    request's other GET parameters (filters, sort) as a query string for the page links."""

    page: Page[Any]
    sort: str
    query: str


def list_page(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    *,
    per_page: int = DEFAULT_PER_PAGE,
    sorts: Mapping[str, Sequence[str]] | None = None,
    default_sort: str = "",
) -> ListPage:
    """Page ``rows`` for ``request``; with ``sorts`` (key → ``order_by`` fields), order a
    queryset by the GET parameter ``sort`` when it is one of them, else by ``default_sort``."""
    sort = default_sort
    if sorts:
        asked = request.GET.get("sort", "")
        sort = asked if asked in sorts else default_sort
        if isinstance(rows, QuerySet) and sort in sorts:
            rows = rows.order_by(*sorts[sort])
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return ListPage(page=page, sort=sort, query=keep.urlencode())
