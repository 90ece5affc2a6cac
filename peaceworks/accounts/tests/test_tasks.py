"""The invitation e-mail task, on the immediate backend (tests/tasks/ runs it on RQ)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from peaceworks.accounts.models import Invitation
from peaceworks.accounts.services import invitation_create
from peaceworks.accounts.tasks import invitation_send
from peaceworks.core.models import AuditEvent


def _invite(actor, organisation, django_capture_on_commit_callbacks, email="new@example.org"):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = invitation_create(
            actor=actor, organisation=organisation, email=email, role="org_member"
        )
    invitation.refresh_from_db()
    return invitation


def test_invitation_is_sent_once_after_commit_with_a_working_link(
    org_coordinator, organisation, django_capture_on_commit_callbacks
):
    invitation = _invite(org_coordinator, organisation, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert invitation.sent_at is not None
    link = next(word for word in mail.outbox[0].body.split() if "/invitations/" in word)
    path = link.split("127.0.0.1:8000")[-1]
    assert Client().get(path).status_code == 200


def test_running_the_task_again_sends_nothing(
    org_coordinator, organisation, django_capture_on_commit_callbacks
):
    invitation = _invite(org_coordinator, organisation, django_capture_on_commit_callbacks)
    invitation_send.enqueue(invitation.pk)
    invitation_send.enqueue(invitation.pk)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="invitation.send").count() == 1


def test_rolled_back_invitation_enqueues_nothing(
    org_coordinator, organisation, django_capture_on_commit_callbacks
):
    def create_then_fail():
        with transaction.atomic():
            invitation_create(
                actor=org_coordinator,
                organisation=organisation,
                email="x@example.org",
                role="org_member",
            )
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        create_then_fail()
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_expired_or_missing_invitations_are_not_sent(org_coordinator, organisation):
    invitation, _token = invitation_create(
        actor=org_coordinator,
        organisation=organisation,
        email="late@example.org",
        role="org_member",
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation_send.enqueue(invitation.pk)
    invitation_send.enqueue(999_999)
    assert mail.outbox == []
