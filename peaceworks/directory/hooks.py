"""What apps after the directory contribute to its pages, without the directory importing them.

The app order puts the directory before campaigns, so the organisation page and the world map
cannot read ``campaigns.Activity``; campaigns registers its readers here when Django starts
(``CampaignsConfig.ready``). Without campaigns installed the pages show no activities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from peaceworks.accounts.access import Actor
from peaceworks.directory.models import Organisation


@dataclass(frozen=True)
class ActivityReaders:
    """``hosted_by``: the activities an organisation hosts, as the viewer may see them;
    ``per_country``: hosted activities (not cancelled) per country, optionally only those of
    the given hosts."""

    hosted_by: Callable[..., Sequence[Any]]
    per_country: Callable[..., Mapping[str, int]]


_readers: list[ActivityReaders] = []


def register_activity_readers(readers: ActivityReaders) -> None:
    _readers[:] = [readers]


def activities_hosted_by(*, user: Actor, organisation: Organisation) -> Sequence[Any]:
    return _readers[0].hosted_by(user=user, organisation=organisation) if _readers else []


def activities_per_country(*, hosts: QuerySet[Organisation] | None) -> Mapping[str, int]:
    return _readers[0].per_country(hosts=hosts) if _readers else {}
