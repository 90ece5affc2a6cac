"""Issue 21: a delivery whose worker died mid-attempt (or whose deferred retry was lost) is
queued again by the periodic sweep once its lease has passed — and not before, so an attempt
still running is never doubled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from peaceworks.directory.models import WebhookDelivery, WebhookEvent
from peaceworks.directory.services import webhooks as services
from peaceworks.directory.tasks import webhook_sweep
from peaceworks.directory.tests.test_webhooks import EVENTS, receiver  # noqa: F401  # fixture

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def stuck_delivery(org_coordinator, organisation, url: str, *, at: datetime) -> WebhookDelivery:
    """A delivery whose worker counted an attempt at ``at`` and died before its answer."""
    services.webhook_subscribe(
        actor=org_coordinator, organisation=organisation, url=url, events=EVENTS
    )
    services.webhook_emit(
        event=WebhookEvent.RESPONSE_RECEIVED, organisation_ids=[organisation.pk], payload={}
    )
    WebhookDelivery.objects.update(attempts=1, next_attempt_at=at, updated_at=at)
    return WebhookDelivery.objects.get()


def test_a_delivery_stuck_past_its_lease_is_sent_again(
    receiver,  # noqa: F811
    org_coordinator,
    organisation,
    django_capture_on_commit_callbacks,
):
    delivery = stuck_delivery(org_coordinator, organisation, receiver.url(), at=NOON)
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.webhook_requeue_stuck(lease=LEASE, now=NOON + LEASE + timedelta(1))
    assert queued == 1
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.DELIVERED
    assert len(receiver.received) == 1


def test_a_delivery_within_its_lease_is_left_to_its_worker(
    receiver,  # noqa: F811
    org_coordinator,
    organisation,
    django_capture_on_commit_callbacks,
):
    stuck_delivery(org_coordinator, organisation, receiver.url(), at=NOON)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = services.webhook_requeue_stuck(lease=LEASE, now=NOON + LEASE - timedelta(1))
    assert (queued, callbacks) == (0, [])


def test_a_swept_delivery_is_not_queued_twice_within_the_lease(
    receiver,  # noqa: F811
    org_coordinator,
    organisation,
    django_capture_on_commit_callbacks,
):
    stuck_delivery(org_coordinator, organisation, receiver.url(), at=NOON)
    later = NOON + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.webhook_requeue_stuck(lease=LEASE, now=later)
        second = services.webhook_requeue_stuck(lease=LEASE, now=later + timedelta(minutes=1))
    assert (first, second, len(callbacks)) == (1, 0, 1)


def test_delivered_and_failed_deliveries_are_not_swept(
    receiver,  # noqa: F811
    org_coordinator,
    organisation,
    django_capture_on_commit_callbacks,
):
    stuck_delivery(org_coordinator, organisation, receiver.url(), at=NOON)
    WebhookDelivery.objects.update(state=WebhookDelivery.State.FAILED)
    assert services.webhook_requeue_stuck(lease=LEASE, now=NOON + timedelta(days=1)) == 0


def test_the_command_queues_the_sweep_task(
    receiver,  # noqa: F811
    org_coordinator,
    organisation,
    capsys,
):
    stuck_delivery(org_coordinator, organisation, receiver.url(), at=NOON)
    call_command("webhook_sweep")
    assert "Queued the webhook sweep" in capsys.readouterr().out
    # the test task backend runs the queued task at once: the stuck delivery was queued again
    assert WebhookDelivery.objects.get().next_attempt_at > NOON
    assert webhook_sweep.call() == 0  # and is within its new lease now
