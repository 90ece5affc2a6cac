"""Policy rows for co-organising (see ``tests/security/policy.py``).

An organisation named as co-organiser by someone who may not act for it is asked: its
coordinators (and network staff) accept or decline, or later stop co-organising; its
read-only members get 403, everyone else 404. The addressed organisation is the one asked;
the activity is hosted by the other one. A request is built for every request, before the
database is fingerprinted, through the services (asked by no one who may act for the
organisation, so it stays pending).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peaceworks.campaigns.models import Activity, CoOrganiserRequest
from peaceworks.campaigns.services import activity_create
from peaceworks.campaigns.services.co_organisers import co_organisers_apply
from peaceworks.campaigns.tests.policy import _activity_data, _campaign
from tests.security.policy import Access, Route, Tenant
from tests.security.policy import admin as _admin
from tests.security.policy import unique as _unique


def _asked(world: Any, tenant: Tenant) -> Activity:
    """An activity of the other organisation that asks the addressed one to co-organise: the
    last one built while its request is pending, else a new one (a successful answer uses the
    request up)."""
    key = f"campaigns.co_organiser_request.{tenant}"
    last: Activity | None = world.extras.get(key)
    if (
        last is not None
        and CoOrganiserRequest.objects.filter(
            activity=last, organisation=world.org(tenant)
        ).exists()
    ):
        return last
    host = Tenant.OTHER if tenant is Tenant.OWN else Tenant.OWN
    activity = activity_create(
        actor=_admin(world),
        campaign=_campaign(world),
        host_organisation=world.org(host),
        data=_activity_data(world, _unique(world, "matrix-co")),
    )
    co_organisers_apply(actor=None, activity=activity, organisations=[world.org(tenant)])
    world.extras[key] = activity
    return activity


def _request_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _asked(world, tenant).pk, "organisation_id": world.org(tenant).pk}


def _no_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {}


ROUTES: list[Route] = [
    Route("campaigns:co_organising", Access.SIGNED_IN),
    Route(
        "campaigns:co_organiser_accept",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_request_args,
        data=_no_body,
        tenant_scoped=True,
    ),
    Route(
        "campaigns:co_organiser_withdraw",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_request_args,
        data=_no_body,
        tenant_scoped=True,
    ),
    Route(
        "api:co_organiser_accept_endpoint",
        Access.ORG_WRITE,
        method="POST",
        ok=204,
        args=_request_args,
        data=_no_body,
        tenant_scoped=True,
    ),
    Route(
        "api:co_organiser_withdraw_endpoint",
        Access.ORG_WRITE,
        method="DELETE",
        ok=204,
        args=_request_args,
        tenant_scoped=True,
    ),
]
