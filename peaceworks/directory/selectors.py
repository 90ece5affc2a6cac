"""Reads of directory data, shaped for the viewer.

Who reads what: every signed-in network member (any role but ``stakeholder``) reads the
directory of organisations; stakeholders, partnerships and the engagement log are network
staff data (anyone else gets NotFound); a follow-up is also visible to its owner.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from peaceworks.accounts.access import Actor, Viewer, user_id_of, viewer_for
from peaceworks.accounts.hooks import AttentionGroup, AttentionItem, first_items
from peaceworks.accounts.models import NETWORK_ROLES, User
from peaceworks.core.errors import NotFound
from peaceworks.core.search import ranked_search
from peaceworks.directory import geography, hooks
from peaceworks.directory.models import (
    Affiliation,
    AffiliationStatusChange,
    Engagement,
    FollowUp,
    Network,
    Organisation,
    Partnership,
    PartnershipDocument,
    Stakeholder,
    WebhookDelivery,
    WebhookSubscription,
)


def require_network_staff(user: Actor) -> Viewer:
    viewer = viewer_for(user)
    viewer.require_network_staff()
    return viewer


def organisation_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Organisation:
    """The organisation if the user may see its own data (and change it when ``write``).

    Raises NotFound for anyone without access (existence is not revealed) and Forbidden
    for a read-only member asking to write.
    """
    viewer_for(user).require_org(pk, write=write)
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise NotFound from None


def organisation_list_visible_to(*, user: Actor) -> QuerySet[Organisation]:
    """The organisations whose own data the user may read (their tenants)."""
    viewer = viewer_for(user)
    organisations = Organisation.objects.all()
    if not viewer.is_network_staff:
        organisations = organisations.filter(pk__in=viewer.readable_org_ids)
    return organisations.order_by("name")


@dataclass(frozen=True)
class OrganisationFilter:
    q: str = ""
    country: str = ""
    region: str = ""
    network: int | None = None
    membership_type: str = ""
    role: str = ""


_ROLE_FIELDS = {
    Organisation.RoleChoice.SENDING: "is_sending",
    Organisation.RoleChoice.HOSTING: "is_hosting",
    Organisation.RoleChoice.COORDINATING: "is_coordinating",
}


def _with_affiliations(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("network").order_by("network__name"),
        )
    )


def organisation_directory(*, user: Actor, filters: OrganisationFilter) -> QuerySet[Organisation]:
    """Member organisations matching the filters, affiliations prefetched (two queries).

    Raises NotFound for people who are not members of the network.
    """
    viewer_for(user).require_network_member()
    organisations = Organisation.objects.filter(is_secretariat=False)
    if filters.q:
        term = filters.q.strip()
        organisations = organisations.filter(
            Q(name__icontains=term)
            | Q(acronym__icontains=term)
            | Q(city__icontains=term)
            | Q(code__icontains=term)
        )
    if filters.country:
        organisations = organisations.filter(country=filters.country.upper())
    if filters.region:
        organisations = organisations.filter(
            country__in=geography.countries_in_region(filters.region)
        )
    if filters.network is not None or filters.membership_type:
        affiliation = Q()
        if filters.network is not None:
            affiliation &= Q(affiliations__network_id=filters.network)
        if filters.membership_type:
            affiliation &= Q(affiliations__membership_type=filters.membership_type)
        organisations = organisations.filter(
            pk__in=Organisation.objects.filter(affiliation).values("pk")
        )
    role_field = _ROLE_FIELDS.get(filters.role)  # type: ignore[call-overload]  # plain str key
    if role_field:
        organisations = organisations.filter(**{role_field: True})
    return _with_affiliations(organisations).order_by("name")


def organisation_get_for_directory(*, user: Actor, pk: int) -> Organisation:
    """An organisation's directory profile (any network member); NotFound otherwise."""
    viewer_for(user).require_network_member()
    organisation = _with_affiliations(Organisation.objects.filter(pk=pk)).first()
    if organisation is None:
        raise NotFound
    return organisation


def affiliation_history(*, organisation: Organisation) -> list[AffiliationStatusChange]:
    return list(
        AffiliationStatusChange.objects.filter(affiliation__organisation=organisation)
        .select_related("affiliation__network")
        .order_by("-valid_from", "-recorded_at")
    )


def network_list(*, user: Actor) -> QuerySet[Network]:
    viewer_for(user).require_network_member()
    return Network.objects.annotate(member_count=Count("affiliations")).order_by("name")


# --- stakeholders, partnerships, engagements: network staff only -----------------------------


