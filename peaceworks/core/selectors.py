"""Reads of the audit log (callers check that the viewer is a network administrator)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from peaceworks.core.models import AuditEvent


def audit_event_list(
    *,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events, newest first. ``action`` matches a prefix (``invitation.`` or
    ``invitation.create``), ``actor`` a part of the actor label, ``since``/``until`` whole
    days in the site's time zone (both included)."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    zone = timezone.get_current_timezone()
    if since is not None:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        events = events.filter(at__lt=end)
    return events.order_by("-at", "-id")


def audit_action_list() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
