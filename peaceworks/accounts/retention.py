"""Accounts data that ``peaceworks retention`` purges after the grace period."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from peaceworks.accounts.models import Invitation, LoginFailure


def purge_expired_invitations(cutoff: datetime, dry_run: bool) -> int:
    """Invitations never accepted that expired before ``cutoff``."""
    expired = Invitation.objects.filter(Q(accepted_at__isnull=True) & Q(expires_at__lt=cutoff))
    return expired.count() if dry_run else expired.delete()[0]


def purge_login_failures(cutoff: datetime, dry_run: bool) -> int:
    """Failed sign-ins older than ``cutoff`` (the lockout only looks at the last minutes)."""
    old = LoginFailure.objects.filter(at__lt=cutoff)
    return old.count() if dry_run else old.delete()[0]
