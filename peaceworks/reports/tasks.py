"""Background work of reports. Tasks take ids, are idempotent and call one service."""

from __future__ import annotations

from django_tasks import task

from peaceworks.reports.services import report_generate


@task()
def report_generate_task(version_id: int) -> bool:
    """Collect, freeze and render a queued report version (nothing for any other state)."""
    return report_generate(actor=None, version_id=version_id) is not None
