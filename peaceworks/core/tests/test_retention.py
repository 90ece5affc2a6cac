from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from peaceworks.accounts.models import Invitation, LoginFailure
from peaceworks.accounts.services import invitation_create
from peaceworks.core import retention
from peaceworks.core.models import AuditEvent


def _expire(invitation, days_ago):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=days_ago)
    )


def test_retention_purges_expired_invitations_and_old_failures_after_grace(
    org_coordinator, organisation
):
    old, _ = invitation_create(
        actor=org_coordinator, organisation=organisation, email="old@example.org", role="org_member"
    )
    recent, _ = invitation_create(
        actor=org_coordinator, organisation=organisation, email="new@example.org", role="org_member"
    )
    _live, _ = invitation_create(
        actor=org_coordinator,
        organisation=organisation,
        email="live@example.org",
        role="org_member",
    )
    _expire(old, days_ago=40)
    _expire(recent, days_ago=5)  # expired, but still within the grace period
    LoginFailure.objects.create(email="x@example.org", at=timezone.now() - timedelta(days=31))
    LoginFailure.objects.create(email="y@example.org")
    out = StringIO()
    call_command("retention", stdout=out)
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "new@example.org",
        "live@example.org",
    }
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["y@example.org"]
    assert "accounts.expired_invitations: purged 1" in out.getvalue()
    assert AuditEvent.objects.filter(action="retention.purge").count() == 2


def test_dry_run_counts_and_deletes_nothing(db):
    LoginFailure.objects.create(email="x@example.org", at=timezone.now() - timedelta(days=90))
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "accounts.login_failures: would purge 1" in out.getvalue()
    assert LoginFailure.objects.count() == 1


def test_apps_register_their_own_purges(db):
    calls = []

    def purge(cutoff, dry_run):
        calls.append((cutoff, dry_run))
        return 0

    retention.register("test.thing", purge)
    try:
        call_command("retention", "--grace-days", "7", stdout=StringIO())
    finally:
        retention._PURGES.pop("test.thing")
    assert len(calls) == 1
    assert timezone.now() - calls[0][0] >= timedelta(days=7)
