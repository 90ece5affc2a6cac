"""Webhooks: an organisation's coordinators subscribe an HTTPS endpoint to events; the apps
emit events; the task worker delivers each, signed, retried with exponential backoff, every
attempt logged; a failed delivery can be replayed from the page or the API.

Addresses are checked when a subscription is saved and again at each delivery
(``directory.webhooks``).
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.rows import Columns, statement_cursor
from peaceworks.core.scheduling import enqueue_on_commit
from peaceworks.directory import webhooks
from peaceworks.directory.models import (
    Organisation,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from peaceworks.directory.selectors import organisation_get_for_user

DELIVER_TASK = "peaceworks.directory.tasks.webhook_deliver"
#: attempts before a delivery is marked failed: after 30 s, 2 min, 8 min, 32 min, ~2 h
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
BACKOFF_FACTOR = 4


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    factor: int = BACKOFF_FACTOR ** (attempts - 1)
    return FIRST_RETRY * factor


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    unknown = [event for event in chosen if event not in WebhookEvent.values]
    if unknown or not chosen:
        raise DomainError(_("Choose one or more of the events offered."), field="events")
    return chosen


@transaction.atomic
def webhook_subscribe(
    *, actor: Actor, organisation: Organisation, url: str, events: Iterable[str]
) -> WebhookSubscription:
    """Subscribe ``url`` to ``events`` for the organisation (its coordinators or network
    staff); refused when the URL leads anywhere but public addresses."""
    organisation = organisation_get_for_user(user=actor, pk=organisation.pk, write=True)
    chosen = _clean_events(events)
    try:
        webhooks.check_url(url)
    except webhooks.WebhookRefused as refused:
        raise DomainError(str(refused), field="url") from refused
    subscription = WebhookSubscription(
        organisation=organisation,
        url=url,
        events=chosen,
        secret=secrets.token_hex(32),
        created_by=user_of(actor),
    )
    subscription.full_clean()
    subscription.save()
    audit_record(
        actor=actor, action="webhook.subscribe", target=subscription, changes={"events": chosen}
    )
    return subscription


@transaction.atomic
def webhook_unsubscribe(*, actor: Actor, subscription: WebhookSubscription) -> None:
    organisation_get_for_user(user=actor, pk=subscription.organisation_id, write=True)
    audit_record(actor=actor, action="webhook.unsubscribe", target=subscription)
    subscription.delete()


_SUBSCRIPTION = Columns(WebhookSubscription, "s")


def _active_subscriptions(
    organisation_ids: Iterable[int | None] | None,
) -> list[WebhookSubscription]:
    """The active subscriptions of these organisations (``None``: of all), in the model's
    order. A plain statement (``core.rows``): every survey submission asks, and the ORM's
    query building cost more than the read, which finds none for most organisations."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {_SUBSCRIPTION.sql()} "  # noqa: S608 -- model names
        f"FROM {quote(WebhookSubscription._meta.db_table)} s "
        f'JOIN {quote(Organisation._meta.db_table)} o ON o."id" = s."organisation_id" '
        'WHERE s."is_active"'
    )
    params: list[int] = []
    if organisation_ids is not None:
        params = [pk for pk in organisation_ids if pk]
        if not params:
            return []
        sql += f' AND s."organisation_id" IN ({", ".join(["%s"] * len(params))})'
    sql += ' ORDER BY o."name", s."url"'
    with statement_cursor() as cursor:
        cursor.execute(sql, params)
        return [_SUBSCRIPTION.instance(row) for row in cursor.fetchall()]


def webhook_emit(
    *, event: str, organisation_ids: Iterable[int | None] | None, payload: Mapping[str, Any]
) -> int:
    """Queue ``event`` for every active subscription of these organisations (``None``: of
    every organisation, for news of the whole network) that asked for it — the system's own
    work: called by the services where the event happens, inside their transaction; the
    deliveries leave after commit. Returns how many were queued."""
    subscriptions = [
        subscription
        for subscription in _active_subscriptions(organisation_ids)
        if event in subscription.events
    ]
    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(
            subscription=subscription,
            event=event,
            event_id=uuid.uuid4(),
            payload=dict(payload),
            next_attempt_at=timezone.now(),
        )
        enqueue_on_commit(DELIVER_TASK, delivery.pk)
    return len(subscriptions)


def _body(delivery: WebhookDelivery) -> bytes:
    document = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "organisation_id": delivery.subscription.organisation_id,
        "data": delivery.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def webhook_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Try a pending delivery once (the task worker's work, for no one): log the attempt,
    mark it delivered on a 2xx answer, otherwise schedule the next attempt or, after
    ``MAX_ATTEMPTS``, mark it failed. A delivery no longer pending is left as it is."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id, state=WebhookDelivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.save(update_fields=["attempts", "updated_at"])
    subscription = delivery.subscription
    body = _body(delivery)
    headers = {
        webhooks.SIGNATURE_HEADER: webhooks.signature(
            subscription.secret, webhooks.now_timestamp(), body
        ),
        "Peaceworks-Event": delivery.event,
        "Peaceworks-Delivery": str(delivery.event_id),
    }
    started = time.monotonic()
    status: int | None = None
    address = ""
    error = ""
    try:
        answer = webhooks.send(subscription.url, body=body, headers=headers)
        status, address = answer.status, answer.address
        if not 200 <= status < 300:
            error = _("The receiver answered %(status)s.") % {"status": status}
    except webhooks.WebhookRefused as refused:
        error = str(refused)
    except OSError as failure:  # connection refused or reset, TLS, timeout
        error = f"{type(failure).__name__}: {failure}"[:300]
    WebhookAttempt.objects.create(
        delivery=delivery,
        address=address,
        status_code=status,
        error=error[:300],
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if not error:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = WebhookDelivery.State.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    delivery.save(update_fields=["state", "next_attempt_at", "updated_at"])
    return delivery


def webhook_requeue_stuck(*, lease: timedelta, now: datetime | None = None) -> int:
    """Queue again the deliveries left pending past their time by more than ``lease`` and
    untouched for as long — a worker that died mid-attempt, or a retry whose deferred task
    was lost — (the system's own work, for the periodic sweep). Each one's next attempt is
    set to ``now``, so a second sweep within the lease leaves it to the worker; an attempt
    still running (it touched the delivery within the lease) is not doubled. Returns how
    many were queued."""
    now = now or timezone.now()
    cutoff = now - lease
    with transaction.atomic():
        stuck = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                state=WebhookDelivery.State.PENDING,
                next_attempt_at__lte=cutoff,
                updated_at__lte=cutoff,
            )
            .values_list("pk", flat=True)[:500]
        )
        WebhookDelivery.objects.filter(pk__in=stuck).update(next_attempt_at=now, updated_at=now)
        for delivery_id in stuck:
            enqueue_on_commit(DELIVER_TASK, delivery_id)
    return len(stuck)


@transaction.atomic
def webhook_replay(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (its coordinators or network staff): a new round of attempts,
    the earlier ones kept in its log."""
    organisation_get_for_user(user=actor, pk=delivery.subscription.organisation_id, write=True)
    delivery.state = WebhookDelivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "updated_at"])
    audit_record(actor=actor, action="webhook.replay", target=delivery)
    enqueue_on_commit(DELIVER_TASK, delivery.pk)
    return delivery
