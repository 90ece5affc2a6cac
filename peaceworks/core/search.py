"""Ranked text search over a queryset: full text on PostgreSQL, a working fallback on SQLite.

Each app's search selector narrows the queryset to what the viewer may open (its own access
rule) and hands it here with the fields to search and the title field; the web app's search
page combines the apps' results. On PostgreSQL the fields become a ``SearchVector`` ranked by
``SearchRank`` (through ``unaccent`` when the database has the extension: accents then do not
matter), and a word typed in part still matches by ``icontains``. On SQLite the same fields are
matched by ``icontains`` and ranked simply: the exact title first, then titles starting with
the query, then titles containing it, then matches in other fields.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import TypeVar

from django.db import connection
from django.db.models import Case, F, FloatField, Func, Model, Q, QuerySet, Value, When

_M = TypeVar("_M", bound=Model)

#: the longest query searched (longer input is cut: a search box is no document)
MAX_QUERY_LENGTH = 200

_unaccent_available: bool | None = None


def normalise_query(raw: str) -> str:
    """The query as searched: spaces collapsed, cut to :data:`MAX_QUERY_LENGTH`."""
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def _has_unaccent() -> bool:
    """Whether the PostgreSQL database has the ``unaccent`` extension (asked once)."""
    global _unaccent_available  # a per-process cache of one fact
    if _unaccent_available is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
            _unaccent_available = cursor.fetchone() is not None
    return _unaccent_available


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _contains(fields: Sequence[str], query: str) -> Q:
    return reduce(or_, (Q(**{f"{field}__icontains": query}) for field in fields))


def ranked_search(
    queryset: QuerySet[_M], *, query: str, fields: Sequence[str], title: str
) -> QuerySet[_M]:
    """``queryset`` narrowed to rows matching ``query`` in ``fields``, annotated with
    ``search_rank`` (higher is better) and ordered by it, then by ``title``. An empty query
    matches nothing."""
    query = normalise_query(query)
    if not query:
        return queryset.none()
    # the same tiers on both databases: the exact title, then titles starting with the
    # query, then titles holding it, then matches elsewhere
    tiers = Case(
        When(**{f"{title}__iexact": query}, then=Value(10.0)),
        When(**{f"{title}__istartswith": query}, then=Value(2.0)),
        When(**{f"{title}__icontains": query}, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        columns: list[F | Func]
        if _has_unaccent():
            columns = [Func(F(field), function="unaccent") for field in fields]
            text = _strip_accents(query)
        else:
            columns, text = [F(field) for field in fields], query
        vector = SearchVector(*columns, config="simple")
        search = SearchQuery(text, config="simple", search_type="websearch")
        # within a tier, the full-text rank (below 1) orders the rows
        matched: QuerySet[_M] = queryset.annotate(
            search_document=vector, search_rank=tiers + SearchRank(vector, search)
        ).filter(Q(search_document=search) | _contains(fields, query))
    else:
        matched = queryset.filter(_contains(fields, query)).annotate(search_rank=tiers)
    return matched.order_by("-search_rank", title, "pk")
