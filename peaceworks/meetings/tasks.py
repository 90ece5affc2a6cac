"""Background work of meetings. Tasks take ids (or a date), are idempotent and call one
service."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from peaceworks.meetings.services import (
    participant_invitation_send,
    reminders_send,
    rsvp_reminders_send,
)


@task()
def meetings_reminders(today: str = "") -> int:
    """Send the action-item reminders due on ``today`` (ISO date; default: the current date).

    Each (item, step) is claimed in the database before its e-mail goes and marked sent
    after, so running this twice sends no reminder twice, and a run after a worker was
    killed between claim and mail sends the lapsed claim (see ``core.once``)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return reminders_send(actor=None, today=day)


@task()
def participant_invite(participant_id: int) -> bool:
    """E-mail a participant's invitation; running it again after success sends nothing."""
    return participant_invitation_send(actor=None, participant_id=participant_id)


@task()
def meetings_rsvp_reminders(today: str = "") -> int:
    """Remind invited participants who have not answered, once per participant and step
    (ISO date ``today``; default: the current date)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return rsvp_reminders_send(actor=None, today=day)
