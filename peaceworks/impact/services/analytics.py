"""Writes of the analytics snapshot: refresh (folding new answers in, or rebuilding), requests.

The snapshot is derived data: a refresh reads the impact tables through ``figures.load`` and
never changes them. A fold rebuilds only the respondents touched since the watermark (new pre/post
responses, withdrawals) and applies them with the engine's ``fold``; a new label, a changed
framework or many folds since the last rebuild trigger a full refresh.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from peaceworks.accounts.access import Actor
from peaceworks.campaigns.models import Campaign
from peaceworks.core.audit import audit_record
from peaceworks.core.rows import statement_cursor
from peaceworks.core.scheduling import enqueue_on_commit
from peaceworks.impact.analytics import COORDINATOR_MIN_N, AnalysisFrame, VocabularyError, compute
from peaceworks.impact.analytics.snapshot import fold, materialise, refresh
from peaceworks.impact.figures.columns import frame_for_campaign_columns
from peaceworks.impact.figures.load import (
    PAIR_KINDS,
    IndicatorMap,
    frame_for_respondents,
    frame_from_bytes,
    frame_to_bytes,
    indicator_map,
)
from peaceworks.impact.figures.prepared import prepare, prepared_to_bytes
from peaceworks.impact.models import AnalyticsSnapshot, Respondent, Response, SnapshotValue
from peaceworks.impact.selectors import analytics_refresh_check

TASK = "peaceworks.impact.tasks.analytics_refresh"
#: After this many folds the next refresh rebuilds from the tables (keeps drift impossible).
MAX_FOLDS = 500


def _snapshot_status(campaign_id: int) -> str | None:
    """The campaign's snapshot status (None: no row yet), in one plain read: every
    submission asks after its commit."""
    quote = connection.ops.quote_name
    with statement_cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('status')} FROM {quote(AnalyticsSnapshot._meta.db_table)} "  # noqa: S608 -- model names
            f"WHERE {quote('campaign_id')} = %s",
            [campaign_id],
        )
        row = cursor.fetchone()
    return str(row[0]) if row else None


def analytics_refresh_soon(*, campaign_id: int) -> None:
    """Queue a refresh once the current transaction commits; a refresh already queued covers
    this batch too (the task folds everything past its watermark). The status row is touched
    after the commit, so concurrent submissions never wait on it.

    A burst of submissions enqueues one task: the first marks the status row queued (creating
    it for a campaign that has none yet), the others find it queued or running and stop after
    one read.
    """

    def queue() -> None:
        waiting = (AnalyticsSnapshot.Status.QUEUED, AnalyticsSnapshot.Status.RUNNING)
        status = _snapshot_status(campaign_id)
        if status in waiting:
            return
        if status is None:
            try:
                with transaction.atomic():
                    AnalyticsSnapshot.objects.create(
                        campaign_id=campaign_id, status=AnalyticsSnapshot.Status.QUEUED
                    )
            except IntegrityError:
                return  # a concurrent submission created it, and enqueued the refresh
        elif not AnalyticsSnapshot.objects.filter(
            campaign_id=campaign_id,
            status__in=[AnalyticsSnapshot.Status.IDLE, AnalyticsSnapshot.Status.FAILED],
        ).update(status=AnalyticsSnapshot.Status.QUEUED):
            return  # another submission queued it between the read and the update
        import_string(TASK).enqueue(campaign_id)

    transaction.on_commit(queue)


#: A queued full refresh whose task has not started after this long is taken for lost (a
#: flushed queue, a dead worker): the next request queues another.
QUEUED_REFRESH_LOST_AFTER = timedelta(hours=1)


@transaction.atomic
def analytics_refresh_request(*, actor: Actor, campaign: Campaign) -> bool:
    """A coordinator asks for a full rebuild; the status row shows its progress.

    One queued refresh per campaign at a time: returns False, and queues nothing, while a
    requested rebuild has not started yet (it will read everything stored when it starts).
    The mark is a column of the status row, set by one conditional UPDATE, so it holds for
    every task backend (database, RQ, immediate) and for concurrent requests. Network staff
    and organisation coordinators may ask (``analytics_refresh_check``); others: Forbidden.
    """
    analytics_refresh_check(user=actor)
    snapshot, _ = AnalyticsSnapshot.objects.get_or_create(campaign=campaign)
    now = timezone.now()
    queued = (
        AnalyticsSnapshot.objects.filter(pk=snapshot.pk)
        .filter(
            Q(full_refresh_queued_at__isnull=True)
            | Q(full_refresh_queued_at__lt=now - QUEUED_REFRESH_LOST_AFTER)
        )
        .update(full_refresh_queued_at=now, status=AnalyticsSnapshot.Status.QUEUED, progress=0)
    )
    if not queued:
        return False
    audit_record(actor=actor, action="impact.analytics_refresh_request", target=snapshot)
    enqueue_on_commit(TASK, campaign.pk, full=True)
    return True


def _progress(snapshot: AnalyticsSnapshot, status: str, progress: int, message: str = "") -> None:
    snapshot.status = status
    snapshot.progress = progress
    snapshot.message = message
    AnalyticsSnapshot.objects.filter(pk=snapshot.pk).update(
        status=status, progress=progress, message=message
    )


def _folded(
    snapshot: AnalyticsSnapshot, campaign: Campaign, mapping: IndicatorMap, watermark: int
) -> AnalysisFrame | None:
    """The stored frame with the changes since the watermark folded in; None: rebuild."""
    if not snapshot.frame or snapshot.refreshed_at is None or snapshot.folds >= MAX_FOLDS:
        return None
    stored = frame_from_bytes(bytes(snapshot.frame))
    if stored.items != mapping.items or dict(stored.scales) != dict(mapping.scales):
        return None
    touched = set(
        Response.objects.filter(
            round__activity__campaign=campaign,
            round__kind__in=PAIR_KINDS,
            pk__gt=snapshot.last_response_id,
            pk__lte=watermark,
            respondent__isnull=False,
        ).values_list("respondent_id", flat=True)
    )
    withdrawn = list(
        Respondent.objects.filter(
            activity__campaign=campaign, withdrawn_at__gte=snapshot.refreshed_at
        ).values_list("id", flat=True)
    )
    if not touched and not withdrawn:
        return stored
    try:
        batch = frame_for_respondents(
            campaign=campaign, mapping=mapping, ids=touched, vocabulary=stored.vocabulary
        )
    except VocabularyError:
        return None
    return materialise(fold(refresh(stored, ()), batch, withdrawn=withdrawn))


def analytics_rebuild(*, campaign_id: int, full: bool = False) -> AnalyticsSnapshot | None:
    """Bring the campaign's snapshot up to date (idempotent: nothing new, nothing changes but
    the time it was checked). Returns None when the campaign is gone."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    snapshot, _ = AnalyticsSnapshot.objects.get_or_create(campaign=campaign)
    if full:  # the requested rebuild has started: a request from now on queues another
        AnalyticsSnapshot.objects.filter(pk=snapshot.pk).update(full_refresh_queued_at=None)
    # progress is written outside the refresh's transaction so a polling page can see it
    _progress(snapshot, AnalyticsSnapshot.Status.RUNNING, 10)
    started = timezone.now()
    try:
        watermark = (
            Response.objects.filter(round__activity__campaign=campaign).aggregate(m=Max("pk"))["m"]
            or 0
        )
        mapping = indicator_map(campaign=campaign)
        frame = None if full else _folded(snapshot, campaign, mapping, watermark)
        folds = snapshot.folds + 1
        if frame is None:
            _progress(snapshot, AnalyticsSnapshot.Status.RUNNING, 30)
            frame = frame_for_campaign_columns(campaign=campaign, mapping=mapping)
            folds = 0
        _progress(snapshot, AnalyticsSnapshot.Status.RUNNING, 80)
        analytics_snapshot_store(
            snapshot=snapshot,
            frame=frame,
            mapping=mapping,
            watermark=watermark,
            refreshed_at=started,
            folds=folds,
        )
    except Exception:
        _progress(snapshot, AnalyticsSnapshot.Status.FAILED, 0)
        raise
    return snapshot


