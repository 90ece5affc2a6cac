"""Reminders go once per item and step, even when the task runs twice or dies mid-run."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from peaceworks.meetings.models import ActionItem, ReminderSent
from peaceworks.meetings.selectors import reminder_steps
from peaceworks.meetings.services import action_item_create
from peaceworks.meetings.tasks import meetings_reminders

DUE = date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _steps(settings):
    settings.MEETINGS_REMINDER_DAYS_BEFORE = [7, 1]
    settings.MEETINGS_REMINDER_DAYS_AFTER = [1, 7]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def items(network_coordinator, org_coordinator, org_member, meeting):
    return [
        action_item_create(
            actor=network_coordinator,
            meeting=meeting,
            values={"title": f"Item {n}", "owner_user": owner, "due_date": DUE},
        )
        for n, owner in enumerate([org_coordinator, org_member, org_coordinator])
    ]


def test_steps_follow_the_settings():
    assert reminder_steps(due=DUE, today=date(2026, 5, 2)) == []
    assert reminder_steps(due=DUE, today=date(2026, 5, 3)) == ["before-7"]
    assert reminder_steps(due=DUE, today=date(2026, 5, 9)) == ["before-7", "before-1"]
    assert reminder_steps(due=DUE, today=date(2026, 5, 11)) == ["after-1"]
    assert reminder_steps(due=DUE, today=date(2026, 5, 17)) == ["after-1", "after-7"]


def test_running_the_task_twice_sends_each_step_once(items):
    meetings_reminders.enqueue("2026-05-03")
    meetings_reminders.enqueue("2026-05-03")
    assert len(mail.outbox) == 3
    meetings_reminders.enqueue("2026-05-09")  # before-1 is due; before-7 was sent
    assert len(mail.outbox) == 6
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 6
    assert {r.step for r in ReminderSent.objects.all()} == {"before-7", "before-1"}


def test_done_items_get_no_reminder(network_coordinator, items):
    items[0].status = ActionItem.Status.DONE
    items[0].save(update_fields=["status"])
    meetings_reminders.enqueue("2026-05-11")
    assert len(mail.outbox) == 2


class _DiesOnSecondMail(EmailBackend):
    """The worker dies while handing over the second e-mail."""

    sent = 0

    def send_messages(self, messages):
        type(self).sent += 1
        if type(self).sent == 2:
            raise RuntimeError("worker killed")
        return super().send_messages(messages)


def test_a_run_killed_mid_way_resumes_without_sending_twice(settings, items):
    settings.EMAIL_BACKEND = f"{__name__}._DiesOnSecondMail"
    _DiesOnSecondMail.sent = 0
    with pytest.raises(RuntimeError):
        meetings_reminders.call("2026-05-03")
    assert len(mail.outbox) == 1
    meetings_reminders.call("2026-05-03")  # the restarted worker runs it again
    meetings_reminders.call("2026-05-03")
    recipients = sorted(message.subject + message.to[0] for message in mail.outbox)
    assert len(recipients) == 3 == len(set(recipients))
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 3


def _run_database_worker(monkeypatch):
    """What ``peaceworks db_worker --batch`` does, in the test's database connection (the
    worker closes connections between tasks, which would end the test's transaction)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_on_the_database_queue_a_killed_run_and_a_second_job_send_each_step_once(
    settings, monkeypatch, items
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}._DiesOnSecondMail"
    _DiesOnSecondMail.sent = 0
    meetings_reminders.enqueue("2026-05-03")
    _run_database_worker(monkeypatch)  # dies on the second e-mail: the job fails
    assert DBTaskResult.objects.get().status == "FAILED"
    assert len(mail.outbox) == 1
    meetings_reminders.enqueue("2026-05-03")  # the retry, and a duplicate delivery
    meetings_reminders.enqueue("2026-05-03")
    _run_database_worker(monkeypatch)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "FAILED",
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]
    assert len(mail.outbox) == 3
    assert len({(m.subject, m.to[0], m.body) for m in mail.outbox}) == 3
