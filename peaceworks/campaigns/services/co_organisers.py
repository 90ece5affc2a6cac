"""Co-organisers of an activity: named by the host, in effect once the co-organiser accepts.

An organisation the actor may act for (network staff; a coordinator of it) becomes a
co-organiser at once. Any other one gets a pending :class:`CoOrganiserRequest`: it is no
co-organiser yet, so its members see nothing of the activity through it, until one of its
coordinators (or network staff) accepts. Its coordinators may decline a request, or stop
co-organising later; the host drops a co-organiser or a request by editing the activity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from peaceworks.accounts.access import Actor, user_of, viewer_for
from peaceworks.campaigns.models import Activity, CoOrganiserRequest
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import NotFound
from peaceworks.directory.models import Organisation


def co_organisers_apply(
    *, actor: Actor, activity: Activity, organisations: Iterable[Organisation]
) -> None:
    """Make ``organisations`` the saved ``activity``'s co-organisers (the host's whole list).

    Those the actor may act for join at once; the others are asked (a pending request each,
    kept if already asked); organisations no longer named lose their place or their request.
    Called inside the activity's create/update transaction, after its rights were checked.
    """
    viewer = viewer_for(actor)
    wanted = {organisation.pk for organisation in organisations}
    accepted = set(activity.co_organisers.values_list("pk", flat=True))
    activity.co_organisers.remove(*(accepted - wanted))
    requests = CoOrganiserRequest.objects.filter(activity=activity)
    requests.exclude(organisation_id__in=wanted).delete()
    joining = {pk for pk in wanted - accepted if viewer.can_write_org(pk)}
    activity.co_organisers.add(*joining)
    requests.filter(organisation_id__in=joining).delete()
    asked = set(requests.values_list("organisation_id", flat=True))
    new = sorted(wanted - accepted - joining - asked)
    requested_by = user_of(actor)
    CoOrganiserRequest.objects.bulk_create(
        CoOrganiserRequest(activity=activity, organisation_id=pk, requested_by=requested_by)
        for pk in new
    )
    if new:
        audit_record(
            actor=actor,
            action="activity.co_organiser_request",
            target=activity,
            changes={"organisation_ids": new},
        )


def co_organiser_ids_named(*, activity: Activity) -> tuple[int, ...]:
    """The organisations the host names as co-organisers: accepted, then still asked."""
    accepted = sorted(organisation.pk for organisation in activity.co_organisers.all())
    return (*accepted, *co_organiser_ids_pending(activity=activity))


def co_organiser_ids_pending(*, activity: Activity) -> list[int]:
    """The named organisations that have not accepted yet."""
    return sorted(request.organisation_id for request in activity.co_organiser_requests.all())


@transaction.atomic
def co_organiser_accept(*, actor: Actor, activity_id: int, organisation_id: int) -> Activity:
    """A coordinator of ``organisation_id`` (or network staff) accepts to co-organise.

    Raises NotFound for outsiders of the organisation and when no request is pending,
    Forbidden for its read-only members.
    """
    viewer_for(actor).require_org(organisation_id, write=True)
    request = (
        CoOrganiserRequest.objects.select_for_update()
        .select_related("activity")
        .filter(activity_id=activity_id, organisation_id=organisation_id)
        .first()
    )
    if request is None:
        raise NotFound
    activity = request.activity
    activity.co_organisers.add(organisation_id)
    request.delete()
    audit_record(
        actor=actor,
        action="activity.co_organiser_accept",
        target=activity,
        changes={"organisation_id": organisation_id},
    )
    return activity


@transaction.atomic
def co_organiser_withdraw(*, actor: Actor, activity_id: int, organisation_id: int) -> None:
    """A coordinator of ``organisation_id`` (or network staff) declines a pending request or
    stops co-organising. Raises NotFound for outsiders of the organisation and when it is
    neither asked nor co-organiser, Forbidden for its read-only members."""
    viewer_for(actor).require_org(organisation_id, write=True)
    declined, _rows = CoOrganiserRequest.objects.filter(
        activity_id=activity_id, organisation_id=organisation_id
    ).delete()
    left, _rows = Activity.co_organisers.through.objects.filter(
        activity_id=activity_id, organisation_id=organisation_id
    ).delete()
    if not (declined or left):
        raise NotFound
    audit_record(
        actor=actor,
        action="activity.co_organiser_decline" if declined else "activity.co_organiser_leave",
        target=Activity.objects.get(pk=activity_id),
        changes={"organisation_id": organisation_id},
    )


@dataclass(frozen=True)
class CoOrganising:
    """What the organisations a user coordinates are asked to co-organise, or co-organise."""

    pending: list[CoOrganiserRequest]
    accepted: list[tuple[Activity, Organisation]]


def co_organising_for_user(*, user: Actor) -> CoOrganising:
    """Pending requests and current co-organisings of the organisations ``user`` may act for
    (network staff: every organisation). Only a request's activity title, campaign, dates and
    host are shown through it, never the record."""
    viewer = viewer_for(user)
    requests: QuerySet[CoOrganiserRequest] = CoOrganiserRequest.objects.select_related(
        "activity__campaign", "activity__host_organisation", "organisation"
    ).order_by("activity__start_date", "pk")
    through = Activity.co_organisers.through.objects.select_related(
        "activity__campaign", "organisation"
    ).order_by("activity__start_date", "pk")
    if not viewer.is_network_staff:
        requests = requests.filter(organisation_id__in=viewer.writable_org_ids)
        through = through.filter(organisation_id__in=viewer.writable_org_ids)
    return CoOrganising(
        pending=list(requests),
        accepted=[(row.activity, row.organisation) for row in through],
    )
