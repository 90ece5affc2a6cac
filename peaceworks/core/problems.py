"""problem+json (RFC 9457) responses for the API, with translated titles."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from peaceworks.core.json import dumps


def problem_response(status: int, title: str, detail: str, **extra: Any) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = HttpResponse(dumps(body), status=status, content_type="application/problem+json")
    if status == 503:
        response["Retry-After"] = "5"
    return response


def title_for(status: int) -> str:
    titles = {
        400: _("The request cannot be carried out"),
        401: _("Sign-in required"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Conflict with what is stored"),
        413: _("Too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        503: _("Briefly unavailable"),
    }
    return titles.get(status, _("Request refused"))


def detail_not_found() -> str:
    return _("There is nothing here for you.")


def detail_forbidden() -> str:
    return _("Your role does not allow this.")


def detail_unauthenticated() -> str:
    return _("Sign in to use this endpoint.")


def detail_invalid() -> str:
    return _("Some fields are not valid.")
