"""The directory's API: organisations (every network member reads; staff and their own
coordinators write), networks, and the network staff's stakeholders and partnerships."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from peaceworks.core.errors import DomainError
from peaceworks.core.pagination import Rows, paginate, updated_since
from peaceworks.core.schemas import Id, Line
from peaceworks.directory import geography, selectors, services
from peaceworks.directory.models import (
    Engagement,
    FollowUp,
    Organisation,
    Partnership,
    Stakeholder,
    WebhookDelivery,
    WebhookSubscription,
)
from peaceworks.directory.schemas import (
    ORGANISATION_ORDERINGS,
    PARTNERSHIP_ORDERINGS,
    STAKEHOLDER_ORDERINGS,
    AffiliationOut,
    ContactOut,
    DocumentOut,
    EngagementIn,
    EngagementOut,
    FollowUpIn,
    FollowUpOut,
    FollowUpPatch,
    NetworkOut,
    OrganisationFilter,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PartnershipDetailOut,
    PartnershipFilter,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    StakeholderFilter,
    StakeholderIn,
    StakeholderOut,
    StakeholderPatch,
    WebhookAttemptOut,
    WebhookDeliveryOut,
    WebhookSubscriptionCreatedOut,
    WebhookSubscriptionIn,
    WebhookSubscriptionOut,
)
from peaceworks.directory.services import webhooks as webhook_services
from peaceworks.directory.views.relations import document_response

router = Router(tags=["directory"])

_ROLE_FLAGS = {"sending": "is_sending", "hosting": "is_hosting", "coordinating": "is_coordinating"}


def _organisation_out(organisation: Organisation) -> OrganisationOut:
    found = geography.country(organisation.country)
    return OrganisationOut(
        id=organisation.pk,
        code=organisation.code,
        name=organisation.name,
        acronym=organisation.acronym,
        country=organisation.country,
        country_name=organisation.country_name,
        region=found.region if found else "",
        subregion=found.subregion if found else "",
        city=organisation.city,
        website=organisation.website,
        roles=[role for role, flag in _ROLE_FLAGS.items() if getattr(organisation, flag)],
        networks=[
            AffiliationOut(
                network_id=affiliation.network_id,
                network_code=affiliation.network.code,
                membership_type=affiliation.membership_type,
                status=affiliation.status,
                status_since=affiliation.status_since,
            )
            for affiliation in organisation.affiliations.all()
        ],
    )


def _organisation_values(payload: dict[str, Any]) -> dict[str, Any]:
    roles = payload.pop("roles", None)
    if roles is not None:
        payload.update({flag: role in roles for role, flag in _ROLE_FLAGS.items()})
    return payload


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate
def organisation_list(
    request: HttpRequest, filters: Query[OrganisationFilter]
) -> Rows[Organisation]:
    """Member organisations with their networks; filters as on the directory page.

    Runs the same few queries whatever the number of organisations."""
    values = filters.dict()
    ordering, since = values.pop("ordering"), values.pop("updated_since")
    organisations = selectors.organisation_directory(
        user=request.user, filters=selectors.OrganisationFilter(**values)
    )
    organisations = ORGANISATION_ORDERINGS.apply(updated_since(organisations, since), ordering)
    return Rows(organisations, _organisation_out)


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request: HttpRequest, organisation_id: Id) -> OrganisationOut:
    organisation = selectors.organisation_get_for_directory(user=request.user, pk=organisation_id)
    return _organisation_out(organisation)


@router.post("/organisations", response={201: OrganisationOut})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[OrganisationOut]:
    organisation = services.organisation_create(
        actor=request.user, values=_organisation_values(payload.dict())
    )
    return Status(
        201,
        _organisation_out(
            selectors.organisation_get_for_directory(user=request.user, pk=organisation.pk)
        ),
    )


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_update(
    request: HttpRequest, organisation_id: Id, payload: OrganisationPatch
) -> OrganisationOut:
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=organisation_id, write=True
    )
    services.organisation_update(
        actor=request.user,
        organisation=organisation,
        values=_organisation_values(payload.dict(exclude_unset=True)),
    )
    return _organisation_out(
        selectors.organisation_get_for_directory(user=request.user, pk=organisation.pk)
    )


@router.get("/networks", response=list[NetworkOut])
@paginate
def network_list(request: HttpRequest) -> list[NetworkOut]:
    return [
        NetworkOut(
            id=network.pk,
            code=network.code,
            name=network.name,
            acronym=network.acronym,
            member_count=network.member_count,  # type: ignore[attr-defined]  # annotated
        )
        for network in selectors.network_list(user=request.user)
    ]


def _stakeholder_out(stakeholder: Stakeholder) -> StakeholderOut:
    return StakeholderOut(
        id=stakeholder.pk,
        code=stakeholder.code,
        name=stakeholder.name,
        acronym=stakeholder.acronym,
        stakeholder_type=stakeholder.stakeholder_type,
        country=stakeholder.country,
        city=stakeholder.city,
        website=stakeholder.website,
        description=stakeholder.description,
        contacts=[
            ContactOut(
                id=contact.pk,
                name=contact.name,
                position=contact.position,
                email=contact.email,
                phone=contact.phone,
            )
            for contact in stakeholder.contacts.all()
        ],
    )


@router.get("/stakeholders", response=list[StakeholderOut], summary="List stakeholders")
@paginate
def stakeholder_list(request: HttpRequest, filters: Query[StakeholderFilter]) -> Rows[Stakeholder]:
    """Network staff only."""
    stakeholders = selectors.stakeholder_list(
        user=request.user, q=filters.q, stakeholder_type=filters.stakeholder_type
    )
    if filters.country:
        stakeholders = stakeholders.filter(country=filters.country.upper())
    stakeholders = updated_since(stakeholders, filters.updated_since)
    return Rows(
        STAKEHOLDER_ORDERINGS.apply(stakeholders.prefetch_related("contacts"), filters.ordering),
        _stakeholder_out,
    )


@router.get("/stakeholders/{stakeholder_id}", response=StakeholderOut)
def stakeholder_detail(request: HttpRequest, stakeholder_id: Id) -> StakeholderOut:
    return _stakeholder_out(
        selectors.stakeholder_get_for_user(user=request.user, pk=stakeholder_id)
    )


@router.post("/stakeholders", response={201: StakeholderOut})
def stakeholder_create(request: HttpRequest, payload: StakeholderIn) -> Status[StakeholderOut]:
    stakeholder = services.stakeholder_create(actor=request.user, values=payload.dict())
    return Status(201, _stakeholder_out(stakeholder))


@router.patch("/stakeholders/{stakeholder_id}", response=StakeholderOut)
def stakeholder_update(
    request: HttpRequest, stakeholder_id: Id, payload: StakeholderPatch
) -> StakeholderOut:
    stakeholder = selectors.stakeholder_get_for_user(user=request.user, pk=stakeholder_id)
    services.stakeholder_update(
        actor=request.user, stakeholder=stakeholder, values=payload.dict(exclude_unset=True)
    )
    return _stakeholder_out(stakeholder)


def _partnership_out(partnership: Partnership) -> PartnershipOut:
    return PartnershipOut(
        id=partnership.pk,
        code=partnership.code,
        title=partnership.title,
        purpose=partnership.purpose,
        status=partnership.status,
        signed_on=partnership.signed_on,
        start_date=partnership.start_date,
        end_date=partnership.end_date,
        description=partnership.description,
        organisation_ids=[organisation.pk for organisation in partnership.organisations.all()],
        stakeholder_ids=[stakeholder.pk for stakeholder in partnership.stakeholders.all()],
    )


def _partnership_detail_out(partnership: Partnership) -> PartnershipDetailOut:
    return PartnershipDetailOut(
        **_partnership_out(partnership).dict(),
        documents=[
            DocumentOut(
                id=document.pk, title=document.title, filename=document.filename, size=document.size
            )
            for document in partnership.documents.all()
        ],
    )


def _parties(
    organisation_ids: list[int] | None, stakeholder_ids: list[int] | None
) -> tuple[list[Organisation] | None, list[Stakeholder] | None]:
    organisations = (
        list(Organisation.objects.filter(pk__in=organisation_ids))
        if organisation_ids is not None
        else None
    )
    stakeholders = (
        list(Stakeholder.objects.filter(pk__in=stakeholder_ids))
        if stakeholder_ids is not None
        else None
    )
    if organisations is not None and len(organisations) != len(set(organisation_ids or [])):
        raise DomainError(
            _("An organisation in the list does not exist."), field="organisation_ids"
        )
    if stakeholders is not None and len(stakeholders) != len(set(stakeholder_ids or [])):
        raise DomainError(_("A stakeholder in the list does not exist."), field="stakeholder_ids")
    return organisations, stakeholders


@router.get("/partnerships", response=list[PartnershipOut], summary="List partnerships")
@paginate
def partnership_list(request: HttpRequest, filters: Query[PartnershipFilter]) -> Rows[Partnership]:
    """Network staff only."""
    partnerships = selectors.partnership_list(user=request.user)
    if filters.status:
        partnerships = partnerships.filter(status=filters.status)
    if filters.purpose:
        partnerships = partnerships.filter(purpose=filters.purpose)
    partnerships = updated_since(partnerships, filters.updated_since)
    return Rows(PARTNERSHIP_ORDERINGS.apply(partnerships, filters.ordering), _partnership_out)


@router.get("/partnerships/{partnership_id}", response=PartnershipDetailOut)
def partnership_detail(request: HttpRequest, partnership_id: Id) -> PartnershipDetailOut:
    return _partnership_detail_out(
        selectors.partnership_get_for_user(user=request.user, pk=partnership_id)
    )


@router.post("/partnerships", response={201: PartnershipDetailOut})
def partnership_create(
    request: HttpRequest, payload: PartnershipIn
) -> Status[PartnershipDetailOut]:
    selectors.require_network_staff(request.user)
    values = payload.dict()
    organisations, stakeholders = _parties(
        values.pop("organisation_ids"), values.pop("stakeholder_ids")
    )
    partnership = services.partnership_create(
        actor=request.user,
        values=values,
        organisations=organisations or [],
        stakeholders=stakeholders or [],
    )
    return Status(
        201,
        _partnership_detail_out(
            selectors.partnership_get_for_user(user=request.user, pk=partnership.pk)
        ),
    )


@router.patch("/partnerships/{partnership_id}", response=PartnershipDetailOut)
def partnership_update(
    request: HttpRequest, partnership_id: Id, payload: PartnershipPatch
) -> PartnershipDetailOut:
    partnership = selectors.partnership_get_for_user(user=request.user, pk=partnership_id)
    values = payload.dict(exclude_unset=True)
    organisations, stakeholders = _parties(
        values.pop("organisation_ids", None), values.pop("stakeholder_ids", None)
    )
    services.partnership_update(
        actor=request.user,
        partnership=partnership,
        values=values,
        organisations=organisations,
        stakeholders=stakeholders,
    )
    return _partnership_detail_out(
        selectors.partnership_get_for_user(user=request.user, pk=partnership.pk)
    )


def _subscription_out(subscription: WebhookSubscription) -> WebhookSubscriptionOut:
    return WebhookSubscriptionOut(
        id=subscription.pk,
        organisation_id=subscription.organisation_id,
        url=subscription.url,
        events=list(subscription.events),
        is_active=subscription.is_active,
    )


@router.get("/organisations/{organisation_id}/webhooks", response=list[WebhookSubscriptionOut])
@paginate
def webhook_list(request: HttpRequest, organisation_id: Id) -> list[WebhookSubscriptionOut]:
    """The organisation's webhook subscriptions (its coordinators and network staff)."""
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=organisation_id, write=True
    )
    return [
        _subscription_out(subscription)
        for subscription in selectors.webhook_subscription_list(organisation=organisation)
    ]


