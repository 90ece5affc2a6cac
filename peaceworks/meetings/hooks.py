"""What meetings lend the strategy pages: the decisions that created or updated an item
(registered with ``campaigns.hooks`` in ``MeetingsConfig.ready``)."""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor
from peaceworks.campaigns.hooks import StrategyLink
from peaceworks.meetings.selectors import decisions_for_strategy_item, meeting_list_visible_to


def decision_links(user: Actor, item: Model) -> list[StrategyLink]:
    """The decisions behind ``item``; their address only for those who may open the
    meeting."""
    links: list[StrategyLink] = []
    decisions = decisions_for_strategy_item(item=item).order_by("meeting__start_date", "number")
    if not decisions:
        return links
    readable = set(meeting_list_visible_to(user=user).values_list("pk", flat=True))
    for decision in decisions:
        can_open = decision.meeting_id in readable
        url = (
            reverse("meetings:detail", args=[decision.meeting_id]) + f"#decision-{decision.number}"
            if can_open
            else ""
        )
        links.append(
            StrategyLink(
                source=_("Meeting decision")
                if decision.strategy_effect != "created"
                else _("Created by the meeting decision"),
                label=decision.label,
                url=url,
            )
        )
    return links
