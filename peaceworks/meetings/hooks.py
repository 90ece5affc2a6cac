"""What meetings lend earlier apps' pages: the decisions that created or updated a strategy
item (``campaigns.hooks``) and the sessions that discussed a consultation
(``consultations.hooks``), registered in ``MeetingsConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Model, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor
from peaceworks.campaigns.hooks import LinksByItem, StrategyLink, links_by_item
from peaceworks.consultations.hooks import Discussion
from peaceworks.consultations.models import Consultation
from peaceworks.meetings.models import Decision, Session
from peaceworks.meetings.selectors import meeting_list_visible_to

_LINKED = ("reflection", "goal", "objective", "action")


def _links_by_item(user: Actor) -> LinksByItem:
    """Every decision link, keyed by (model name, pk): two queries for a whole plan page."""

    def read() -> Iterator[tuple[Decision, StrategyLink]]:
        decisions = (
            Decision.objects.filter(
                Q(reflection__isnull=False)
                | Q(goal__isnull=False)
                | Q(objective__isnull=False)
                | Q(action__isnull=False)
            )
            .select_related("meeting")
            .order_by("meeting__start_date", "number")
        )
        readable = set(meeting_list_visible_to(user=user).values_list("pk", flat=True))
        for decision in decisions:
            url = (
                reverse("meetings:detail", args=[decision.meeting_id])
                + f"#decision-{decision.number}"
                if decision.meeting_id in readable
                else ""
            )
            source = (
                _("Created by the meeting decision")
                if decision.strategy_effect == Decision.Effect.CREATED
                else _("Meeting decision")
            )
            yield decision, StrategyLink(source=source, label=decision.label, url=url)

    return links_by_item(user, kept_as="_peaceworks_decision_links", fields=_LINKED, read=read)


def decision_links(user: Actor, item: Model) -> list[StrategyLink]:
    """The decisions behind ``item`` (a reflection, goal, objective or action); their
    address only for those who may open the meeting."""
    name = item._meta.model_name or ""
    if item._meta.app_label != "campaigns" or name not in _LINKED:
        return []
    return list(_links_by_item(user).get((name, item.pk), []))


def consultation_sessions(user: Actor, consultation: Consultation) -> list[Discussion]:
    """The sessions that discussed ``consultation``, in meetings ``user`` may open (the
    others are not named at all)."""
    sessions = (
        Session.objects.filter(
            consultation=consultation,
            meeting__in=meeting_list_visible_to(user=user).values("pk"),
        )
        .select_related("meeting")
        .order_by("day", "start_time", "id")
    )
    return [
        Discussion(
            label=f"{session.meeting.short_name}: {session.title}",
            when=session.day.isoformat(),
            url=reverse("meetings:session", args=[session.pk]),
        )
        for session in sessions
    ]
