"""The one REST API. Each app contributes a ninja Router; this module mounts them and maps
domain errors to problem+json (RFC 9457) responses.

Every answer that is not a success is problem+json with a stable ``code``: the exception
handlers below map each error (a Django ``ValidationError`` from a service, an unreadable body,
a number the database cannot store), :class:`PeaceworksAPI` turns the few answers ninja writes
itself (405) into problems too, and anything unexpected reaches ``handler500`` of
``config/urls.py`` (problem+json under ``/api/`` in production, the traceback with DEBUG).
The OpenAPI document declares these error answers on every operation, and the docs page
serves Swagger UI from static files.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi import schema as ninja_openapi_schema
from ninja.openapi.docs import DocsBase
from ninja.openapi.schema import OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import HttpBearer, SessionAuth
from pydantic.json_schema import CoreModeRef, CoreRef, DefsRef

from peaceworks.accounts.access import viewer_limit
from peaceworks.accounts.api import router as accounts_router
from peaceworks.accounts.models import ApiToken
from peaceworks.accounts.services import api_token_allows, api_token_authenticate
from peaceworks.campaigns.api import router as campaigns_router
from peaceworks.consultations.api import router as consultations_router
from peaceworks.core import problems
from peaceworks.core.errors import DomainError
from peaceworks.core.idempotency import idempotent
from peaceworks.core.middleware import database_unavailable_response
from peaceworks.core.openapi_examples import add_examples
from peaceworks.core.ratelimit import rate_hit
from peaceworks.directory.api import router as directory_router
from peaceworks.impact.api import router as impact_router
from peaceworks.meetings.api import router as meetings_router
from peaceworks.reports.api import router as reports_router

logger = logging.getLogger(__name__)

# The error answers each kind of operation may give, declared in the OpenAPI document.
ERRORS_OF_EVERY_OPERATION = (400, 404, 422, 500, 503)
ERRORS_OF_SIGNED_IN_OPERATIONS = (401, 403, 429)
ERRORS_OF_WRITES = (409, 413)


class SwaggerFromStaticFiles(DocsBase):
    """Swagger UI from the npm package ``swagger-ui-dist`` through static files, started by a
    static script: the site's CSP (``script-src 'self'``, no inline script) holds, and the
    docs work offline."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "core/api_docs.html",
            {"title": api.title, "openapi_url": self.get_openapi_url(api, kwargs)},
        )


def _as_problem(response: HttpResponse) -> HttpResponse:
    """An error answer written without a problem body (ninja's 405) as problem+json."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(
        problems.CONTENT_TYPE
    ):
        return response
    problem = problems.problem(response.status_code)
    if response.has_header("Allow"):
        problem["Allow"] = response["Allow"]
    return problem


def _with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A successful read carries an ``ETag`` of its body; a client sending it back in
    ``If-None-Match`` gets 304 with no body. Answers differ per client, so they vary on the
    credentials and no shared cache may keep them."""
    if request.method not in {"GET", "HEAD"} or response.status_code != 200:
        return response
    if response.streaming:
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    patch_vary_headers(response, ["Authorization", "Cookie"])
    patch_cache_control(response, private=True, no_cache=True)
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional or response


