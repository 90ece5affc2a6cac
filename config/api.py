"""The one REST API. Each app contributes a ninja Router; this module mounts them and maps
domain errors to problem+json (RFC 9457) responses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from peaceworks.accounts.api import router as accounts_router
from peaceworks.campaigns.api import router as campaigns_router
from peaceworks.core import problems
from peaceworks.core.errors import DomainError
from peaceworks.core.middleware import database_unavailable_response
from peaceworks.directory.api import router as directory_router
from peaceworks.impact.api import router as impact_router

api = NinjaAPI(
    title="Peaceworks API",
    version="1",
    urls_namespace="api",
    auth=[SessionAuth()],
    description="Typed API over the Peaceworks network: directory, campaigns, impact.",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"field": exc.field} if exc.field else {}
    return problems.problem_response(
        exc.status_code, problems.title_for(exc.status_code), exc.message, **extra
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problems.problem_response(404, problems.title_for(404), problems.detail_not_found())


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problems.problem_response(403, problems.title_for(403), problems.detail_forbidden())


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problems.problem_response(
        401, problems.title_for(401), problems.detail_unauthenticated()
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in error.get("loc", [])], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return problems.problem_response(
        422, problems.title_for(422), problems.detail_invalid(), errors=errors
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database is restarting, unreachable or busy: the transaction was rolled back and
    the client may send the request again (also when DEBUG would show a traceback)."""
    return database_unavailable_response(request, exc)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problems.problem_response(exc.status_code, problems.title_for(exc.status_code), str(exc))


api.add_router("/accounts/", accounts_router)
api.add_router("/directory/", directory_router)
api.add_router("/campaigns/", campaigns_router)
api.add_router("/impact/", impact_router)
