"""The signed-in account of a request (``request.user``), its row read by hand.

Django's ``AuthenticationMiddleware`` loads the account through the session's backend: for
the model backend (every sign-in of the product) ``User.objects.get(pk=…)``, a query whose
building through the ORM cost more than running it, on every signed-in request. This
middleware does what Django's does, in the same steps (``django.contrib.auth.get_user``:
the session's account, refused when inactive, the session verified against the password's
hash and its fallbacks), reading that row with one written statement (``core.rows``). A
session of any other backend goes through Django's own ``get_user``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from peaceworks.accounts.models import User
from peaceworks.core.rows import Columns, statement_cursor

#: the backend every sign-in of the product records in its session
MODEL_BACKEND = f"{ModelBackend.__module__}.{ModelBackend.__qualname__}"

_USER = Columns(User, "u")


@cache
def _user_sql(vendor: str) -> str:
    """Every column of the account ``%s``."""
    quote = connection.ops.quote_name
    return (
        f"SELECT {_USER.sql()} FROM {quote(User._meta.db_table)} {quote('u')} "  # noqa: S608
        f"WHERE {quote('u')}.{quote(User._meta.pk.column)} = %s"  # model names, not input
    )


def _account(user_id: Any) -> User | None:
    """``ModelBackend().get_user(user_id)``: the account, None when there is none or it may
    not sign in (inactive)."""
    with statement_cursor() as cursor:
        cursor.execute(_user_sql(connection.vendor), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = _USER.instance(row)
    return user if ModelBackend().user_can_authenticate(user) else None


def session_user(request: HttpRequest) -> User | AnonymousUser:
    """``django.contrib.auth.get_user(request)``, the model backend's account read by hand."""
    session = request.session
    if (
        session.get(BACKEND_SESSION_KEY) != MODEL_BACKEND
        or MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    try:
        # stored as text (django.contrib.auth._get_user_session_key)
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
    except KeyError:
        return AnonymousUser()
    user = _account(user_id)
    if user is None:
        return AnonymousUser()
    # Verify the session (django.contrib.auth.get_user's steps, in its order)
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash:
        session_hash_verified = False
    else:
        session_auth_hash = user.get_session_auth_hash()
        session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
    if not session_hash_verified:
        # a hash made with one of the fallback secrets is renewed with the current one
        if session_hash and any(
            constant_time_compare(session_hash, fallback_auth_hash)
            for fallback_auth_hash in user.get_session_auth_fallback_hash()
        ):
            session.cycle_key()
            session[HASH_SESSION_KEY] = session_auth_hash
        else:
            session.flush()
            return AnonymousUser()
    return user


def _cached_user(request: HttpRequest) -> User | AnonymousUser:
    """The request's account, read once (``django.contrib.auth.middleware.get_user``)."""
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]  # Django's slot
    user: User | AnonymousUser = request._cached_user  # type: ignore[attr-defined]  # as above
    return user


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's authentication middleware with ``request.user`` from :func:`session_user`
    (``request.auser``, for asynchronous views, stays Django's)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]