@router.post(
    "/organisations/{organisation_id}/webhooks", response={201: WebhookSubscriptionCreatedOut}
)
def webhook_create(
    request: HttpRequest, organisation_id: Id, payload: WebhookSubscriptionIn
) -> Status[WebhookSubscriptionCreatedOut]:
    """Subscribe an HTTPS endpoint to events. The answer carries the signing secret (see
    docs/api.md, "Webhooks"); an address leading to a non-public network is 400 naming
    ``url``."""
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=organisation_id, write=True
    )
    subscription = webhook_services.webhook_subscribe(
        actor=request.user, organisation=organisation, url=payload.url, events=payload.events
    )
    out = _subscription_out(subscription)
    return Status(201, WebhookSubscriptionCreatedOut(**out.dict(), secret=subscription.secret))


@router.delete("/webhooks/{subscription_id}", response={204: None})
def webhook_delete(request: HttpRequest, subscription_id: Id) -> Status[None]:
    subscription = selectors.webhook_subscription_get_for_user(
        user=request.user, pk=subscription_id
    )
    webhook_services.webhook_unsubscribe(actor=request.user, subscription=subscription)
    return Status(204, None)


def _delivery_out(delivery: WebhookDelivery) -> WebhookDeliveryOut:
    return WebhookDeliveryOut(
        id=delivery.pk,
        subscription_id=delivery.subscription_id,
        event=delivery.event,
        event_id=str(delivery.event_id),
        state=delivery.state,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        created_at=delivery.created_at,
        attempt_log=[
            WebhookAttemptOut(
                at=attempt.at,
                address=attempt.address,
                status_code=attempt.status_code,
                error=attempt.error,
                duration_ms=attempt.duration_ms,
            )
            for attempt in delivery.attempt_log.all()
        ],
    )


