"""Background work of accounts. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from peaceworks.accounts.notifications import digests_send, notifications_collect
from peaceworks.accounts.services import invitation_email_send


@task()
def invitation_send(invitation_id: int) -> bool:
    """E-mail an invitation's link; running it again after success sends nothing."""
    return invitation_email_send(invitation_id=invitation_id)


@task()
def notifications_run(today: str = "") -> dict[str, int]:
    """Make the notifications of ``today`` (ISO date; default: the current date) and send the
    e-mail digests due. Each item is notified once per person and each digest sent once per
    person and period, so running this twice sends nothing twice."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    made = notifications_collect(actor=None, today=day)
    return {"notifications": made, "digests": digests_send(actor=None, today=day)}
