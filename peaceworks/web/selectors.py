from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peaceworks.accounts.access import Actor
from peaceworks.accounts.models import User
from peaceworks.accounts.selectors import person_search
from peaceworks.campaigns.selectors import action_search, activity_search
from peaceworks.consultations.selectors import consultation_search
from peaceworks.directory import geography
from peaceworks.directory.models import Organisation
from peaceworks.directory.selectors import organisation_search, stakeholder_search
from peaceworks.meetings.selectors import meeting_search


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


# The one search: each app's search selector (its own access rule), combined here ----------


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchKind:
    """One kind of result: ``find`` is the app's search selector, ``result`` turns a row
    into what the page shows."""

    key: str
    label: str | Promise
    find: Callable[..., QuerySet[Any]]
    result: Callable[[Any], SearchResult]


def _organisation(row: Organisation) -> SearchResult:
    return SearchResult(
        row.name,
        reverse("directory:organisation", args=[row.pk]),
        geography.country_name(row.country) if row.country else "",
    )


def _person(row: User) -> SearchResult:
    memberships = getattr(row, "visible_memberships", [])
    first = memberships[0] if memberships else None
    return SearchResult(
        str(row),
        reverse("directory:team", args=[first.organisation_id]) if first else "",
        " · ".join(f"{m.organisation.name} ({m.get_role_display()})" for m in memberships),
    )


SEARCH_KINDS = [
    SearchKind("organisations", _("Organisations"), organisation_search, _organisation),
    SearchKind(
        "stakeholders",
        _("Stakeholders"),
        stakeholder_search,
        lambda row: SearchResult(
            row.name,
            reverse("directory:stakeholder", args=[row.pk]),
            row.get_stakeholder_type_display(),
        ),
    ),
    SearchKind(
        "activities",
        _("Activities"),
        activity_search,
        lambda row: SearchResult(
            row.title,
            reverse("campaigns:activity_detail", args=[row.pk]),
            f"{row.host_organisation.name} · {row.start_date.year}",
        ),
    ),
    SearchKind(
        "actions",
        _("Strategy actions"),
        action_search,
        lambda row: SearchResult(
            row.title,
            reverse("campaigns:plan_detail", args=[row.objective.goal.plan_id])
            + f"#action-{row.pk}",
            str(row.objective.goal.plan),
        ),
    ),
    SearchKind(
        "meetings",
        _("Meetings"),
        meeting_search,
        lambda row: SearchResult(row.title, reverse("meetings:detail", args=[row.pk]), row.place),
    ),
    SearchKind(
        "consultations",
        _("Consultations"),
        consultation_search,
        lambda row: SearchResult(
            row.title, reverse("consultations:detail", args=[row.slug]), row.get_phase_display()
        ),
    ),
    SearchKind("people", _("People"), person_search, _person),
]
SEARCH_KIND_KEYS = frozenset(kind.key for kind in SEARCH_KINDS)


@dataclass(frozen=True)
class SearchGroup:
    key: str
    label: str | Promise
    count: int
    results: list[SearchResult]


def site_search(*, user: Actor, query: str, per_group: int) -> list[SearchGroup]:
    """Every kind's best ``per_group`` results for ``query`` as ``user`` may open them, with
    how many there are (kinds without a result left out)."""
    groups = []
    for kind in SEARCH_KINDS:
        found = kind.find(user=user, query=query)
        count = found.count()
        if count:
            groups.append(
                SearchGroup(
                    kind.key, kind.label, count, [kind.result(row) for row in found[:per_group]]
                )
            )
    return groups


def search_kind(key: str) -> SearchKind:
    return next(kind for kind in SEARCH_KINDS if kind.key == key)
