"""What needs a person now, collected from the apps that know it, without accounts importing
them.

Overdue strategy actions live in campaigns, survey rounds and flagged answers in impact,
follow-ups in the directory, action items in meetings: all after accounts in the app order. Each
of them registers a provider here (in its ``AppConfig.ready``); the home page lists what
:func:`attention_for` returns, and the notification task
(``accounts.notifications.notifications_collect``) turns the same items into notifications.
Without those apps installed nothing is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.db import models
from django.utils.functional import Promise

from peaceworks.accounts.access import Actor, user_of
from peaceworks.accounts.models import User


@dataclass(frozen=True)
class AttentionItem:
    """One thing that needs the person: ``key`` names the thing and the event, stable across
    runs ("campaigns.action:12:overdue:2026-11-02"), so that a notification is made once for it;
    ``title`` is the thing's own name, ``url`` where it is handled, ``due`` the date that makes
    it pressing (when there is one)."""

    key: str
    title: str
    url: str
    due: date | None = None


@dataclass(frozen=True)
class AttentionGroup:
    """Items of one kind, as the home page shows them: ``label`` in the reader's language,
    ``url`` the page listing them all, ``count`` how many there are (``items`` may hold only
    the first few); ``notify`` False for a group only the home page lists."""

    kind: str
    label: str | Promise
    url: str
    count: int
    items: tuple[AttentionItem, ...] = field(default_factory=tuple)
    notify: bool = True


#: how many items of a group a provider returns (the group's count says how many there are)
ITEMS_PER_GROUP = 25

_Row = TypeVar("_Row", bound=models.Model)


def first_items(rows: models.QuerySet[_Row]) -> tuple[list[_Row], int]:
    """The first ``ITEMS_PER_GROUP`` of ``rows`` and how many ``rows`` there are: counted by
    the database only when the first ones fill a group, since a shorter list is all of them
    (every home page asked for a count of each group, nearly always of a few items)."""
    shown = list(rows[:ITEMS_PER_GROUP])
    return shown, len(shown) if len(shown) < ITEMS_PER_GROUP else rows.count()


AttentionProvider = Callable[[User, date], Sequence[AttentionGroup]]

_providers: dict[str, AttentionProvider] = {}
_labels: dict[str, str | Promise] = {}


def register_attention(
    name: str, provider: AttentionProvider, *, labels: Mapping[str, str | Promise]
) -> None:
    """Register (or replace) the provider an app lends under ``name``, with the label of each
    kind of group it returns (a stored notification names its kind; the label is read in the
    reader's language when it is shown)."""
    _providers[name] = provider
    _labels.update(labels)


def attention_label(kind: str) -> str:
    """The label of a kind of group, in the active language (the kind itself if unknown)."""
    return str(_labels.get(kind, kind))


def attention_for(*, user: Actor, today: date) -> list[AttentionGroup]:
    """Every registered app's groups for ``user`` on ``today``, in registration order, empty
    groups left out (none for anonymous visitors and the system)."""
    person = user_of(user)
    groups: list[AttentionGroup] = []
    if person is None:
        return groups
    for provider in _providers.values():
        groups.extend(group for group in provider(person, today) if group.count)
    return groups
