"""The campaigns' rows of the policy table (see ``tests/security/policy.py``).

Who may do what here (``peaceworks.campaigns.selectors``): programmes, campaigns, plans and
output indicators are network-level, read by every network member (network staff and the
coordinators, members and analysts of member organisations); stakeholders see published
campaigns and plans only, and the public page of a published campaign is open to all.
Network staff change campaigns. Raw activity records are read by network staff and by the
coordinators and members of the hosting or a co-organising organisation (analysts see
aggregates only) and written by network staff and the host's coordinators; an analyst of the
host who tries to write is refused with 403, as every read-only member is (the one activity
rule, ``campaigns.selectors.activity_access``). An action's progress is written by
network staff, its owner, or a coordinator of its owner organisation.

Objects are built through the services by the network administrator, once per test (and per
tenant for tenant data) in ``world.extras``, before the database is fingerprinted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.campaigns.imports import ActivityImporter
from peaceworks.campaigns.models import Action, Activity, Campaign, Plan
from peaceworks.campaigns.services import (
    ActivityData,
    action_create,
    activity_create,
    campaign_create,
    campaign_publish,
    goal_create,
    objective_create,
    plan_create,
    programme_create,
    theme_create,
)
from peaceworks.core.models import PendingUpload
from peaceworks.core.uploads import upload_store
from tests.security.policy import Access, Route, Tenant
from tests.security.policy import admin as _admin
from tests.security.policy import once as _once
from tests.security.policy import unique as _unique

# Stakeholders (the role) see published campaigns and plans only, and campaign pages not at
# all (they have the public page): 404, as for anything that does not exist.
NOT_FOR_STAKEHOLDERS = {"stakeholder": 404}
# Analysts see activities in aggregate only: a raw record is as absent for them as for an
# outsider (404), even when their organisation hosts it. Writing is refused with 403, as for
# every read-only member of the host (Purpose.WRITE sees what Purpose.ANALYSE sees).
NO_RECORDS_FOR_ANALYSTS = {"analyst": 404}
# Plans are read network-wide, so another organisation's action is visible to every member;
# only its owner organisation's coordinators (and network staff) may update it: 403.
OTHERS_SEE_BUT_MAY_NOT_UPDATE = {
    "org_coordinator/other": 403,
    "org_member/other": 403,
    "analyst/other": 403,
}


def _campaign(world: Any, *, published: bool = False) -> Campaign:
    """An unpublished campaign with three themes (or a published one for the public page)."""
    key = "campaigns.public_campaign" if published else "campaigns.campaign"

    def build() -> Campaign:
        admin = _admin(world)
        programme = _once(
            world,
            "campaigns.programme",
            lambda: programme_create(actor=admin, name="Matrix programme", code="matrix-prog"),
        )
        code = "matrix-public" if published else "matrix-campaign"
        campaign = campaign_create(actor=admin, programme=programme, name=code, code=code)
        for number in range(1, 4):
            theme_create(
                actor=admin,
                campaign=campaign,
                number=number,
                code=f"{code}-t{number}",
                name=f"Theme {number}",
            )
        if published:
            campaign_publish(
                actor=admin,
                campaign=campaign,
                is_published=True,
                published_summary="What the campaign does.",
            )
        return campaign

    return _once(world, key, build)


def _activity_data(world: Any, code: str) -> ActivityData:
    theme = _campaign(world).themes.order_by("number").first()
    assert theme is not None
    return ActivityData(
        code=code,
        title="Workcamp by the river",
        activity_type=Activity.Type.WORKCAMP,
        start_date=date(2026, 7, 1),
        end_date=date(2026, 7, 14),
        country="KE",
        theme_ids=(theme.pk,),
        international_volunteers=8,
        local_volunteers=4,
    )


def _activity(world: Any, tenant: Tenant) -> Activity:
    """An activity hosted by the addressed organisation."""
    return _once(
        world,
        f"campaigns.activity.{tenant}",
        lambda: activity_create(
            actor=_admin(world),
            campaign=_campaign(world),
            host_organisation=world.org(tenant),
            data=_activity_data(world, f"matrix-act-{tenant}"),
        ),
    )


def _plan(world: Any) -> Plan:
    """An unpublished plan of the unpublished campaign."""
    return _once(
        world,
        "campaigns.plan",
        lambda: plan_create(
            actor=_admin(world),
            campaign=_campaign(world),
            title="Matrix plan",
            start_year=2026,
            end_year=2027,
        ),
    )


def _action(world: Any, tenant: Tenant) -> Action:
    """An action of the plan, owned by the addressed organisation."""

    def build() -> Action:
        admin = _admin(world)
        objective = _once(
            world,
            "campaigns.objective",
            lambda: objective_create(
                actor=admin,
                goal=_once(
                    world,
                    "campaigns.goal",
                    lambda: goal_create(actor=admin, plan=_plan(world), number=1, title="Grow"),
                ),
                number=1,
                title="Reach more people",
            ),
        )
        return action_create(
            actor=admin,
            objective=objective,
            title=f"Training by {world.org(tenant).name}",
            start_date=date(2026, 1, 1),
            due_date=date(2026, 12, 31),
            owner_organisation=world.org(tenant),
        )

    return _once(world, f"campaigns.action.{tenant}", build)


def _upload(world: Any) -> PendingUpload:
    """An activity file uploaded by the network administrator (and only theirs to confirm)."""
    return _once(
        world,
        "campaigns.upload",
        lambda: upload_store(
            actor=_admin(world),
            importer=ActivityImporter.kind,
            filename="activities.csv",
            data=_activity_file(world, "matrix-imported"),
            target={"campaign": _campaign(world).pk},
        ),
    )


def _activity_file(world: Any, code: str) -> bytes:
    theme = _campaign(world).themes.order_by("number").first()
    assert theme is not None
    return (
        "code,title,type,host_organisation,start_date,end_date,country,themes\n"
        f"{code},Imported camp,workcamp,{world.own.code},2026-08-01,2026-08-10,KE,"
        f"{theme.number}\n"
    ).encode()


# --- arguments and bodies ----------------------------------------------------------------------


def _code(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"code": _campaign(world).code}


def _public_code(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"code": _campaign(world, published=True).code}


def _activity_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _activity(world, tenant).pk}


def _plan_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _plan(world).pk}


def _action_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _action(world, tenant).pk}


def _upload_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _upload(world).pk}


def _activity_form(world: Any, code: str, host: int) -> dict[str, Any]:
    data = _activity_data(world, code)
    return {
        "code": data.code,
        "title": data.title,
        "activity_type": data.activity_type,
        "status": data.status,
        "host_organisation": host,
        "start_date": data.start_date.isoformat(),
        "end_date": data.end_date.isoformat(),
        "country": data.country,
        "language": "en",
        "themes": list(data.theme_ids),
        "international_volunteers": 10,
        "local_volunteers": 4,
        "local_participants": 0,
        "fewer_opportunities_total": 0,
        **dict.fromkeys(
            (
                "fo_disability",
                "fo_health",
                "fo_education",
                "fo_cultural",
                "fo_social",
                "fo_economic",
                "fo_discrimination",
                "fo_geographical",
            ),
            0,
        ),
    }


def _new_activity_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return _activity_form(world, _unique(world, "new-act"), world.org(tenant).pk)


def _activity_edit_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    activity = _activity(world, tenant)
    return _activity_form(world, activity.code, activity.host_organisation_id)


def _activity_upload_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    data = _activity_file(world, _unique(world, "uploaded-act"))
    return {"file": SimpleUploadedFile("activities.csv", data, content_type="text/csv")}


def _progress_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"progress": 40, "status": Action.Status.IN_PROGRESS}


def _api_campaign_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).pk}


def _api_new_activity(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    data = _activity_data(world, _unique(world, "api-act"))
    return {
        "campaign_id": _campaign(world).pk,
        "host_organisation_id": world.org(tenant).pk,
        "code": data.code,
        "title": data.title,
        "activity_type": data.activity_type,
        "start_date": data.start_date.isoformat(),
        "end_date": data.end_date.isoformat(),
        "country": data.country,
        "theme_ids": list(data.theme_ids),
    }


def _api_goal_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _action(world, tenant).objective.goal_id}


def _api_objective_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _action(world, tenant).objective_id}


def _api_programme_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _campaign(world).programme_id}


ROUTES: list[Route] = [
    # --- campaign pages ----------------------------------------------------------------------
    # Everyone signed in gets the list (stakeholders: the published campaigns only).
    Route("campaigns:index", Access.SIGNED_IN),
    Route("campaigns:public", Access.PUBLIC, args=_public_code),
    Route("campaigns:detail", Access.SIGNED_IN, args=_code, overrides=NOT_FOR_STAKEHOLDERS),
    Route("campaigns:outputs", Access.SIGNED_IN, args=_code, overrides=NOT_FOR_STAKEHOLDERS),
    # Members see the campaign, so a member who may not publish it is refused (403).
    Route(
        "campaigns:publish",
        Access.NETWORK_STAFF,
        args=_code,
        overrides={"org_coordinator": 403, "org_member": 403, "analyst": 403},
    ),
    Route(
        "campaigns:publish",
        Access.NETWORK_STAFF,
        method="POST",
        ok=302,
        args=_code,
        # keeps the campaign unpublished, so the stakeholder's 404 holds for every role
        data=lambda world, tenant: {"published_summary": "A summary for later."},
        overrides={"org_coordinator": 403, "org_member": 403, "analyst": 403},
    ),
    # --- activities ----------------------------------------------------------------------
    # The list is every member's (analysts get an empty one: records are not theirs).
    Route("campaigns:activity_list", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "campaigns:activity_detail",
        Access.ORG_READ,
        args=_activity_pk,
        tenant_scoped=True,
        overrides=NO_RECORDS_FOR_ANALYSTS,
    ),
    Route(
        "campaigns:activity_edit",
        Access.ORG_WRITE,
        args=_activity_pk,
        tenant_scoped=True,
    ),
    Route(
        "campaigns:activity_edit",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_activity_pk,
        data=_activity_edit_form,
        tenant_scoped=True,
    ),
    # Registering needs an organisation to host for: read-only members are refused (403).
    Route("campaigns:activity_create", Access.ORG_WRITE, args=_code),
    Route(
        "campaigns:activity_create",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_code,
        data=_new_activity_form,
        tenant_scoped=True,
        overrides={
            # The host is chosen in the form: a coordinator naming another organisation gets
            # the form back with an error on the host (nothing is written).
            "org_coordinator/other": 200,
            # The campaign is visible; members who host nothing may not register (403).
            "org_member/other": 403,
            "analyst/other": 403,
        },
    ),
    Route("campaigns:activity_import", Access.ORG_WRITE, args=_code),
    # The upload is kept and its preview shown (302 to it); confirming is a separate step.
    Route(
        "campaigns:activity_import",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_code,
        data=_activity_upload_form,
    ),
    # A pending upload is only its uploader's (here the network administrator's).
    Route("campaigns:import_preview", Access.NETWORK_ADMIN, args=_upload_pk),
    Route(
        "campaigns:import_confirm",
        Access.NETWORK_ADMIN,
        method="POST",
        ok=302,
        args=_upload_pk,
        data=lambda world, tenant: {},
    ),
    # --- strategy ------------------------------------------------------------------------
    Route("campaigns:plan_detail", Access.SIGNED_IN, args=_plan_pk, overrides=NOT_FOR_STAKEHOLDERS),
    Route("campaigns:my_actions", Access.SIGNED_IN),
    Route(
        "campaigns:action_progress",
        Access.ORG_WRITE,
        args=_action_pk,
        tenant_scoped=True,
        overrides=OTHERS_SEE_BUT_MAY_NOT_UPDATE,
    ),
    Route(
        "campaigns:action_progress",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_action_pk,
        data=_progress_form,
        tenant_scoped=True,
        overrides=OTHERS_SEE_BUT_MAY_NOT_UPDATE,
    ),
    # --- API -------------------------------------------------------------------------------
    Route("api:programme_list", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "api:programme_detail",
        Access.SIGNED_IN,
        args=_api_programme_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    # Stakeholders get the published campaigns (and projects) only.
    Route("api:campaign_list", Access.SIGNED_IN),
    Route("api:project_list", Access.SIGNED_IN),
    # A published campaign: stakeholders see it too.
    Route(
        "api:campaign_detail",
        Access.SIGNED_IN,
        args=lambda world, tenant: {"pk": _campaign(world, published=True).pk},
    ),
    # The unpublished campaign's parts: not for stakeholders.
    Route(
        "api:theme_list", Access.SIGNED_IN, args=_api_campaign_pk, overrides=NOT_FOR_STAKEHOLDERS
    ),
    Route(
        "api:inclusion_target_list",
        Access.SIGNED_IN,
        args=_api_campaign_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "api:campaign_outputs",
        Access.SIGNED_IN,
        args=_api_campaign_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route("api:activity_list", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "api:activity_detail",
        Access.ORG_READ,
        args=_activity_pk,
        tenant_scoped=True,
        overrides=NO_RECORDS_FOR_ANALYSTS,
    ),
    Route(
        "api:activity_create_endpoint",
        Access.ORG_WRITE,
        method="POST",
        ok=201,
        data=_api_new_activity,
        tenant_scoped=True,
    ),
    Route(
        "api:activity_patch",
        Access.ORG_WRITE,
        method="PATCH",
        args=_activity_pk,
        data=lambda world, tenant: {"place": "By the river"},
        tenant_scoped=True,
    ),
    # Stakeholders get the published plans only.
    Route("api:plan_list", Access.SIGNED_IN),
    Route("api:plan_detail", Access.SIGNED_IN, args=_plan_pk, overrides=NOT_FOR_STAKEHOLDERS),
    Route("api:goal_detail", Access.SIGNED_IN, args=_api_goal_pk, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "api:objective_detail",
        Access.SIGNED_IN,
        args=_api_objective_pk,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route("api:my_action_list", Access.SIGNED_IN),
    Route(
        "api:action_detail",
        Access.SIGNED_IN,
        args=_action_pk,
        tenant_scoped=True,
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "api:action_progress_patch",
        Access.ORG_WRITE,
        method="PATCH",
        args=_action_pk,
        data=_progress_form,
        tenant_scoped=True,
        overrides=OTHERS_SEE_BUT_MAY_NOT_UPDATE,
    ),
]
