from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone


def task_queue_health(*, stall_after: timedelta) -> dict[str, Any]:
    """Queue depth and the age of the oldest waiting task.

    The worker is "stalled" when a task has waited longer than ``stall_after``, "idle" when
    nothing waits, "ok" otherwise. Only the database backend keeps a queue we can inspect.
    """
    backend = settings.TASK_BACKEND
    if backend != "database":
        return {"backend": backend, "worker": "unknown", "waiting": None}
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    last_finished = (
        DBTaskResult.objects.exclude(finished_at=None)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if oldest is None:
        worker = "idle"
    elif age > stall_after.total_seconds():
        worker = "stalled"
    else:
        worker = "ok"
    return {
        "backend": backend,
        "worker": worker,
        "waiting": waiting.count(),
        "oldest_waiting_seconds": round(age, 1),
        "last_finished_at": last_finished.isoformat() if last_finished else None,
    }
