"""problem+json (RFC 9457) responses for the API, with translated titles and a stable ``code``.

Every answer of the API that is not a success is one of these, whoever produced it: the
exception handlers of ``config/api.py``, the request-size and database middleware, the 404 and
500 handlers of ``config/urls.py`` and the 405 of an unknown method. ``code`` is a machine-
readable name that never changes with the language (``title`` and ``detail`` are translated).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from peaceworks.core.json import dumps

CONTENT_TYPE = "application/problem+json"

# The stable code of each status when the error does not name a more precise one.
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def problem_response(
    status: int, title: str, detail: str, *, code: str | None = None, **extra: Any
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code or CODES.get(status, "error"),
        **extra,
    }
    response = HttpResponse(dumps(body), status=status, content_type=CONTENT_TYPE)
    if status == 503:
        response["Retry-After"] = "5"
    return response


def problem(status: int, detail: str | None = None, **extra: Any) -> HttpResponse:
    """The problem response of ``status`` with its translated title and default detail."""
    return problem_response(status, title_for(status), detail or detail_for(status), **extra)


def title_for(status: int) -> str:
    titles = {
        400: _("The request cannot be carried out"),
        401: _("Sign-in required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict with what is stored"),
        410: _("No longer available"),
        413: _("Too large"),
        415: _("Unsupported media type"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
        503: _("Briefly unavailable"),
    }
    return titles.get(status, _("Request refused"))


def detail_for(status: int) -> str:
    details = {
        401: detail_unauthenticated(),
        403: detail_forbidden(),
        404: detail_not_found(),
        405: _("This endpoint does not accept this method."),
        422: detail_invalid(),
        500: _("Something went wrong on our side; it has been logged."),
    }
    return details.get(status, _("The request cannot be carried out."))


def detail_not_found() -> str:
    return _("There is nothing here for you.")


def detail_forbidden() -> str:
    return _("Your role does not allow this.")


def detail_unauthenticated() -> str:
    return _("Sign in to use this endpoint.")


def detail_invalid() -> str:
    return _("Some fields are not valid.")


# The error answers the OpenAPI document declares (the body of each is the schema below).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "An RFC 9457 problem; ``errors`` lists invalid fields on 422.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                },
            },
        },
    },
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: problem+json under ``/api/`` (an unknown endpoint), Django's page
    elsewhere."""
    if _is_api(request):
        return problem(404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500`` (production only; DEBUG shows the traceback): problem+json under
    ``/api/``, Django's page elsewhere."""
    if _is_api(request):
        return problem(500)
    return defaults.server_error(request)
