"""One queued full refresh per campaign at a time, whatever the task backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Campaign
from peaceworks.impact.models import AnalyticsSnapshot, Framework
from peaceworks.impact.services import analytics_rebuild

ALREADY = "already queued"
BACKENDS = {
    "dummy": "django_tasks.backends.dummy.DummyBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def _queued_tasks(backend: str) -> int:
    if backend == "database":
        return DBTaskResult.objects.count()
    return len(default_task_backend.results)  # type: ignore[attr-defined]  # the dummy backend's


def _press_refresh(client: Client, campaign: Campaign, capture: Any) -> str:
    with capture(execute=True):
        response = client.post(reverse("impact:dashboard_refresh", args=[campaign.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.mark.parametrize("backend", BACKENDS)
def test_pressing_refresh_again_while_one_is_queued_queues_nothing(
    backend: str,
    framework: Framework,
    org_coordinator: User,
    network_coordinator: User,
    client_for: Callable[[User | None], Client],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": BACKENDS[backend]}}
    campaign = framework.campaign
    first = _press_refresh(
        client_for(org_coordinator), campaign, django_capture_on_commit_callbacks
    )
    assert ALREADY not in first
    for user in (org_coordinator, network_coordinator):
        again = _press_refresh(client_for(user), campaign, django_capture_on_commit_callbacks)
        assert ALREADY in again
    assert _queued_tasks(backend) == 1
    # once the queued rebuild has started, a new request queues the next one
    analytics_rebuild(campaign_id=campaign.pk, full=True)
    assert AnalyticsSnapshot.objects.get(campaign=campaign).status == "idle"
    later = _press_refresh(
        client_for(org_coordinator), campaign, django_capture_on_commit_callbacks
    )
    assert ALREADY not in later
    assert _queued_tasks(backend) == 2


def test_tasks_run_at_once_leave_nothing_queued(
    framework: Framework,
    org_coordinator: User,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(org_coordinator)
    for _press in range(2):
        page = _press_refresh(client, framework.campaign, django_capture_on_commit_callbacks)
        assert ALREADY not in page
    snapshot = AnalyticsSnapshot.objects.get(campaign=framework.campaign)
    assert (snapshot.status, snapshot.full_refresh_queued_at) == ("idle", None)