@router.get(
    "/organisations/{organisation_id}/webhook-deliveries", response=list[WebhookDeliveryOut]
)
@paginate
def webhook_delivery_list(request: HttpRequest, organisation_id: Id) -> Rows[WebhookDelivery]:
    """The organisation's deliveries with every attempt, newest first."""
    organisation = selectors.organisation_get_for_user(
        user=request.user, pk=organisation_id, write=True
    )
    return Rows(selectors.webhook_deliveries_of(organisation=organisation), _delivery_out)


@router.post("/webhook-deliveries/{delivery_id}/replay", response=WebhookDeliveryOut)
def webhook_delivery_replay(request: HttpRequest, delivery_id: Id) -> WebhookDeliveryOut:
    """Send a delivery again (a new round of attempts; the earlier ones stay in its log)."""
    delivery = selectors.webhook_delivery_get_for_user(user=request.user, pk=delivery_id)
    webhook_services.webhook_replay(actor=request.user, delivery=delivery)
    return _delivery_out(selectors.webhook_delivery_get_for_user(user=request.user, pk=delivery_id))


# --- the engagement log, its follow-ups, partnership documents (network staff) --------------


def _follow_up_out(follow_up: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=follow_up.pk,
        engagement_id=follow_up.engagement_id,
        description=follow_up.description,
        owner_id=follow_up.owner_id,
        owner_email=follow_up.owner.email,
        due_date=follow_up.due_date,
        status=follow_up.status,
    )