def stakeholder_list(
    *, user: Actor, q: str = "", stakeholder_type: str = ""
) -> QuerySet[Stakeholder]:
    require_network_staff(user)
    stakeholders = Stakeholder.objects.all()
    if q:
        stakeholders = stakeholders.filter(
            Q(name__icontains=q) | Q(acronym__icontains=q) | Q(code__icontains=q)
        )
    if stakeholder_type:
        stakeholders = stakeholders.filter(stakeholder_type=stakeholder_type)
    return stakeholders.order_by("name")


def stakeholder_get_for_user(*, user: Actor, pk: int) -> Stakeholder:
    require_network_staff(user)
    stakeholder = Stakeholder.objects.prefetch_related("contacts").filter(pk=pk).first()
    if stakeholder is None:
        raise NotFound
    return stakeholder


def partnership_list(
    *,
    user: Actor,
    organisation: Organisation | None = None,
    stakeholder: Stakeholder | None = None,
    campaign_id: int | None = None,
) -> QuerySet[Partnership]:
    require_network_staff(user)
    partnerships = Partnership.objects.all()
    if organisation is not None:
        partnerships = partnerships.filter(organisations=organisation)
    if campaign_id is not None:
        partnerships = partnerships.filter(campaigns=campaign_id)
    if stakeholder is not None:
        partnerships = partnerships.filter(stakeholders=stakeholder)
    return partnerships.prefetch_related("organisations", "stakeholders").order_by(
        "-start_date", "title"
    )


