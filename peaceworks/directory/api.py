"""The directory's API: organisations (every network member reads; staff and their own
coordinators write), networks, and the network staff's stakeholders and partnerships."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from peaceworks.core.errors import DomainError
from peaceworks.core.schemas import Id, PageNumber
from peaceworks.directory import geography, selectors, services
from peaceworks.directory.models import Organisation, Partnership, Stakeholder
from peaceworks.directory.schemas import (
    AffiliationOut,
    ContactOut,
    DocumentOut,
    NetworkOut,
    OrganisationFilter,
    OrganisationIn,
    OrganisationOut,
    OrganisationPageOut,
    OrganisationPatch,
    PartnershipDetailOut,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    StakeholderIn,
    StakeholderOut,
    StakeholderPatch,
)

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


PAGE_SIZE = 50


@router.get("/organisations", response=OrganisationPageOut)
def organisation_list(
    request: HttpRequest, filters: Query[OrganisationFilter], page: PageNumber = 1
) -> OrganisationPageOut:
    """Member organisations with their networks, 50 a page; filters as on the directory page.

    Runs the same few queries whatever the number of organisations."""
    if page < 1:
        raise DomainError(_("Pages are numbered from 1."), field="page")
    organisations = selectors.organisation_directory(
        user=request.user, filters=selectors.OrganisationFilter(**filters.dict())
    )
    start = (page - 1) * PAGE_SIZE
    return OrganisationPageOut(
        count=organisations.count(),
        page=page,
        page_size=PAGE_SIZE,
        items=[
            _organisation_out(organisation)
            for organisation in organisations[start : start + PAGE_SIZE]
        ],
    )


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


@router.get("/stakeholders", response=list[StakeholderOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def stakeholder_list(request: HttpRequest, q: str = "") -> list[StakeholderOut]:
    """Network staff only."""
    stakeholders = selectors.stakeholder_list(user=request.user, q=q[:100])
    return [
        _stakeholder_out(stakeholder) for stakeholder in stakeholders.prefetch_related("contacts")
    ]


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


@router.get("/partnerships", response=list[PartnershipOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def partnership_list(request: HttpRequest) -> list[PartnershipOut]:
    """Network staff only."""
    return [
        _partnership_out(partnership)
        for partnership in selectors.partnership_list(user=request.user)
    ]


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
