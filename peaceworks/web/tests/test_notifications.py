"""Notifications on the site and e-mail digests: made once per item and event, sent once per
person and period, as each person chose (the day is always given: no test reads the clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from peaceworks.accounts.models import DigestFrequency, DigestSent, Notification
from peaceworks.accounts.notifications import (
    digest_frequency_set,
    digest_period,
    digests_send,
    notifications_collect,
)
from peaceworks.accounts.tasks import notifications_run
from peaceworks.campaigns.services import action_update
from peaceworks.core.once import LEASE
from peaceworks.core.tests.sending import DYING, SLOW, WorkerKilled, at, run_together
from peaceworks.impact.models import Response
from peaceworks.web.tests.needs import TODAY as MONDAY


def run(day: date) -> dict[str, int]:
    return notifications_run.call(day.isoformat())


def keys(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_each_item_is_notified_once_when_the_task_runs_twice(needs, org_coordinator):
    first = run(MONDAY)
    assert first["notifications"] > 0
    made = Notification.objects.count()
    assert run(MONDAY) == {"notifications": 0, "digests": 0}
    assert Notification.objects.count() == made
    assert keys(org_coordinator) == {
        f"campaigns.action:{needs.action.pk}:overdue:2026-11-27",
        f"impact.round:{needs.own_round.pk}:closes:2026-12-12",
        f"impact.harm:{needs.harm.pk}",
        f"meetings.item:{needs.item.pk}:due:2026-12-10",
    }


def test_nobody_is_notified_of_what_they_may_not_open(needs, outsider, org_member):
    run(MONDAY)
    assert keys(outsider) == {f"impact.round:{needs.other_round.pk}:closes:2026-12-12"}
    assert not any(key.startswith("impact.harm") for key in keys(org_member))


def test_a_weekly_digest_goes_once_a_week_with_what_was_not_mailed(needs, org_coordinator):
    run(MONDAY)
    mine = [message for message in mail.outbox if message.to == [org_coordinator.email]]
    assert len(mine) == 1
    assert "Train the camp leaders" in mine[0].body
    assert "Share the camp calendar" in mine[0].body
    # the rest of the week: nothing more, even with a new item
    mail.outbox.clear()
    for offset in range(1, 7):
        run(MONDAY + timedelta(days=offset))
    assert [m for m in mail.outbox if m.to == [org_coordinator.email]] == []
    assert DigestSent.objects.filter(user=org_coordinator).count() == 1
    assert not Notification.objects.filter(user=org_coordinator, emailed_at__isnull=True).exists()


def test_a_daily_digest_goes_each_day_there_is_something_new(
    needs, org_coordinator, network_coordinator
):
    digest_frequency_set(actor=org_coordinator, frequency=DigestFrequency.DAILY)
    run(MONDAY)
    run(MONDAY)
    assert len([m for m in mail.outbox if m.to == [org_coordinator.email]]) == 1
    mail.outbox.clear()
    run(MONDAY + timedelta(days=1))  # nothing new on Tuesday: no e-mail
    assert [m for m in mail.outbox if m.to == [org_coordinator.email]] == []
    # the action's due date moves and it is overdue again: a new event, a new e-mail
    action_update(
        actor=network_coordinator,
        action=needs.action,
        changes={"due_date": MONDAY - timedelta(days=1)},
    )
    run(MONDAY + timedelta(days=2))
    (message,) = [m for m in mail.outbox if m.to == [org_coordinator.email]]
    assert "Train the camp leaders" in message.body
    assert "Share the camp calendar" not in message.body


def test_who_opted_out_gets_no_email_but_still_sees_the_notifications(
    needs, org_coordinator, client_for
):
    client = client_for(org_coordinator)
    response = client.post(reverse("accounts:digest"), {"digest_frequency": "never"})
    assert response.status_code == 302
    run(MONDAY)
    assert [m for m in mail.outbox if m.to == [org_coordinator.email]] == []
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "Train the camp leaders" in page
    assert "4 new" in page  # the bell in the header


def test_a_digest_period_is_the_day_or_the_iso_week():
    assert digest_period(frequency="daily", today=MONDAY) == "2026-12-07"
    assert digest_period(frequency="weekly", today=MONDAY) == "2026-W50"
    assert digest_period(frequency="weekly", today=date(2026, 12, 13)) == "2026-W50"
    assert digest_period(frequency="never", today=MONDAY) is None


def test_marking_as_read_is_one_s_own_business(needs, org_coordinator, outsider, client_for):
    run(MONDAY)
    theirs = Notification.objects.filter(user=outsider).first()
    mine = Notification.objects.filter(user=org_coordinator).first()
    client = client_for(org_coordinator)
    assert client.post(reverse("accounts:notification_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:notification_read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None
    org_coordinator.refresh_from_db()
    assert org_coordinator.unread_notifications == 3  # the header's count follows
    client.post(reverse("accounts:notifications_read"))
    assert not Notification.objects.filter(user=org_coordinator, read_at__isnull=True).exists()
    assert 'data-testid="unread-notifications"' not in client.get("/dashboard/").content.decode()


def test_a_refused_digest_choice_is_shown_at_the_field(client_for, org_member):
    response = client_for(org_member).post(
        reverse("accounts:digest"), {"digest_frequency": "hourly"}
    )
    assert response.status_code == 400
    assert "digest_frequency" in response.content.decode()


def test_a_digest_groups_by_kind_and_counts_what_it_does_not_list(needs, network_coordinator):
    for _number in range(11):  # 12 answers reporting harm in all
        Response.objects.create(
            round=needs.own_round,
            instrument_version=needs.own_round.instrument,
            language="en",
            payload_hash="1" * 64,
            consent_version="1",
            harm_status=Response.HarmStatus.PENDING,
        )
    run(MONDAY)
    (message,) = [m for m in mail.outbox if m.to == [network_coordinator.email]]
    assert "Answers reporting harm, waiting for review (12)" in message.body
    assert "- and 2 more" in message.body
    assert "Survey rounds closing in the next 14 days (2)" in message.body
    assert message.subject == "Peaceworks: 15 things need you"


# A worker that dies between claim and mail, and runs at once ------------------------------

AT = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # Monday morning, when the daily task runs
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _notified() -> list[str]:
    """Who has notifications not e-mailed yet (everyone here keeps the weekly default)."""
    return sorted(
        set(
            Notification.objects.filter(emailed_at__isnull=True).values_list(
                "user__email", flat=True
            )
        )
    )


def test_a_digest_whose_worker_died_is_sent_after_the_lease_and_not_before(settings, needs):
    notifications_collect(actor=None, today=MONDAY)
    notified = _notified()
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):
        digests_send(actor=None, today=MONDAY, clock=at(AT))
    claim = DigestSent.objects.select_related("user").get()  # claimed, never sent
    assert claim.sent_at is None
    settings.EMAIL_BACKEND = LOCMEM
    # within the lease the claim may still be live: everyone else's digest goes
    digests_send(actor=None, today=MONDAY, clock=at(AT + LEASE))
    assert sorted(m.to[0] for m in mail.outbox) == [e for e in notified if e != claim.user.email]
    later = AT + LEASE + timedelta(seconds=1)
    assert digests_send(actor=None, today=MONDAY, clock=at(later)) == 1
    assert digests_send(actor=None, today=MONDAY, clock=at(later)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == notified
    assert _notified() == []
    assert not DigestSent.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(settings, needs):
    notifications_collect(actor=None, today=MONDAY)
    notified = _notified()
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):  # one claim left to be taken over after the lease
        digests_send(actor=None, today=MONDAY, clock=at(AT))
    settings.EMAIL_BACKEND = SLOW
    later = AT + LEASE + timedelta(seconds=1)
    errors = run_together(2, lambda: digests_send(actor=None, today=MONDAY, clock=at(later)))
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == notified