def partnership_get_for_user(*, user: Actor, pk: int) -> Partnership:
    require_network_staff(user)
    partnership = (
        Partnership.objects.prefetch_related(
            "organisations",
            "stakeholders",
            Prefetch(
                "documents",
                queryset=PartnershipDocument.objects.defer("content").order_by("-created_at"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if partnership is None:
        raise NotFound
    return partnership


def partnership_document_get_for_user(
    *, user: Actor, partnership_pk: int, pk: int
) -> PartnershipDocument:
    require_network_staff(user)
    document = PartnershipDocument.objects.filter(partnership_id=partnership_pk, pk=pk).first()
    if document is None:
        raise NotFound
    return document


def engagement_timeline(
    *,
    user: Actor,
    organisation: Organisation | None = None,
    stakeholder: Stakeholder | None = None,
    partnership: Partnership | None = None,
) -> list[Engagement]:
    """Engagements newest first, with their follow-ups and owners (network staff only)."""
    require_network_staff(user)
    engagements = Engagement.objects.all()
    if organisation is not None:
        engagements = engagements.filter(
            Q(organisation=organisation) | Q(partnership__organisations=organisation)
        )
    if stakeholder is not None:
        engagements = engagements.filter(
            Q(stakeholder=stakeholder) | Q(partnership__stakeholders=stakeholder)
        )
    if partnership is not None:
        engagements = engagements.filter(partnership=partnership)
    return list(
        engagements.distinct()
        .select_related("stakeholder", "organisation", "partnership")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")))
        .order_by("-occurred_on", "-created_at")
    )


def engagement_get_for_user(*, user: Actor, pk: int) -> Engagement:
    require_network_staff(user)
    engagement = Engagement.objects.filter(pk=pk).first()
    if engagement is None:
        raise NotFound
    return engagement


def follow_up_list_for_owner(*, user: Actor, include_closed: bool = False) -> list[FollowUp]:
    """The signed-in person's follow-ups: their to-do list, soonest due first."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound
    follow_ups = FollowUp.objects.filter(owner_id=user_id_of(user))
    if not include_closed:
        follow_ups = follow_ups.filter(status=FollowUp.Status.OPEN)
    return list(
        follow_ups.select_related(
            "engagement__stakeholder", "engagement__organisation", "engagement__partnership"
        ).order_by("status", "due_date", "pk")
    )


def follow_up_get_for_user(*, user: Actor, pk: int) -> FollowUp:
    """A follow-up its owner or the network staff may update; NotFound for anyone else."""
    follow_up = FollowUp.objects.select_related("engagement").filter(pk=pk).first()
    if follow_up is None:
        raise NotFound
    if follow_up.owner_id != getattr(user, "pk", None):
        require_network_staff(user)
    return follow_up


# --- the map -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryCount:
    country: str
    name: str
    region: str
    members: int
    activities: int


def country_counts(*, user: Actor, network: int | None = None) -> list[CountryCount]:
    """Member organisations and hosted activities per country (network members only)."""
    viewer_for(user).require_network_member()
    members = Organisation.objects.filter(is_secretariat=False)
    if network is not None:
        members = members.filter(
            pk__in=Affiliation.objects.filter(network_id=network).values("organisation_id")
        )
    member_counts = Counter(
        dict(members.values_list("country").annotate(n=Count("pk")).values_list("country", "n"))
    )
    activity_counts = Counter(
        hooks.activities_per_country(hosts=members if network is not None else None)
    )
    rows = []
    for code in sorted(set(member_counts) | set(activity_counts)):
        found = geography.country(code)
        rows.append(
            CountryCount(
                country=code,
                name=geography.country_name(code),
                region=geography.region_name(found.region) if found else "",
                members=member_counts.get(code, 0),
                activities=activity_counts.get(code, 0),
            )
        )
    return sorted(rows, key=lambda row: row.name)


def webhook_subscription_list(*, organisation: Organisation) -> QuerySet[WebhookSubscription]:
    """An organisation's webhook subscriptions (the caller has checked the right to edit it)."""
    return WebhookSubscription.objects.filter(organisation=organisation).order_by("url")


def webhook_delivery_list(*, organisation: Organisation, limit: int = 50) -> list[WebhookDelivery]:
    """The organisation's latest deliveries, newest first, each with its attempts."""
    return list(webhook_deliveries_of(organisation=organisation)[:limit])


def webhook_deliveries_of(*, organisation: Organisation) -> QuerySet[WebhookDelivery]:
    """Every delivery of the organisation, newest first, each with its attempts (the API
    pages them)."""
    return (
        WebhookDelivery.objects.filter(subscription__organisation=organisation)
        .select_related("subscription")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")
    )


def webhook_subscription_get_for_user(*, user: Actor, pk: int) -> WebhookSubscription:
    """A subscription, for those who may edit its organisation (others: 404 or 403)."""
    subscription = WebhookSubscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise NotFound
    organisation_get_for_user(user=user, pk=subscription.organisation_id, write=True)
    return subscription


def webhook_delivery_get_for_user(*, user: Actor, pk: int) -> WebhookDelivery:
    """A delivery, for those who may edit its subscription's organisation."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=pk).first()
    if delivery is None:
        raise NotFound
    organisation_get_for_user(user=user, pk=delivery.subscription.organisation_id, write=True)
    return delivery


def follow_up_owner_candidates() -> QuerySet[Any]:
    """Who may own a follow-up: the network's active staff."""
    return (
        get_user_model()
        .objects.filter(memberships__role__in=NETWORK_ROLES, is_active=True)
        .distinct()
        .order_by("email")
    )


# What needs a person now (lent to accounts.hooks) ----------------------------------------

ATTENTION_FOLLOW_UPS_DUE = "directory.follow_ups_due"
ATTENTION_LABELS = {
    ATTENTION_FOLLOW_UPS_DUE: gettext_lazy("Follow-ups overdue or due within 7 days"),
}
FOLLOW_UPS_DUE_WITHIN = timedelta(days=7)


def attention_follow_ups(user: User, today: date) -> list[AttentionGroup]:
    """The open follow-ups ``user`` owns that are due within 7 days or overdue."""
    due, count = first_items(
        FollowUp.objects.filter(
            owner_id=user.pk,
            status=FollowUp.Status.OPEN,
            due_date__lte=today + FOLLOW_UPS_DUE_WITHIN,
        ).order_by("due_date", "pk")
    )
    url = reverse("directory:my_follow_ups")
    items = tuple(
        AttentionItem(
            key=f"directory.follow_up:{follow_up.pk}:due:{follow_up.due_date.isoformat()}",
            title=follow_up.description,
            url=url,
            due=follow_up.due_date,
        )
        for follow_up in due
        if follow_up.due_date is not None
    )
    return [
        AttentionGroup(
            kind=ATTENTION_FOLLOW_UPS_DUE,
            label=ATTENTION_LABELS[ATTENTION_FOLLOW_UPS_DUE],
            url=url,
            count=count,
            items=items,
        )
    ]


# --- search (combined by the web app's search page) -------------------------------------------


def organisation_search(*, user: Actor, query: str) -> QuerySet[Organisation]:
    """Organisations matching ``query``, for network members (the directory is theirs)."""
    if not viewer_for(user).is_network_member:
        return Organisation.objects.none()
    return ranked_search(
        Organisation.objects.all(),
        query=query,
        fields=("name", "acronym", "city", "code"),
        title="name",
    )


def stakeholder_search(*, user: Actor, query: str) -> QuerySet[Stakeholder]:
    """Stakeholders matching ``query``, for network staff only (as the stakeholder pages)."""
    if not viewer_for(user).is_network_staff:
        return Stakeholder.objects.none()
    return ranked_search(
        Stakeholder.objects.all(),
        query=query,
        fields=("name", "acronym", "city", "code", "description"),
        title="name",
    )
