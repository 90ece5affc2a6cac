"""Policy rows of the impact analytics routes (dashboards, values API, raw export).

Every campaign's aggregates are visible to the network's members (coordinator floor); a
stakeholder sees published campaigns only, so the unpublished test campaign is a 404 for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peaceworks.campaigns.models import Campaign, Programme, Theme
from peaceworks.impact.default_framework import THEMES
from peaceworks.impact.services import framework_install_default
from tests.security.policy import Access, Route, Tenant

UNPUBLISHED = {"stakeholder": 404}  # stakeholders see published campaigns only


def _campaign(world: Any) -> Campaign:
    if "analytics_campaign" not in world.extras:
        programme = Programme.objects.create(name="Analytics", code="analytics-policy")
        campaign = Campaign.objects.create(
            programme=programme, name="Analytics policy", code="analytics-policy"
        )
        for number, names in THEMES.items():
            Theme.objects.create(
                campaign=campaign, number=number, code=f"theme-{number}", name=names["en"]
            )
        framework_install_default(actor=None, campaign=campaign)
        world.extras["analytics_campaign"] = campaign
    campaign = world.extras["analytics_campaign"]
    assert isinstance(campaign, Campaign)
    return campaign


def _campaign_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).pk}


def _indicator_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).pk, "code": "i1_knowledge"}


def _organisation_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).pk, "org_pk": world.org(tenant).pk}


def _api_indicator_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    _campaign(world)
    return {"code": "i1_knowledge"}


ROUTES = [
    Route("impact:dashboard", Access.SIGNED_IN, args=_campaign_args, overrides=UNPUBLISHED),
    Route(
        "impact:dashboard_indicator",
        Access.SIGNED_IN,
        args=_indicator_args,
        overrides=UNPUBLISHED,
    ),
    Route(
        "impact:dashboard_organisation",
        Access.ORG_READ,
        args=_organisation_args,
        tenant_scoped=True,
    ),
    Route("impact:dashboard_quality", Access.SIGNED_IN, args=_campaign_args, overrides=UNPUBLISHED),
    Route("impact:dashboard_refresh", Access.SIGNED_IN, args=_campaign_args, overrides=UNPUBLISHED),
    # forcing a refresh: network staff and organisation coordinators; read-only roles 403
    Route(
        "impact:dashboard_refresh",
        Access.ORG_WRITE,
        method="POST",
        args=_campaign_args,
        data=lambda world, tenant: {},
    ),
    Route("api:indicator_index", Access.SIGNED_IN),
    Route(
        "api:indicator_values",
        Access.SIGNED_IN,
        args=_api_indicator_args,
        overrides=UNPUBLISHED,
    ),
    # raw data: network staff all, organisation members their own; analysts aggregates only
    # (the decision and its reason: docs/security.md, "The analyst and the raw export")
    Route("api:response_export", Access.ORG_READ, overrides={"analyst": 404}),
    Route("api:response_export_activities", Access.ORG_READ, overrides={"analyst": 404}),
    Route("api:response_export_datapackage", Access.ORG_READ, overrides={"analyst": 404}),
    # how the figures are computed: no data, for everyone
    Route("impact:statistics", Access.PUBLIC),
]