def _answers_problems(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every operation: problem+json for every error, ``Idempotency-Key`` on creates, ``ETag``
    on reads."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = idempotent(request, lambda: view(request, *args, **kwargs))
        return _with_etag(request, _as_problem(response))

    return wrapped


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Send a create again with the same key and body to get the first answer instead of a"
        " second object (kept 24 hours; another body with the key is 422)."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


class _NestedClassNames(NinjaGenerateJsonSchema):
    """A nested class is named with its outer class in the document: ``Activity.Status`` is
    ``ActivityStatus``, ``Action.Status`` is ``ActionStatus``. Ninja builds each schema on its
    own and merges their definitions by name, so two enums both called ``Status`` would leave
    one of them describing the other's field."""

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        core_ref, mode = core_mode_ref
        return super().get_defs_ref((CoreRef(_NESTED.sub(r"\1\2", core_ref)), mode))


_NESTED = re.compile(r"\b([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9]*)(?=:|$)")
# ninja.openapi.schema names its generator at module level and offers no setting for it.
setattr(ninja_openapi_schema, "NinjaGenerateJsonSchema", _NestedClassNames)  # noqa: B010


class PeaceworksAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._openapi_documents: dict[tuple[str, str], OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The OpenAPI document, built once per process, language (its error titles are
        translated) and path prefix: building it took ~0.25 s of CPU a request. Callers
        read it; none may change it."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (get_language(), path_prefix)
        schema = self._openapi_documents.get(key)
        if schema is None:
            schema = self._openapi_document(path_prefix)
            self._openapi_documents[key] = schema
        return schema

    def _openapi_document(self, path_prefix: str) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
            problems.PROBLEM_SCHEMA
        )
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                _declare_errors(method, operation)
        add_examples(schema)
        return schema

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        # stable: every other pattern keeps its place
        patterns = sorted(patterns, key=lambda pattern: str(pattern.pattern) not in TRIED_FIRST)
        return [_wrapped(pattern) for pattern in patterns], app_name, namespace


#: The routes tried before the others. Django's resolver tries an API path against each
#: pattern in turn, noting every miss: the public submission, the one route respondents call
#: in bulk, came 74th of 152 (resolving it 50-70 µs of CPU, now ~20 µs). No other pattern
#: matches its paths (``test_the_routes_tried_first_match_no_other_pattern``), so the order
#: answers no request differently.
TRIED_FIRST = frozenset({"impact/public/rounds/<token>/responses"})


def _wrapped(pattern: URLResolver | URLPattern) -> URLResolver | URLPattern:
    if isinstance(pattern, URLPattern):
        return URLPattern(
            pattern.pattern, _answers_problems(pattern.callback), pattern.default_args, pattern.name
        )
    return pattern


def _declare_errors(method: str, operation: dict[str, Any]) -> None:
    statuses = list(ERRORS_OF_EVERY_OPERATION)
    if operation.get("security"):
        statuses += ERRORS_OF_SIGNED_IN_OPERATIONS
    if method.lower() in {"post", "put", "patch", "delete"}:
        statuses += ERRORS_OF_WRITES
    if method.lower() == "post" and operation.get("security"):
        operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        responses.setdefault(
            status,
            {
                "description": str(problems.title_for(status)),
                "content": {
                    problems.CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        )


class PersonalTokenAuth(HttpBearer):
    """``Authorization: Bearer pwk_…``: a personal API token (made on the profile page) acts
    as its owner through the same access functions as the pages, narrowed by the token:
    limited to one organisation, the owner's role there is the only one that counts; a
    read-only token gets 403 on any write. An unknown, revoked or expired token is 401 — never
    a fall-back to the browser session, and no CSRF token is needed (nothing is implicit)."""

    openapi_description = (
        "A personal API token from your profile page, sent as `Authorization: Bearer pwk_…`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(secret=token)
        if api_token is None:
            raise AuthenticationError
        request.user = api_token.user
        if api_token.organisation_id is not None:
            viewer_limit(api_token.user, organisation_id=api_token.organisation_id)
        api_token_allows(api_token, method=request.method or "")
        _count_against_rate(api_token)
        return api_token


def _count_against_rate(api_token: ApiToken) -> None:
    """At most ``API_TOKEN_RATE_PER_MINUTE`` requests a token a clock minute, then 429 with
    ``Retry-After`` (the seconds left in the minute); counted in the database, so every
    process and host shares the count (``core.ratelimit``)."""
    now = time.time()
    minute = int(now // 60)
    count = rate_hit(f"api-token:{api_token.secret_hash[:24]}", minute)
    if count > settings.API_TOKEN_RATE_PER_MINUTE:
        raise Throttled(wait=max(1, math.ceil((minute + 1) * 60 - now)))


api = PeaceworksAPI(
    title="Peaceworks API",
    version="1",
    urls_namespace="api",
    auth=[PersonalTokenAuth(), SessionAuth()],
    description="Typed API over the Peaceworks network: directory, campaigns, impact.",
    docs=SwaggerFromStaticFiles(),
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"field": exc.field} if exc.field else {}
    return problems.problem_response(
        exc.status_code, problems.title_for(exc.status_code), exc.message, code=exc.code, **extra
    )


@api.exception_handler(DjangoValidationError)
def _model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's ``full_clean()`` refused the values: 422 naming each field."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    errors = [
        {"loc": ["body", field] if field else ["body"], "msg": str(message)}
        for field, messages in fields.items()
        for message in messages
    ]
    first_field = next(iter(fields))
    extra = {"field": first_field} if first_field and first_field != "__all__" else {}
    return problems.problem(422, str(errors[0]["msg"]), errors=errors, **extra)


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
    """Input that breaks its schema: 422 listing each error, ``field`` naming the first."""
    errors = [
        {"loc": [str(part) for part in error.get("loc", [])], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    field = _field_of(errors[0]["loc"]) if errors else None
    extra = {"field": field} if field else {}
    return problems.problem_response(
        422, problems.title_for(422), problems.detail_invalid(), errors=errors, **extra
    )


def _field_of(loc: Sequence[str]) -> str | None:
    """The field of a ninja error location: ``["body", "payload", "title"]`` → ``title``,
    ``["query", "offset"]`` → ``offset``."""
    parts = list(loc[1:])
    if list(loc[:1]) == ["body"] and len(parts) > 1:
        parts = parts[1:]
    return parts[0] if parts else None


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database is restarting, unreachable or busy: the transaction was rolled back and
    the client may send the request again (also when DEBUG would show a traceback)."""
    return database_unavailable_response(request, exc)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    response = problems.problem_response(
        exc.status_code, problems.title_for(exc.status_code), str(exc)
    )
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    detail = _("The request is larger than the limit of %(limit)s MB.") % {
        "limit": settings.MAX_UPLOAD_MB
    }
    return problems.problem(413, detail)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body that cannot be parsed as its content type says (multipart without a boundary)."""
    return problems.problem(400, _("The request body cannot be read as its content type says."))


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A value the database cannot store; the bounded types of ``core.schemas`` keep these
    out, so this is the net under them."""
    logger.warning("Value out of range for %s: %s", request.path, exc)
    return problems.problem(422, _("A value is out of the range that can be stored."))


api.add_router("/accounts/", accounts_router)
api.add_router("/directory/", directory_router)
api.add_router("/campaigns/", campaigns_router)
api.add_router("/impact/", impact_router)
api.add_router("/consultations/", consultations_router)
api.add_router("/meetings/", meetings_router)
api.add_router("/reports/", reports_router)
