"""What consultations lend to earlier apps' pages: the consultation statements and themes
that led to a strategy item (read by ``campaigns.hooks.strategy_links``); and what later apps
lend the consultation's page: a meeting's sessions that discussed it. Meetings come after
consultations in the app order, so they register a reader here (:func:`register_discussions`
in their ``AppConfig.ready``) and the page asks :func:`discussions`; without them it shows
none."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.campaigns.hooks import LinksByItem, StrategyLink, links_by_item
from peaceworks.campaigns.models import Action, Objective, Reflection
from peaceworks.consultations.models import Consultation
from peaceworks.consultations.models import StrategyLink as LinkRow

_FIELDS: dict[type[Model], str] = {
    Reflection: "reflection",
    Objective: "objective",
    Action: "action",
}


def _links_by_item(user: Actor) -> LinksByItem:
    """Every consultation link, keyed by (field, pk) of its strategy item: one query for a
    whole plan page. An item's links keep the order of their rows."""

    def read() -> Iterator[tuple[LinkRow, StrategyLink]]:
        viewer = viewer_for(user)
        for row in LinkRow.objects.select_related("consultation", "statement").order_by("pk"):
            visible = viewer.is_network_staff or (
                viewer.is_network_member and row.consultation.phase != Consultation.Phase.DRAFT
            )
            url = reverse("consultations:detail", args=[row.consultation.slug]) if visible else ""
            if row.statement is not None:
                source, label = _("Consultation statement"), row.statement.text[:120]
            else:
                source, label = _("Consultation theme"), row.theme_label
            title = f"{row.consultation.title} / {label}"
            yield row, StrategyLink(source=source, label=title, url=url)

    return links_by_item(
        user, kept_as="_peaceworks_consultation_links", fields=_FIELDS.values(), read=read
    )


def strategy_links_for(user: Actor, item: Model) -> Sequence[StrategyLink]:
    field = _FIELDS.get(type(item))
    if field is None:
        return []
    return list(_links_by_item(user).get((field, item.pk), []))


@dataclass(frozen=True)
class Discussion:
    """Where a consultation was discussed: ``label`` ("Paris 2026: Strategy workshop"),
    ``when`` (a date as text), ``url`` (only given to those who may open it)."""

    label: str
    when: str
    url: str


DiscussionReader = Callable[[Actor, Consultation], Sequence[Discussion]]

_discussion_readers: dict[str, DiscussionReader] = {}


def register_discussions(name: str, reader: DiscussionReader) -> None:
    """Register (or replace) the reader a later app lends under ``name``."""
    _discussion_readers[name] = reader


def discussions(*, user: Actor, consultation: Consultation) -> list[Discussion]:
    """What every registered app says discussed ``consultation``, as ``user`` may see it."""
    found: list[Discussion] = []
    for reader in _discussion_readers.values():
        found.extend(reader(user, consultation))
    return found
