"""The directory's rows of the policy table (see ``tests/security/policy.py``).

Who may do what here (``peaceworks.directory.selectors``): every network member (network
staff, and the coordinators, members and analysts of a member organisation) reads the
directory of organisations, whichever organisation it is; stakeholders do not (they see
published things only). Network staff add organisations and record memberships; a
coordinator edits their own organisation's profile. Stakeholders, partnerships, the
engagement log and member-list imports are network staff data; a pending import is its
uploader's; a follow-up is also its owner's to update.

Objects are built through the services by the network administrator, once per test and
tenant (``world.extras``), before the database is fingerprinted.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.core.models import PendingUpload
from peaceworks.core.uploads import upload_store
from peaceworks.directory import services
from peaceworks.directory.models import (
    Engagement,
    FollowUp,
    Network,
    Partnership,
    PartnershipDocument,
    Stakeholder,
    WebhookDelivery,
    WebhookSubscription,
)
from peaceworks.directory.services.member_import import MemberListImporter
from tests.security.policy import Access, Route, Tenant, organisation_args
from tests.security.policy import admin as _admin
from tests.security.policy import once as _once
from tests.security.policy import unique as _unique

# Stakeholders (the role) are not network members: the directory answers them 404 as it
# does outsiders, so that they learn nothing of it.
NOT_FOR_STAKEHOLDERS = {"stakeholder": 404}


def _network(world: Any) -> Network:
    return _once(
        world,
        "directory.network",
        lambda: Network.objects.create(code="matrix-net", name="Matrix network", acronym="MN"),
    )


def _stakeholder(world: Any) -> Stakeholder:
    return _once(
        world,
        "directory.stakeholder",
        lambda: services.stakeholder_create(
            actor=_admin(world),
            values={
                "name": "Matrix agency",
                "code": "matrix-agency",
                "stakeholder_type": Stakeholder.Type.UN_AGENCY,
                "country": "IT",
            },
        ),
    )


def _partnership(world: Any, tenant: Tenant) -> Partnership:
    """A partnership of the addressed organisation (still network staff data)."""
    return _once(
        world,
        f"directory.partnership.{tenant}",
        lambda: services.partnership_create(
            actor=_admin(world),
            values={
                "title": f"Grant of {world.org(tenant).name}",
                "code": f"matrix-grant-{tenant}",
                "purpose": Partnership.Purpose.FUNDER,
                "start_date": date(2026, 1, 1),
            },
            organisations=[world.org(tenant)],
        ),
    )


def _document(world: Any, tenant: Tenant) -> PartnershipDocument:
    return _once(
        world,
        f"directory.document.{tenant}",
        lambda: services.partnership_document_add(
            actor=_admin(world),
            partnership=_partnership(world, tenant),
            title="Agreement",
            filename="agreement.pdf",
            content_type="application/pdf",
            data=b"%PDF-1.4 matrix",
        ),
    )


def _engagement(world: Any, tenant: Tenant) -> Engagement:
    return _once(
        world,
        f"directory.engagement.{tenant}",
        lambda: services.engagement_record(
            actor=_admin(world),
            values={"occurred_on": date(2026, 3, 1), "title": "Annual meeting"},
            organisation=world.org(tenant),
        ),
    )


def _follow_up(world: Any, tenant: Tenant) -> FollowUp:
    return _once(
        world,
        f"directory.follow_up.{tenant}",
        lambda: services.follow_up_create(
            actor=_admin(world),
            engagement=_engagement(world, tenant),
            description="Send the report",
            owner=world.users["network_coordinator"],
        ),
    )


def _pending_import(world: Any) -> PendingUpload:
    """A member list uploaded by the network administrator (and only theirs to see)."""
    return _once(
        world,
        "directory.import",
        lambda: upload_store(
            actor=_admin(world),
            importer=MemberListImporter.kind,
            filename="members.csv",
            data=b"code,name,country\nmatrix-imported,Imported by the matrix,FR\n",
        ),
    )


def _pk(build: Any) -> Any:
    def args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
        return {"pk": build(world, tenant).pk}

    return args


_stakeholder_args = _pk(lambda world, tenant: _stakeholder(world))
_partnership_args = _pk(_partnership)
_engagement_args = _pk(_engagement)
_follow_up_args = _pk(_follow_up)
_import_args = _pk(lambda world, tenant: _pending_import(world))


def _document_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    document = _document(world, tenant)
    return {"pk": document.partnership_id, "document_pk": document.pk}


def _organisation_pk(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": world.org(tenant).pk}


def _new_organisation(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"name": "A new member", "code": _unique(world, "new-member"), "country": "FR"}


def _organisation_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    organisation = world.org(tenant)
    return {
        "name": f"{organisation.name} renamed",
        "code": organisation.code,
        "country": organisation.country,
        "city": "Nairobi",
    }


def _affiliation_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "network": _network(world).pk,
        "membership_type": "full",
        "status": "active",
        "valid_from": "2026-01-01",
    }


def _member_list(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    data = b"code,name,country\nmatrix-upload,Uploaded by the matrix,PE\n"
    return {"file": SimpleUploadedFile("members.csv", data, content_type="text/csv")}


def _new_stakeholder(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "name": "A new funder",
        "code": _unique(world, "funder"),
        "stakeholder_type": Stakeholder.Type.FUNDER,
    }


def _stakeholder_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    stakeholder = _stakeholder(world)
    return {
        "name": "Matrix agency, renamed",
        "code": stakeholder.code,
        "stakeholder_type": stakeholder.stakeholder_type,
    }


def _contact_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"name": "Ana Lima", "email": "ana@example.org"}


def _new_partnership(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "title": "A new grant",
        "code": _unique(world, "grant"),
        "purpose": Partnership.Purpose.FUNDER,
        "status": Partnership.Status.EXPLORING,
        "organisations": [world.org(tenant).pk],
    }


def _partnership_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    partnership = _partnership(world, tenant)
    return {
        "title": f"{partnership.title}, renewed",
        "code": partnership.code,
        "purpose": partnership.purpose,
        "status": Partnership.Status.ACTIVE,
        "organisations": [world.org(tenant).pk],
    }


def _document_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    upload = SimpleUploadedFile("annex.pdf", b"%PDF-1.4 annex", content_type="application/pdf")
    return {"title": "Annex", "file": upload}


def _engagement_party(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"organisation": world.org(tenant).pk}


def _engagement_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"occurred_on": "2026-04-02", "kind": Engagement.Kind.CALL, "title": "A call"}


def _follow_up_form(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"description": "Share the minutes", "owner": world.users["network_admin"].pk}


def _follow_up_done(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"status": FollowUp.Status.DONE}


# --- API bodies --------------------------------------------------------------------------------


def _api_new_organisation(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "code": _unique(world, "api-member"),
        "name": "An API member",
        "country": "FR",
        "roles": ["sending"],
    }


def _api_organisation_patch(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"city": "Lima"}


def _api_organisation_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return organisation_args(world, tenant)


def _api_new_stakeholder(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "code": _unique(world, "api-funder"),
        "name": "An API funder",
        "stakeholder_type": Stakeholder.Type.FUNDER,
    }


def _api_stakeholder_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"stakeholder_id": _stakeholder(world).pk}


def _api_new_partnership(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "code": _unique(world, "api-grant"),
        "title": "An API grant",
        "purpose": Partnership.Purpose.FUNDER,
        "organisation_ids": [world.org(tenant).pk],
    }


def _api_partnership_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"partnership_id": _partnership(world, tenant).pk}


def _api_partnership_patch(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"status": Partnership.Status.ACTIVE}


STAFF = Access.NETWORK_STAFF


# --- webhooks: an organisation's writers manage them (readers 403, others 404) ------------
_INTERNAL_HOOK = {"url": "https://127.0.0.1/hook", "events": ["response.received"]}


def _fresh_subscription(world: Any, tenant: Tenant) -> WebhookSubscription:
    """A new subscription each request (a successful unsubscribe deletes it)."""
    return WebhookSubscription.objects.create(
        organisation=world.org(tenant),
        url="https://hooks.example.org/peaceworks",
        events=["response.received"],
        secret="0" * 64,
    )


def _pk_of_org(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": world.org(tenant).pk}


def _subscription_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _fresh_subscription(world, tenant).pk}


def _api_subscription_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"subscription_id": _fresh_subscription(world, tenant).pk}


def _failed_delivery(world: Any, tenant: Tenant) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        subscription=_fresh_subscription(world, tenant),
        event="response.received",
        event_id=uuid.uuid4(),
        state=WebhookDelivery.State.FAILED,
    )


def _delivery_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"pk": _failed_delivery(world, tenant).pk}


def _api_delivery_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"delivery_id": _failed_delivery(world, tenant).pk}


# --- the engagement log, follow-ups and documents through the API (network staff) ---------


def _api_engagement_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"engagement_id": _engagement(world, tenant).pk}


def _api_follow_up_id(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"follow_up_id": _follow_up(world, tenant).pk}


def _api_document_ids(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    document = _document(world, tenant)
    return {"partnership_id": document.partnership_id, "document_id": document.pk}


def _api_new_engagement(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"occurred_on": "2026-04-01", "title": "Call", "organisation_id": world.org(tenant).pk}


def _api_new_follow_up(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"description": "Write back", "owner_id": world.users["network_coordinator"].pk}


def _api_new_document(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {
        "title": "Annex",
        "file": SimpleUploadedFile("annex.pdf", b"%PDF-1.4 annex", "application/pdf"),
    }


def _invitation_body(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"email": "invited.person@example.org", "role": "org_member"}


ROUTES: list[Route] = [
    # --- an organisation's team: its readers see it, its coordinators invite -------------
    Route("directory:team", Access.ORG_READ, args=organisation_args, tenant_scoped=True),
    Route(
        "directory:invitation_create",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=organisation_args,
        data=_invitation_body,
        tenant_scoped=True,
    ),
    # --- organisations: network members read every profile; stakeholders do not ---------
    Route("directory:index", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "directory:organisation",
        Access.SIGNED_IN,
        args=_organisation_pk,
        tenant_scoped=True,  # another organisation's directory profile is network-wide
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route("directory:organisation_create", STAFF),
    Route("directory:organisation_create", STAFF, method="POST", ok=302, data=_new_organisation),
    Route(
        "directory:organisation_edit", Access.ORG_WRITE, args=_organisation_pk, tenant_scoped=True
    ),
    Route(
        "directory:organisation_edit",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_organisation_pk,
        data=_organisation_form,
        tenant_scoped=True,
    ),
    Route(
        "directory:affiliation_set",
        STAFF,
        method="POST",
        ok=302,
        args=_organisation_pk,
        data=_affiliation_form,
        tenant_scoped=True,
    ),
    # --- map, import, export ---------------------------------------------------------------
    Route("directory:map", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "directory:export",
        Access.SIGNED_IN,
        args=lambda world, tenant: {"file_format": "csv"},
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route("directory:import", STAFF),
    Route("directory:import", STAFF, method="POST", ok=302, data=_member_list),
    # A pending member list is only its uploader's (here the network administrator's): the
    # other network coordinator gets 404 as well.
    Route("directory:import_preview", Access.NETWORK_ADMIN, args=_import_args),
    Route(
        "directory:import_confirm",
        Access.NETWORK_ADMIN,
        method="POST",
        ok=302,
        args=_import_args,
        data=lambda world, tenant: {},
    ),
    # --- stakeholders, partnerships, engagements: network staff data -----------------------
    Route("directory:stakeholders", STAFF),
    Route("directory:stakeholder_create", STAFF),
    Route("directory:stakeholder_create", STAFF, method="POST", ok=302, data=_new_stakeholder),
    Route("directory:stakeholder", STAFF, args=_stakeholder_args),
    Route("directory:stakeholder_edit", STAFF, args=_stakeholder_args),
    Route(
        "directory:stakeholder_edit",
        STAFF,
        method="POST",
        ok=302,
        args=_stakeholder_args,
        data=_stakeholder_form,
    ),
    Route(
        "directory:contact_add",
        STAFF,
        method="POST",
        ok=302,
        args=_stakeholder_args,
        data=_contact_form,
    ),
    Route("directory:partnerships", STAFF),
    Route("directory:partnership_create", STAFF),
    Route(
        "directory:partnership_create",
        STAFF,
        method="POST",
        ok=302,
        data=_new_partnership,
        tenant_scoped=True,
    ),
    # Tenant-scoped: even an organisation's own coordinator does not see its partnerships.
    Route("directory:partnership", STAFF, args=_partnership_args, tenant_scoped=True),
    Route("directory:partnership_edit", STAFF, args=_partnership_args, tenant_scoped=True),
    Route(
        "directory:partnership_edit",
        STAFF,
        method="POST",
        ok=302,
        args=_partnership_args,
        data=_partnership_form,
        tenant_scoped=True,
    ),
    Route(
        "directory:document_upload",
        STAFF,
        method="POST",
        ok=302,
        args=_partnership_args,
        data=_document_form,
        tenant_scoped=True,
    ),
    Route("directory:document_download", STAFF, args=_document_args, tenant_scoped=True),
    Route("directory:engagement_create", STAFF, query=_engagement_party, tenant_scoped=True),
    Route(
        "directory:engagement_create",
        STAFF,
        method="POST",
        ok=302,
        query=_engagement_party,
        data=_engagement_form,
        tenant_scoped=True,
    ),
    Route("directory:follow_up_create", STAFF, args=_engagement_args, tenant_scoped=True),
    Route(
        "directory:follow_up_create",
        STAFF,
        method="POST",
        ok=302,
        args=_engagement_args,
        data=_follow_up_form,
        tenant_scoped=True,
    ),
    # Everyone's own to-do list (empty for most).
    Route("directory:my_follow_ups", Access.SIGNED_IN),
    # The follow-up is the network coordinator's: its owner and the network staff update it.
    Route(
        "directory:follow_up_status",
        STAFF,
        method="POST",
        ok=302,
        args=_follow_up_args,
        data=_follow_up_done,
    ),
    # --- API -------------------------------------------------------------------------------
    Route("api:organisation_list", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route(
        "api:organisation_detail",
        Access.SIGNED_IN,
        args=_api_organisation_id,
        tenant_scoped=True,  # the directory profile is network-wide
        overrides=NOT_FOR_STAKEHOLDERS,
    ),
    Route(
        "api:organisation_create",
        STAFF,
        method="POST",
        ok=201,
        data=_api_new_organisation,
    ),
    Route(
        "api:organisation_update",
        Access.ORG_WRITE,
        method="PATCH",
        args=_api_organisation_id,
        data=_api_organisation_patch,
        tenant_scoped=True,
    ),
    Route("api:network_list", Access.SIGNED_IN, overrides=NOT_FOR_STAKEHOLDERS),
    Route("api:stakeholder_list", STAFF),
    Route("api:stakeholder_detail", STAFF, args=_api_stakeholder_id),
    Route("api:stakeholder_create", STAFF, method="POST", ok=201, data=_api_new_stakeholder),
    Route(
        "api:stakeholder_update",
        STAFF,
        method="PATCH",
        args=_api_stakeholder_id,
        data=lambda world, tenant: {"city": "Rome"},
    ),
    Route("api:partnership_list", STAFF),
    Route("api:partnership_detail", STAFF, args=_api_partnership_id, tenant_scoped=True),
    Route(
        "api:partnership_create",
        STAFF,
        method="POST",
        ok=201,
        data=_api_new_partnership,
        tenant_scoped=True,
    ),
    Route(
        "api:partnership_update",
        STAFF,
        method="PATCH",
        args=_api_partnership_id,
        data=_api_partnership_patch,
        tenant_scoped=True,
    ),
    # --- webhooks (an internal address is refused: 400 for writers, nothing saved) -------
    Route("directory:webhooks", Access.ORG_WRITE, args=_pk_of_org, tenant_scoped=True),
    Route(
        "directory:webhooks",
        Access.ORG_WRITE,
        method="POST",
        ok=400,
        args=_pk_of_org,
        data=lambda world, tenant: _INTERNAL_HOOK,
        tenant_scoped=True,
    ),
    Route(
        "directory:webhook_unsubscribe",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_subscription_args,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    Route(
        "directory:webhook_replay",
        Access.ORG_WRITE,
        method="POST",
        ok=302,
        args=_delivery_args,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    Route("api:webhook_list", Access.ORG_WRITE, args=_api_organisation_id, tenant_scoped=True),
    Route(
        "api:webhook_create",
        Access.ORG_WRITE,
        method="POST",
        ok=400,
        args=_api_organisation_id,
        data=lambda world, tenant: _INTERNAL_HOOK,
        tenant_scoped=True,
    ),
    Route(
        "api:webhook_delete",
        Access.ORG_WRITE,
        method="DELETE",
        ok=204,
        args=_api_subscription_args,
        tenant_scoped=True,
    ),
    Route(
        "api:webhook_delivery_list",
        Access.ORG_WRITE,
        args=_api_organisation_id,
        tenant_scoped=True,
    ),
    Route(
        "api:webhook_delivery_replay",
        Access.ORG_WRITE,
        method="POST",
        ok=200,
        args=_api_delivery_args,
        data=lambda world, tenant: {},
        tenant_scoped=True,
    ),
    Route("api:engagement_list", STAFF),
    Route("api:engagement_detail", STAFF, args=_api_engagement_id, tenant_scoped=True),
    Route("api:engagement_create", STAFF, method="POST", ok=201, data=_api_new_engagement),
    Route(
        "api:follow_up_create",
        STAFF,
        method="POST",
        ok=201,
        args=_api_engagement_id,
        data=_api_new_follow_up,
    ),
    Route("api:follow_up_mine", Access.SIGNED_IN),
    Route(
        "api:follow_up_update",
        STAFF,
        method="PATCH",
        args=_api_follow_up_id,
        data=lambda world, tenant: {"status": "done"},
    ),
    Route("api:document_list", STAFF, args=_api_partnership_id, tenant_scoped=True),
    Route(
        "api:document_create",
        STAFF,
        method="POST",
        ok=201,
        args=_api_partnership_id,
        data=_api_new_document,
        multipart=True,
    ),
    Route("api:document_content", STAFF, args=_api_document_ids, tenant_scoped=True),
]