def _engagement_out(engagement: Engagement) -> EngagementOut:
    return EngagementOut(
        id=engagement.pk,
        occurred_on=engagement.occurred_on,
        kind=engagement.kind,
        title=engagement.title,
        people=engagement.people,
        summary=engagement.summary,
        advice_received=engagement.advice_received,
        commitments=engagement.commitments,
        stakeholder_id=engagement.stakeholder_id,
        organisation_id=engagement.organisation_id,
        partnership_id=engagement.partnership_id,
        follow_ups=[_follow_up_out(follow_up) for follow_up in engagement.follow_ups.all()],
    )


@router.get("/engagements", response=list[EngagementOut])
@paginate
def engagement_list(
    request: HttpRequest,
    stakeholder_id: Id | None = None,
    organisation_id: Id | None = None,
    partnership_id: Id | None = None,
) -> list[EngagementOut]:
    """The engagement log, newest first, optionally with one party (its partnerships'
    engagements included)."""
    return [
        _engagement_out(engagement)
        for engagement in selectors.engagement_timeline(
            user=request.user,
            stakeholder=selectors.stakeholder_get_for_user(user=request.user, pk=stakeholder_id)
            if stakeholder_id
            else None,
            organisation=selectors.organisation_get_for_user(user=request.user, pk=organisation_id)
            if organisation_id
            else None,
            partnership=selectors.partnership_get_for_user(user=request.user, pk=partnership_id)
            if partnership_id
            else None,
        )
    ]


@router.get("/engagements/{engagement_id}", response=EngagementOut)
def engagement_detail(request: HttpRequest, engagement_id: Id) -> EngagementOut:
    return _engagement_out(selectors.engagement_get_for_user(user=request.user, pk=engagement_id))


