"""A task for the crash test: records its effect once, and can be held mid-transaction."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import transaction
from django_tasks import task

from peaceworks.core.models import AuditEvent


@task()
def record_once(key: str, started_marker: str, hold_file: str) -> bool:
    """Add one ``test.effect`` audit row for ``key`` unless there is one (idempotent).

    While ``hold_file`` exists the task waits inside its transaction, after writing, so a
    test can kill the worker exactly there; ``started_marker`` receives the process id."""
    with transaction.atomic():
        if AuditEvent.objects.filter(action="test.effect", target_id=key).exists():
            return False
        AuditEvent.objects.create(actor_label="system", action="test.effect", target_id=key)
        partial = Path(started_marker + ".partial")
        partial.write_text(str(os.getpid()))
        partial.replace(started_marker)  # the marker appears with its content
        while Path(hold_file).exists():
            time.sleep(0.05)
    return True
