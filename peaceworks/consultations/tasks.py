"""Background work of consultations. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from django_tasks import task

from peaceworks.consultations.services import synthesis_execute


@task()
def synthesis_run(run_id: int) -> str:
    """Run a queued synthesis; a finished run is not run again."""
    return str(synthesis_execute(run_id=run_id).state)
