"""Impact data that ``peaceworks retention`` purges after the grace period."""

from __future__ import annotations

from datetime import datetime

from peaceworks.impact.models import Respondent


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
