"""Background work of accounts. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from django_tasks import task

from peaceworks.accounts.services import invitation_email_send


@task()
def invitation_send(invitation_id: int) -> bool:
    """E-mail an invitation's link; running it again after success sends nothing."""
    return invitation_email_send(invitation_id=invitation_id)