@router.post("/engagements", response={201: EngagementOut})
def engagement_create(request: HttpRequest, payload: EngagementIn) -> Status[EngagementOut]:
    """Log a meeting, call or exchange with a stakeholder, organisation or partnership."""
    values = payload.dict()
    parties = {
        "stakeholder": values.pop("stakeholder_id"),
        "organisation": values.pop("organisation_id"),
        "partnership": values.pop("partnership_id"),
    }
    if not any(parties.values()):
        raise DomainError(
            _("Name the stakeholder, organisation or partnership it was with."),
            field="stakeholder_id",
        )
    engagement = services.engagement_record(
        actor=request.user,
        values=values,
        stakeholder=selectors.stakeholder_get_for_user(user=request.user, pk=parties["stakeholder"])
        if parties["stakeholder"]
        else None,
        organisation=selectors.organisation_get_for_user(
            user=request.user, pk=parties["organisation"]
        )
        if parties["organisation"]
        else None,
        partnership=selectors.partnership_get_for_user(user=request.user, pk=parties["partnership"])
        if parties["partnership"]
        else None,
    )
    return Status(
        201, _engagement_out(selectors.engagement_get_for_user(user=request.user, pk=engagement.pk))
    )


@router.post("/engagements/{engagement_id}/follow-ups", response={201: FollowUpOut})
def follow_up_create(
    request: HttpRequest, engagement_id: Id, payload: FollowUpIn
) -> Status[FollowUpOut]:
    """Add a follow-up, owned by one of the network's staff."""
    engagement = selectors.engagement_get_for_user(user=request.user, pk=engagement_id)
    owner = selectors.follow_up_owner_candidates().filter(pk=payload.owner_id).first()
    if owner is None:
        raise DomainError(_("The owner must be one of the network's staff."), field="owner_id")
    follow_up = services.follow_up_create(
        actor=request.user,
        engagement=engagement,
        description=payload.description,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, _follow_up_out(follow_up))


@router.get("/follow-ups/mine", response=list[FollowUpOut])
@paginate
def follow_up_mine(request: HttpRequest, include_closed: bool = False) -> list[FollowUpOut]:
    """The signed-in person's follow-ups, soonest due first."""
    return [
        _follow_up_out(follow_up)
        for follow_up in selectors.follow_up_list_for_owner(
            user=request.user, include_closed=include_closed
        )
    ]


@router.patch("/follow-ups/{follow_up_id}", response=FollowUpOut)
def follow_up_update(request: HttpRequest, follow_up_id: Id, payload: FollowUpPatch) -> FollowUpOut:
    """Mark a follow-up done, dropped or open again (its owner or the network staff)."""
    follow_up = selectors.follow_up_get_for_user(user=request.user, pk=follow_up_id)
    changes = payload.model_dump(exclude_unset=True)
    if "status" in changes:
        follow_up = services.follow_up_set_status(
            actor=request.user, follow_up=follow_up, status=changes["status"]
        )
    return _follow_up_out(follow_up)


@router.get("/partnerships/{partnership_id}/documents", response=list[DocumentOut])
@paginate
def document_list(request: HttpRequest, partnership_id: Id) -> list[DocumentOut]:
    partnership = selectors.partnership_get_for_user(user=request.user, pk=partnership_id)
    return [
        DocumentOut(id=d.pk, title=d.title, filename=d.filename, size=d.size)
        for d in partnership.documents.all()
    ]


@router.post("/partnerships/{partnership_id}/documents", response={201: DocumentOut})
def document_create(
    request: HttpRequest, partnership_id: Id, title: Form[Line], file: File[UploadedFile]
) -> Status[DocumentOut]:
    """Attach a signed agreement or annex (multipart: ``title`` and ``file``)."""
    partnership = selectors.partnership_get_for_user(user=request.user, pk=partnership_id)
    document = services.partnership_document_add(
        actor=request.user,
        partnership=partnership,
        title=title,
        filename=file.name or "document",
        content_type=file.content_type or "",
        data=file.read(),
    )
    return Status(
        201,
        DocumentOut(
            id=document.pk, title=document.title, filename=document.filename, size=document.size
        ),
    )


@router.get("/partnerships/{partnership_id}/documents/{document_id}/content")
def document_content(request: HttpRequest, partnership_id: Id, document_id: Id) -> HttpResponse:
    """The document's bytes, as an attachment."""
    document = selectors.partnership_document_get_for_user(
        user=request.user, partnership_pk=partnership_id, pk=document_id
    )
    return document_response(document)
