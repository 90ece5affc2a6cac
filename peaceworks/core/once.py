"""Send once: reminders, digests and the like go once per thing and period, whatever the
worker does.

What is sent once is a row of a :class:`~peaceworks.core.models.SentOnce` model, unique per
thing (an action item and step, a respondent and round, a person and period).
:func:`send_once` claims the row in a transaction of its own, committed before anything goes
out, sends, then marks it ``sent_at``:

- a run that finds the row sent, or claimed less than :data:`LEASE` ago, sends nothing;
- a claim left unsent for longer than the lease (its worker died between claiming and
  handing the mail over) is taken over by a later run: a conditional UPDATE
  (``sent_at IS NULL AND claimed_at < now - lease``) that only one run can match, checked
  by its row count;
- a send that raises drops the claim it holds, so the next run tries again at once.

A mail is never lost. It goes twice only when a worker dies after handing it over and before
marking it, or when handing it over takes longer than the lease. The caller passes the clock
(no time is read here) and calls outside a transaction: a claim inside one that later rolls
back would be gone while its mail went.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from peaceworks.core.models import SentOnce

#: how long a claim without ``sent_at`` is left to its worker before a later run takes it over
LEASE = timedelta(minutes=10)

#: what tells the time: ``django.utils.timezone.now`` in the product, a fixed time in tests
Clock = Callable[[], datetime]


def _claim(
    model: type[SentOnce], key: Mapping[str, object], *, now: datetime, lease: timedelta
) -> int | None:
    """The id of the row of ``key``, claimed at ``now``: a new row, or one whose claim lapsed.
    None when it is sent, or claimed by a run still within its lease."""
    rows = model._default_manager
    try:
        with transaction.atomic():
            return int(rows.create(**key, claimed_at=now).pk)
    except IntegrityError:
        pass
    # of two runs taking over the same lapsed claim, one UPDATE matches the row
    lapsed = rows.filter(**key, sent_at__isnull=True, claimed_at__lt=now - lease)
    if not lapsed.update(claimed_at=now):
        return None
    return rows.filter(**key).values_list("pk", flat=True).first()


def send_once(
    model: type[SentOnce],
    *,
    key: Mapping[str, object],
    send: Callable[[], object],
    clock: Clock,
    lease: timedelta = LEASE,
) -> bool:
    """Call ``send`` unless the row of ``model`` with the fields ``key`` is sent or claimed
    by a live run; return whether it was called and the row marked sent.

    An exception from ``send`` drops the claim (only this run's: not one a later run took
    over after the lease) and is raised again.
    """
    claimed_at = clock()
    claim = _claim(model, key, now=claimed_at, lease=lease)
    if claim is None:
        return False
    rows = model._default_manager
    try:
        send()
    except Exception:
        rows.filter(pk=claim, claimed_at=claimed_at, sent_at__isnull=True).delete()
        raise
    rows.filter(pk=claim).update(sent_at=clock())
    return True
