"""How every list of the API is paged, filtered by date of change and ordered.

Every list operation answers the same page::

    {"count": 120, "next": "https://…?page=3", "previous": "https://…?page=1",
     "page": 2, "page_size": 50, "items": [...]}

``count`` is the total over all pages, ``next``/``previous`` are absolute URLs (``null`` on the
first and last page) that keep the other query parameters, and ``page`` (from 1) and
``page_size`` (1 … ``MAX_PAGE_SIZE``) are the two parameters. A page past the last one is empty,
not an error. A list operation is declared once::

    @router.get("/things", response=list[ThingOut])
    @paginate
    def thing_list(request, filters: Query[ThingFilter]) -> Rows[Thing]:
        return Rows(THING_ORDERINGS.apply(things, filters.ordering), _thing_out)

The view returns a queryset (or a list) and, where its rows are not the output as they stand,
how to turn one row into its output: only the rows of the page are converted, and the queryset
is counted and sliced by the database. ``tests/api/test_conventions.py`` walks the OpenAPI
document and fails on a list operation that does not page this way.

``ordering`` names one of an allowed set (``name``, ``-name`` …) documented as an ``enum``; any
other value is 422 with the code ``ordering_unknown``.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, get_type_hints

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import PaginationBase
from ninja.pagination import paginate as ninja_paginate
from pydantic import Field, JsonValue

from peaceworks.core.errors import DomainError
from peaceworks.core.schemas import PageNumber

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

Row = TypeVar("Row")


@dataclass(frozen=True)
class Rows(Generic[Row]):
    """The rows of a list and how one row becomes its output (the identity by default)."""

    rows: QuerySet[Any] | Sequence[Row]
    convert: Callable[[Row], Any] | None = None


class InvalidParameter(DomainError):
    """A query parameter outside its allowed values: 422 with a stable code."""

    status_code = 422

    def __init__(self, message: str, *, field: str, code: str) -> None:
        super().__init__(message, field=field)
        self.code = code


class PagePagination(PaginationBase):
    """``page`` and ``page_size`` in; ``count``, ``next``, ``previous``, ``page``,
    ``page_size`` and ``items`` out."""

    class Input(Schema):
        page: PageNumber = Field(1, description="The page, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items a page, 1 to {MAX_PAGE_SIZE}.",
        )

    class Output(Schema):
        count: int = Field(..., description="Items over all pages.")
        next: str | None = Field(..., description="The next page's URL; null on the last.")
        previous: str | None = Field(..., description="The previous page's URL; null on the first.")
        page: int
        page_size: int
        items: list[Any]

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        rows = queryset if isinstance(queryset, Rows) else Rows(queryset)
        page: int = pagination.page
        size: int = pagination.page_size
        count = self._items_count(rows.rows)  # type: ignore[arg-type]  # a list is counted too
        start = (page - 1) * size
        items = list(rows.rows[start : start + size]) if start < count else []
        if rows.convert is not None:
            items = [rows.convert(item) for item in items]
        return {
            "count": count,
            "next": _page_url(request, page + 1) if start + size < count else None,
            "previous": _page_url(request, min(page - 1, _last_page(count, size)))
            if page > 1
            else None,
            "page": page,
            "page_size": size,
            "items": items,
        }


def _last_page(count: int, size: int) -> int:
    return max(1, -(-count // size))


def _page_url(request: HttpRequest, page: int) -> str:
    query: QueryDict = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(view: Callable[..., Any]) -> Callable[..., Any]:
    """Page a list operation (``response=list[XOut]``) with :class:`PagePagination`."""
    # ninja reads the parameters through the wrapper, whose module cannot resolve the view's
    # postponed annotations (``Query[ThingFilter]``): resolve them here, in the view's module.
    view.__annotations__ = get_type_hints(view, include_extras=True)
    return ninja_paginate(PagePagination)(view)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Orderings:
    """The orderings a list allows: each public name (``name``) maps to the model fields it
    sorts by; ``-name`` reverses it. The primary key always breaks ties, so pages never
    overlap."""

    choices: Mapping[str, tuple[str, ...]]
    default: str
    names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "names", [name for key in self.choices for name in (key, f"-{key}")]
        )

    def parameter(self) -> Any:
        """The ``ordering`` field of a filter schema, its allowed values documented."""
        return Field(
            self.default,
            max_length=60,
            description=_ordering_description(self.names),
            json_schema_extra={"enum": list[JsonValue](self.names)},
        )

    def apply(self, queryset: QuerySet[Any], ordering: str) -> QuerySet[Any]:
        name = ordering or self.default
        if name not in self.names:
            raise InvalidParameter(
                _("Order by one of: %(names)s.") % {"names": ", ".join(self.names)},
                field="ordering",
                code="ordering_unknown",
            )
        fields = self.choices[name.lstrip("-")]
        if name.startswith("-"):
            fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
        return queryset.order_by(*fields, "-pk" if name.startswith("-") else "pk")


def _ordering_description(names: Sequence[str]) -> str:
    return "Order by one of: " + ", ".join(f"`{name}`" for name in names) + " (`-` reverses)."


def updated_since(
    queryset: QuerySet[Any],
    since: datetime.datetime | None,
    *,
    field: str = "updated_at",
    parameter: str = "updated_since",
) -> QuerySet[Any]:
    """The rows whose ``field`` is at or after ``since``, a timestamp with its offset (a
    naive one would be read in the server's zone: 422 ``timestamp_without_offset``)."""
    if since is None:
        return queryset
    if since.tzinfo is None:
        raise InvalidParameter(
            _("Give the date and time with its offset, e.g. 2026-01-31T12:00:00Z."),
            field=parameter,
            code="timestamp_without_offset",
        )
    return queryset.filter(**{f"{field}__gte": since})


UPDATED_SINCE_DESCRIPTION = (
    "Only what changed at or after this time (ISO 8601 with an offset, e.g. 2026-01-31T12:00:00Z)."
)
