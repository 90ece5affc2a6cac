"""Policy rows for naming programmes, campaigns and projects, and themes (pages and API).

These records are network-level: every network member reads them, only network staff write
them. The organisation roles that read them (coordinators, members, analysts) get 403 when
they try to write; stakeholders, who are not members of the network, get 404. The campaign
is the strategy rows' one (unpublished), built through the services by the coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peaceworks.campaigns.models import Theme
from peaceworks.campaigns.services import theme_create
from peaceworks.campaigns.tests.policy_strategy import (
    _cached,
    _campaign,
    _pages,
    _staff,
    _staff_route,
    campaign_code,
)
from tests.security.policy import Route, Tenant
from tests.security.policy import unique as _unique


def _theme(world: Any) -> Theme:
    return _cached(  # type: ignore[no-any-return]
        world,
        "programmes_theme",
        lambda: theme_create(
            actor=_staff(world), campaign=_campaign(world), number=1, code="water", name="Water"
        ),
    )


def programme_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).programme_id}


def campaign_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).pk}


def theme_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _theme(world).pk}


def new_programme_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"name": "Peace education", "code": _unique(world, "programme")}


def programme_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    programme = _campaign(world).programme
    return {"name": "Renamed", "code": programme.code, "name_fr": "Renommé"}


def new_campaign_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"name": "Rights", "code": _unique(world, "campaign"), "kind": "campaign"}


def campaign_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    campaign = _campaign(world)  # the code stays: the other rows address it by its code
    return {"name": "Renamed", "code": campaign.code, "kind": "project", "name_es": "Renombrado"}


def new_theme_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    taken = Theme.objects.filter(campaign=_campaign(world)).values_list("number", flat=True)
    number = max(taken, default=0) + 1
    return {"number": number, "code": _unique(world, "theme"), "name": "Housing"}


def theme_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    theme = _theme(world)
    return {"number": theme.number, "code": theme.code, "name": "Water", "name_fr": "Eau"}


def _renamed(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"translations": {"fr": {"name": "Renommé"}}}


ROUTES: list[Route] = [
    *_pages("campaigns:programme_create", lambda world, tenant: {}, new_programme_form),
    *_pages("campaigns:programme_edit", programme_pk, programme_form),
    *_pages("campaigns:campaign_create", programme_pk, new_campaign_form),
    *_pages("campaigns:campaign_edit", campaign_code, campaign_form),
    *_pages("campaigns:theme_create", campaign_code, new_theme_form),
    *_pages("campaigns:theme_edit", theme_pk, theme_form),
    _staff_route("api:programme_patch", method="PATCH", args=programme_pk, data=_renamed),
    _staff_route("api:campaign_patch", method="PATCH", args=campaign_pk, data=_renamed),
    _staff_route("api:theme_patch", method="PATCH", args=theme_pk, data=_renamed),
]
