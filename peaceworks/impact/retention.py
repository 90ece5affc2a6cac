"""Impact data that ``peaceworks retention`` purges after the grace period."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from peaceworks.impact.models import FollowUpContact, Respondent, Round


def purge_withdrawn_respondents(cutoff: datetime, dry_run: bool) -> int:
    """Respondents who withdrew before ``cutoff``, with all their responses (cascade).

    Withdrawal already removes them from every figure; this erases the rows themselves once
    the grace period (in which a withdrawal made by mistake can still be discussed) is over.
    """
    withdrawn = Respondent.objects.filter(withdrawn_at__lt=cutoff)
    if dry_run:
        return withdrawn.count()
    count = withdrawn.count()
    withdrawn.delete()
    return count


def purge_follow_up_contacts(cutoff: datetime, dry_run: bool) -> int:
    """Reminder addresses whose purpose is over: the round they were given in has closed and
    no later round of the activity is still open or to come. They are deleted as soon as that
    is so (``cutoff``, the grace period of withdrawals, does not apply: an address is kept no
    longer than it can serve)."""
    now = timezone.now()
    still_to_come = Round.objects.filter(
        activity_id=OuterRef("respondent__activity_id"), closes_at__gt=now
    ).exclude(pk=OuterRef("round_id"))
    over = FollowUpContact.objects.filter(round__closes_at__lte=now).exclude(Exists(still_to_come))
    count = over.count()
    if not dry_run:
        over.delete()
    return count
