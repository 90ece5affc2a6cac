"""Background work of the directory. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from peaceworks.directory.services.webhooks import webhook_attempt, webhook_requeue_stuck


@task()
def webhook_deliver(delivery_id: int) -> str:
    """Try a webhook delivery once; when it must be tried again, queue this task for the
    time its backoff says (on backends that can defer: the database queue and RQ). A delivery
    already delivered or failed is left alone, so running this twice sends nothing more."""
    delivery = webhook_attempt(delivery_id=delivery_id)
    if delivery is None:
        return "not pending"
    if delivery.next_attempt_at is not None and webhook_deliver.get_backend().supports_defer:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)
    return delivery.state


@task()
def webhook_sweep() -> int:
    """Queue again the deliveries stuck pending past ``WEBHOOK_DELIVERY_LEASE_SECONDS`` (a
    worker died mid-attempt, a deferred retry was lost); run every few minutes by
    ``peaceworks webhook_sweep``. Returns how many were queued."""
    return webhook_requeue_stuck(lease=timedelta(seconds=settings.WEBHOOK_DELIVERY_LEASE_SECONDS))
