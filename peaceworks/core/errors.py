"""Domain errors that services and access functions raise.

Views let Django turn :class:`NotFound` and :class:`Forbidden` into 404 and 403 pages;
``config/api.py`` maps every class here to a problem+json response.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class NotFound(Http404):
    """The object does not exist, or the viewer may not know that it exists."""


class Forbidden(PermissionDenied):
    """The viewer may see the object but not do this to it."""


class DomainError(Exception):
    """A request that breaks a rule of the domain; the message is shown to the person."""

    status_code = 400
    code: str | None = None  # a stable code more precise than the status's own

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(DomainError):
    """The request contradicts what is already stored (e.g. a resubmission that differs)."""

    status_code = 409


class Unavailable(DomainError):
    """A dependency (the database) is briefly unavailable; the client should retry."""

    status_code = 503


class Gone(DomainError):
    """The thing asked for existed but has lapsed (e.g. an upload past its expiry)."""

    status_code = 410


class TooLarge(DomainError):
    """The request carries more than a configured limit allows."""

    status_code = 413
