"""``Idempotency-Key`` on the API's creates: the same key with the same request gets the first
answer again, never a second object; the same key with another request is 422.

A client that timed out cannot know whether its ``POST`` was stored; it sends the request
again with the same key. The first request claims the key (a row with no answer yet, under a
unique constraint, so two copies sent at once cannot both run: the second is 409 and may be
retried), its successful answer (2xx) is kept for ``IDEMPOTENCY_TTL`` and replayed with
``Idempotent-Replayed: true``. An error answer frees the key: the client may correct the
request and send it again with the same key. Keys are per client (``scope``): a fingerprint
of the bearer token, or the signed-in session's user; requests with neither (the public
survey submission, idempotent by its own ``submission_id``) are not tracked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.core import problems
from peaceworks.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _scope(request: HttpRequest) -> str | None:
    authorization = request.headers.get("Authorization")
    if authorization:
        return "bearer:" + hashlib.sha256(authorization.encode()).hexdigest()[:48]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isprintable() and key.isascii()


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status or 200, content_type=record.content_type
    )
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request: HttpRequest, run: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer ``request`` by ``run()`` at most once per idempotency key (see the module)."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return run()
    if not _valid_key(key):
        return problems.problem(
            400,
            _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
            code="idempotency_key_invalid",
        )
    scope = _scope(request)
    if scope is None:
        return run()
    try:
        body = request.body
    except RequestDataTooBig:
        return run()  # the operation answers 413 itself
    digest = hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                scope=scope,
                key=key,
                method=request.method,
                path=request.path[:500],
                body_sha256=digest,
            )
    except IntegrityError:
        return _answer_repeat(request, scope=scope, key=key, digest=digest, run=run)
    try:
        response = run()
    except BaseException:
        record.delete()
        raise
    if 200 <= response.status_code < 300 and not response.streaming:
        record.status = response.status_code
        record.content_type = response.get("Content-Type", "")[:100]
        record.body = response.content
        record.location = response.get("Location", "")[:500]
        record.save(update_fields=["status", "content_type", "body", "location"])
    else:
        record.delete()
    return response


def _answer_repeat(
    request: HttpRequest, *, scope: str, key: str, digest: str, run: Callable[[], HttpResponse]
) -> HttpResponse:
    record = IdempotentRequest.objects.filter(scope=scope, key=key).first()
    if record is None or record.created_at < timezone.now() - IDEMPOTENCY_TTL:
        # freed (an error answer) or lapsed meanwhile: this request is a first one
        IdempotentRequest.objects.filter(scope=scope, key=key).delete()
        return idempotent(request, run)
    if (record.method, record.path, record.body_sha256) != (
        request.method,
        request.path[:500],
        digest,
    ):
        return problems.problem(
            422,
            _("This Idempotency-Key was already used for a different request."),
            code="idempotency_key_reused",
        )
    if record.status is None:
        response = problems.problem(
            409,
            _("A request with this Idempotency-Key is still being processed; send it again."),
            code="idempotency_key_in_flight",
        )
        response["Retry-After"] = "1"
        return response
    return _replay(record)


def purge_idempotency_keys(cutoff: datetime, dry_run: bool) -> int:
    """Forget kept answers older than ``IDEMPOTENCY_TTL`` (whatever the retention cut-off:
    they are only useful while a client may still resend)."""
    lapsed = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_TTL)
    if dry_run:
        return lapsed.count()
    deleted, _by_model = lapsed.delete()
    return deleted
