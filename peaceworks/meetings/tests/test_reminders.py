"""Reminders go once per item and step, even when the task runs twice or dies mid-run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import translation

from peaceworks.core.once import LEASE
from peaceworks.core.tests.sending import DYING, SLOW, WorkerKilled, at, run_together
from peaceworks.meetings.models import ActionItem, Participant, ReminderSent, RsvpReminderSent
from peaceworks.meetings.selectors import reminder_steps, rsvp_reminder_step
from peaceworks.meetings.services import action_item_create, participant_rsvp
from peaceworks.meetings.services.reminders import reminders_send, rsvp_reminders_send
from peaceworks.meetings.tasks import meetings_reminders, meetings_rsvp_reminders

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


def test_the_due_date_is_written_in_the_mails_language(items):
    """Dates in a reminder read as dates do on the pages, not as a machine's ISO date."""
    with translation.override("fr"):
        reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW))
    first = mail.outbox[0]
    assert "10 mai 2026" in first.subject
    assert "10 mai 2026" in first.body
    assert "2026-05-10" not in first.subject + first.body


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


# A worker that dies between claim and mail, and runs at once ------------------------------


NOW = datetime(2026, 5, 3, 7, 0, tzinfo=UTC)


def test_a_claim_whose_worker_died_before_the_mail_is_sent_after_the_lease_not_before(
    settings, items
):
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):
        reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW))
    claim = ReminderSent.objects.get()  # claimed, never sent
    assert claim.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    # the restarted worker, within the lease: the claim may still be live, it waits
    assert reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW + LEASE)) == 2
    assert sorted(m.subject + m.to[0] for m in mail.outbox) == sorted(
        f"Due on 10 May 2026: Item {n}" + item.owner_user.email
        for n, item in enumerate(items)
        if item.pk != claim.item_id
    )
    # once the lease is over the lapsed claim is taken over and sent, once
    later = NOW + LEASE + timedelta(seconds=1)
    assert reminders_send(actor=None, today=date(2026, 5, 3), clock=at(later)) == 1
    assert reminders_send(actor=None, today=date(2026, 5, 3), clock=at(later)) == 0
    assert len(mail.outbox) == 3
    assert len({(m.subject, m.to[0]) for m in mail.outbox}) == 3
    assert ReminderSent.objects.filter(sent_at__isnull=True).count() == 0
    assert ReminderSent.objects.count() == 3


def test_a_sent_reminder_is_not_sent_again_after_the_lease(items):
    reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW))
    reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW + LEASE * 10))
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(settings, items):
    settings.EMAIL_BACKEND = SLOW
    errors = run_together(
        2, lambda: reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW))
    )
    assert errors == []
    assert len(mail.outbox) == 3
    assert len({(m.subject, m.to[0]) for m in mail.outbox}) == 3


@pytest.mark.django_db(transaction=True)
def test_two_runs_after_the_lease_send_a_dead_worker_s_reminder_once(settings, items):
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):
        reminders_send(actor=None, today=date(2026, 5, 3), clock=at(NOW))
    settings.EMAIL_BACKEND = SLOW
    later = NOW + LEASE + timedelta(seconds=1)
    errors = run_together(
        2, lambda: reminders_send(actor=None, today=date(2026, 5, 3), clock=at(later))
    )
    assert errors == []
    assert len({(m.subject, m.to[0]) for m in mail.outbox}) == len(mail.outbox) == 3
    assert not ReminderSent.objects.filter(sent_at__isnull=True).exists()


# RSVP reminders ----------------------------------------------------------------------------

START = date(2026, 4, 13)  # the meeting fixture's first day


@pytest.fixture
def invited(settings, add_participant, org_coordinator, org_member, outsider):
    """Three invited people with accounts; the outsider (a guest) has declined."""
    settings.MEETINGS_RSVP_REMINDER_DAYS_BEFORE = [7, 2]
    return {
        "coordinator": add_participant(org_coordinator),
        "member": add_participant(org_member, Participant.Role.NOTE_TAKER),
        "declined": add_participant(outsider, Participant.Role.GUEST, rsvp="declined"),
    }


def test_rsvp_steps_follow_the_settings(settings):
    settings.MEETINGS_RSVP_REMINDER_DAYS_BEFORE = [7, 2]
    assert rsvp_reminder_step(start=START, today=date(2026, 4, 5)) is None
    assert rsvp_reminder_step(start=START, today=date(2026, 4, 6)) == "rsvp-7"
    assert rsvp_reminder_step(start=START, today=date(2026, 4, 10)) == "rsvp-7"
    assert rsvp_reminder_step(start=START, today=date(2026, 4, 11)) == "rsvp-2"
    assert rsvp_reminder_step(start=START, today=START) is None  # the meeting has begun


def test_unanswered_invitations_get_one_reminder_per_step(invited, org_coordinator, org_member):
    meetings_rsvp_reminders.enqueue("2026-04-06")
    meetings_rsvp_reminders.enqueue("2026-04-06")  # the task runs twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org_coordinator.email, org_member.email])
    assert all(m.subject.startswith("Will you come?") for m in mail.outbox)
    assert "/meetings/" in mail.outbox[0].body
    meetings_rsvp_reminders.enqueue("2026-04-08")  # still the 7-day step: nothing new
    assert len(mail.outbox) == 2
    meetings_rsvp_reminders.enqueue("2026-04-11")
    meetings_rsvp_reminders.enqueue("2026-04-12")
    assert len(mail.outbox) == 4
    assert sorted(RsvpReminderSent.objects.values_list("step", flat=True)) == [
        "rsvp-2",
        "rsvp-2",
        "rsvp-7",
        "rsvp-7",
    ]


def test_no_reminder_after_an_answer(meeting, invited, org_coordinator, org_member):
    participant_rsvp(actor=org_coordinator, meeting=meeting, answer="accepted")
    meetings_rsvp_reminders.enqueue("2026-04-06")
    assert [m.to for m in mail.outbox] == [[org_member.email]]
    participant_rsvp(actor=org_member, meeting=meeting, answer="tentative")
    meetings_rsvp_reminders.enqueue("2026-04-11")
    assert len(mail.outbox) == 1


def test_the_daily_command_queues_both_reminder_tasks(invited, items):
    from django.core.management import call_command

    call_command("meeting_reminders", "--date", "2026-05-03")  # items due 2026-05-10
    call_command("meeting_reminders", "--date", "2026-04-06")  # the meeting starts 04-13
    assert len([m for m in mail.outbox if m.subject.startswith("Due on")]) == 3
    assert len([m for m in mail.outbox if m.subject.startswith("Will you come?")]) == 2


def test_an_rsvp_reminder_whose_worker_died_is_sent_after_the_lease_not_before(
    settings, invited, org_coordinator, org_member
):
    moment = datetime(2026, 4, 6, 7, 0, tzinfo=UTC)
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):
        rsvp_reminders_send(actor=None, today=date(2026, 4, 6), clock=at(moment))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert rsvp_reminders_send(actor=None, today=date(2026, 4, 6), clock=at(moment + LEASE)) == 1
    later = moment + LEASE + timedelta(seconds=1)
    assert rsvp_reminders_send(actor=None, today=date(2026, 4, 6), clock=at(later)) == 1
    assert rsvp_reminders_send(actor=None, today=date(2026, 4, 6), clock=at(later)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org_coordinator.email, org_member.email])
    assert not RsvpReminderSent.objects.filter(sent_at__isnull=True).exists()
