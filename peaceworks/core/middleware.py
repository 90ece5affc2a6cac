"""Request context for the audit log, and the security headers every response carries."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peaceworks.core import problems
from peaceworks.core.context import client_ip

logger = logging.getLogger(__name__)

# Scripts only from our own origin; no inline script anywhere. Charts are server-rendered
# SVG whose presentation attributes need inline styles, so styles allow 'unsafe-inline'.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = request.META.get("REMOTE_ADDR") or None
        if settings.USE_X_FORWARDED_FOR:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                address = forwarded.split(",")[0].strip() or address
        token = client_ip.set(address)
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


#: ODK Collect's endpoints (``peaceworks.impact.views.openrosa``) are answered in OpenRosa XML
OPENROSA_PATH = "/openrosa/"
OPENROSA_MESSAGE = (
    '<OpenRosaResponse xmlns="http://openrosa.org/http/response"><message>%s</message>'
    "</OpenRosaResponse>"
)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over ``MAX_UPLOAD_MB`` with 413, before any of
    it is read: problem+json under ``/api/``, a page with the limit elsewhere. (A body sent
    without a length is capped by ``DATA_UPLOAD_MAX_MEMORY_SIZE`` while Django reads it.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return self.too_large(request)
        return self.get_response(request)

    def too_large(self, request: HttpRequest) -> HttpResponse:
        detail = _("The request is larger than the limit of %(limit)s MB.") % {
            "limit": settings.MAX_UPLOAD_MB
        }
        if request.path.startswith("/api/"):
            return problems.problem_response(413, problems.title_for(413), detail)
        if OPENROSA_PATH in request.path:
            response = HttpResponse(
                OPENROSA_MESSAGE % escape(detail), status=413, content_type="text/xml"
            )
            response["X-OpenRosa-Version"] = "1.0"
            response["Connection"] = "close"
            return response
        response = render(request, "core/too_large.html", {"detail": detail}, status=413)
        response["Connection"] = "close"  # the unread body must not be parsed as a request
        return response


RETRY_AFTER_SECONDS = 5


def database_unavailable_response(request: HttpRequest, exception: Exception) -> HttpResponse:
    """503 with ``Retry-After`` for a database that is briefly unreachable or busy (a restart,
    a dropped connection, SQLite's "database is locked"): problem+json under ``/api/``, a short
    page elsewhere. The request's transaction was rolled back, so sending it again is safe."""
    logger.warning("Database unavailable for %s: %s", request.path, exception)
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    detail = _("The service is briefly unavailable; please send your request again.")
    if request.path.startswith("/api/"):
        response = problems.problem_response(503, problems.title_for(503), detail)
    else:
        # no request context: the context processors would query the database again
        page = render_to_string(
            "core/unavailable.html", {"detail": detail, "language": get_language()}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answers a view's ``OperationalError``/``InterfaceError`` with
    :func:`database_unavailable_response` instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable_response(request, exception)
        return None
