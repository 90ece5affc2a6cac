"""Reminder e-mails of meetings: action items before and after their due date, and invited
participants who have not answered before the meeting.

Each (item or participant, step) is sent once through :func:`peaceworks.core.once.send_once`:
claimed before the e-mail goes, marked ``sent_at`` after, a claim left unsent past
``core.once.LEASE`` (its worker died) taken over by a later run.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.accounts.models import Membership
from peaceworks.core.audit import audit_record
from peaceworks.core.once import Clock, send_once
from peaceworks.directory.models import WebhookEvent
from peaceworks.directory.services.webhooks import webhook_emit
from peaceworks.meetings.models import ActionItem, Participant, ReminderSent, RsvpReminderSent
from peaceworks.meetings.selectors import (
    invitation_values,
    reminder_steps,
    rsvp_reminder_step,
)


def _sent_steps(
    rows: models.QuerySet[ReminderSent] | models.QuerySet[RsvpReminderSent],
) -> set[str]:
    return set(rows.filter(sent_at__isnull=False).values_list("step", flat=True))


# Action items ------------------------------------------------------------------------------


def _recipients(item: ActionItem) -> list[str]:
    if item.owner_user is not None and item.owner_user.email:
        return [item.owner_user.email]
    if item.owner_organisation_id is None:
        return []
    return sorted(
        Membership.objects.filter(
            organisation_id=item.owner_organisation_id, role="org_coordinator"
        ).values_list("user__email", flat=True)
    )


def _reminder_send(*, item: ActionItem, step: str, clock: Clock) -> bool:
    """Send one reminder step of ``item`` unless it was sent (or is being sent) already."""
    recipients = _recipients(item)
    if not recipients:
        return False
    overdue = step.startswith("after-")
    due = date_format(item.due_date)  # in the mail's language ("10 May 2026")
    subject = (_("Overdue: %(title)s") if overdue else _("Due on %(date)s: %(title)s")) % {
        "title": item.title,
        "date": due,
    }
    link = settings.SITE_URL + reverse("meetings:my_items")
    body = _("%(title)s\n\nMeeting: %(meeting)s\nDue: %(date)s\n\nYour action items: %(link)s") % {
        "title": item.title,
        "meeting": item.meeting.title,
        "date": due,
        "link": link,
    }
    if not send_once(
        ReminderSent,
        key={"item_id": item.pk, "step": step},
        clock=clock,
        send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients),
    ):
        return False
    audit_record(actor=None, action="action_item.reminder", target=item, changes={"step": step})
    webhook_emit(
        event=WebhookEvent.ACTION_ITEM_DUE,
        organisation_ids=[item.owner_organisation_id],
        payload={
            "action_item_id": item.pk,
            "meeting_id": item.meeting_id,
            "title": item.title,
            "due_date": item.due_date.isoformat(),
            "step": step,
        },
    )
    return True


def reminders_send(*, actor: Actor, today: date, clock: Clock = timezone.now) -> int:
    """Send every action-item reminder step due on ``today`` once (the task runs it daily),
    and any step whose claim lapsed by ``clock``; returns how many e-mails went out."""
    if actor is not None:
        viewer_for(actor).require_network_staff()
    longest_before = max(settings.MEETINGS_REMINDER_DAYS_BEFORE, default=0)
    items = ActionItem.objects.filter(
        status__in=ActionItem.OPEN_STATUSES,
        due_date__lte=today + timedelta(days=longest_before),
    ).select_related("owner_user", "meeting")
    if not settings.MEETINGS_REMINDER_DAYS_AFTER:
        items = items.filter(due_date__gte=today)
    sent = 0
    for item in items.order_by("due_date", "id"):
        done = _sent_steps(item.reminders.all())
        for step in reminder_steps(due=item.due_date, today=today):
            if step not in done and _reminder_send(item=item, step=step, clock=clock):
                sent += 1
    return sent


# RSVP --------------------------------------------------------------------------------------


def _rsvp_reminder_send(*, participant: Participant, step: str, clock: Clock) -> bool:
    user = participant.user
    if user is None or not user.email or not user.is_active:
        return False
    meeting = participant.meeting
    subject = _("Will you come? %(title)s") % {"title": meeting.title}
    body = _(
        "You are invited to %(title)s, %(start)s to %(end)s (%(place)s), and have not "
        "answered yet.\n\nAnswer and see the agenda: %(link)s"
    ) % invitation_values(meeting=meeting)
    recipients = [user.email]
    if not send_once(
        RsvpReminderSent,
        key={"participant_id": participant.pk, "step": step},
        clock=clock,
        send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients),
    ):
        return False
    audit_record(
        actor=None, action="participant.rsvp_reminder", target=participant, changes={"step": step}
    )
    return True


def rsvp_reminders_send(*, actor: Actor, today: date, clock: Clock = timezone.now) -> int:
    """Remind every participant with an account who has not answered, ``N`` days before the
    meeting (setting ``MEETINGS_RSVP_REMINDER_DAYS_BEFORE``): one e-mail per participant and
    step, the nearest step only when a run catches up on several. Returns how many went out."""
    if actor is not None:
        viewer_for(actor).require_network_staff()
    longest = max(settings.MEETINGS_RSVP_REMINDER_DAYS_BEFORE, default=-1)
    if longest < 0:
        return 0
    participants = (
        Participant.objects.filter(
            user__isnull=False,
            rsvp=Participant.Rsvp.PENDING,
            meeting__start_date__gt=today,
            meeting__start_date__lte=today + timedelta(days=longest),
        )
        .select_related("meeting", "user")
        .order_by("meeting__start_date", "id")
    )
    sent = 0
    for participant in participants:
        step = rsvp_reminder_step(start=participant.meeting.start_date, today=today)
        if step is None or step in _sent_steps(participant.rsvp_reminders.all()):
            continue
        if _rsvp_reminder_send(participant=participant, step=step, clock=clock):
            sent += 1
    return sent