@transaction.atomic
def analytics_snapshot_store(
    *,
    snapshot: AnalyticsSnapshot,
    frame: AnalysisFrame,
    mapping: IndicatorMap,
    watermark: int,
    refreshed_at: datetime,
    folds: int,
) -> None:
    """Store a refreshed frame: its ``.npz`` bytes, what the first request reads
    (``figures.prepared``: the page groupings' sums, the families at the viewers' floors, the
    indicator map ``mapping`` the frame was built with), the headline ``SnapshotValue`` rows
    and the watermark, in one transaction; pages read the new frame from their next request."""
    _store_values(snapshot, frame, mapping)
    # the frame is deflated beside the prepared figures' work: zlib lets go of the GIL, so the
    # two share the machine's cores (pure CPU work on the frame's arrays, no database)
    with ThreadPoolExecutor(max_workers=1) as deflating:
        frame_bytes = deflating.submit(frame_to_bytes, frame)
        # the first request's figures, never apart from the frame they come from (a fold too)
        snapshot.prepared = prepared_to_bytes(prepare(frame, engine_name=mapping.engine_name))
        snapshot.frame = frame_bytes.result()
    snapshot.respondents = frame.size
    snapshot.last_response_id = watermark
    snapshot.refreshed_at = refreshed_at
    snapshot.folds = folds
    # a rebuild requested while this one ran is still to come
    requested = AnalyticsSnapshot.objects.filter(
        pk=snapshot.pk, full_refresh_queued_at__isnull=False
    ).exists()
    snapshot.status = (
        AnalyticsSnapshot.Status.QUEUED if requested else AnalyticsSnapshot.Status.IDLE
    )
    snapshot.progress = 0 if requested else 100
    snapshot.message = ""
    # every column but the request mark, which a concurrent request may have set
    snapshot.save(update_fields=_STORED_FIELDS)


_STORED_FIELDS = [
    "frame",
    "prepared",
    "respondents",
    "last_response_id",
    "refreshed_at",
    "folds",
    "status",
    "progress",
    "message",
]


def _store_values(snapshot: AnalyticsSnapshot, frame: AnalysisFrame, mapping: IndicatorMap) -> None:
    SnapshotValue.objects.filter(snapshot=snapshot).delete()
    if not frame.items:
        return
    table = compute(frame, (), floor=COORDINATOR_MIN_N)
    cells = {cell.indicator: cell for cell in table.cells()}
    rows = []
    for code, name in mapping.engine_name.items():
        cell = cells.get(name)
        if cell is None:
            continue
        rows.append(
            SnapshotValue(
                snapshot=snapshot,
                indicator=code,
                suppressed=cell.suppressed,
                n=cell.n,
                mean_change=_finite(cell.mean_change),
                ci_low=_finite(cell.ci_low),
                ci_high=_finite(cell.ci_high),
                pct_improved=_finite(cell.pct_improved),
                method=cell.method or "",
            )
        )
    SnapshotValue.objects.bulk_create(rows)


def _finite(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
