"""What apps after campaigns say about a strategy item, without campaigns importing them.

A meeting's decision can create or update a reflection, goal, objective or action; a
consultation's statement or theme can become one. Those apps come after campaigns in the app
order, so they declare the link on their side and register a reader here (in their
``AppConfig.ready``); the strategy pages ask :func:`strategy_links` for the links to show
beside an item. Without those apps installed the pages show none.

Reports, too, come after campaigns: a campaign's public page asks :func:`public_results_url`
whether the campaign published a results page, and reports registers the answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Model

from peaceworks.accounts.access import Actor
from peaceworks.campaigns.models import Campaign


@dataclass(frozen=True)
class StrategyLink:
    """One thing that led to a strategy item: ``source`` names its kind in the reader's
    language ("Decision", "Consultation statement"), ``label`` the thing itself ("Paris 2026 /
    D3"), ``url`` where it is (empty when the viewer may not open it)."""

    source: str
    label: str
    url: str


LinkReader = Callable[[Actor, Model], Sequence[StrategyLink]]
#: an app's links, keyed by (field, pk) of the strategy item each leads to
LinksByItem = dict[tuple[str, int], list[StrategyLink]]


def links_by_item(
    user: Actor,
    *,
    kept_as: str,
    fields: Iterable[str],
    read: Callable[[], Iterable[tuple[Model, StrategyLink]]],
) -> LinksByItem:
    """The links ``read`` gives — each with its row, which names its items by ``<field>_id``
    for each of ``fields`` — keyed by (field, pk): read once for a whole plan page and kept on
    the user object (attribute ``kept_as``) for the rest of the request, as ``viewer_for``
    does. An item's links keep the order ``read`` gives them."""
    kept = getattr(user, kept_as, None) if user is not None else None
    if isinstance(kept, dict):
        return kept
    links: LinksByItem = defaultdict(list)
    for row, link in read():
        for field in fields:
            pk = getattr(row, f"{field}_id")
            if pk is not None:
                links[(field, pk)].append(link)
    result = dict(links)
    if user is not None:
        setattr(user, kept_as, result)  # a Protocol declares no such slot
    return result


_readers: dict[str, LinkReader] = {}


def register_strategy_links(name: str, reader: LinkReader) -> None:
    """Register (or replace) the reader an app lends under ``name``."""
    _readers[name] = reader


def strategy_links(*, user: Actor, item: Model) -> list[StrategyLink]:
    """The links every registered app knows for ``item`` (a reflection, goal, objective or
    action), in registration order, as ``user`` may see them."""
    links: list[StrategyLink] = []
    for reader in _readers.values():
        links.extend(reader(user, item))
    return links


#: the address of a campaign's public results page, or "" when it has none
ResultsReader = Callable[[Campaign], str]

_results_readers: dict[str, ResultsReader] = {}


def register_public_results(name: str, reader: ResultsReader) -> None:
    """Register (or replace) the reader of a campaign's public results page."""
    _results_readers[name] = reader


def public_results_url(*, campaign: Campaign) -> str:
    """The address of the campaign's published public results page (readable without sign-in),
    or "" when no registered app has one."""
    for reader in _results_readers.values():
        url = reader(campaign)
        if url:
            return url
    return ""
