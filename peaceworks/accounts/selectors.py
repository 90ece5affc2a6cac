from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from peaceworks.accounts.access import Actor, user_id_of, viewer_for
from peaceworks.accounts.models import ApiToken, Invitation, Membership, User
from peaceworks.core.errors import NotFound
from peaceworks.core.search import ranked_search


def membership_list_for_user(*, user: Actor) -> QuerySet[Membership]:
    user_id = user_id_of(user)
    if user_id is None:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user_id).select_related("organisation")


def membership_list_for_organisation(*, organisation_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("user__email")
    )


def invitation_list_pending(*, organisation_id: int) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation_id=organisation_id, accepted_at__isnull=True)


def membership_get(*, user_id: int, organisation_id: int) -> Membership | None:
    return Membership.objects.filter(user_id=user_id, organisation_id=organisation_id).first()


def api_token_list_for_user(*, user: Actor) -> QuerySet[ApiToken]:
    """The signed-in user's own API tokens, newest first, with the organisation each is
    limited to."""
    user_id = user_id_of(user)
    if user_id is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user_id).select_related("organisation")


def api_token_get_for_user(*, user: Actor, pk: int) -> ApiToken:
    """One of the signed-in user's own tokens; anyone else's is not found."""
    token = api_token_list_for_user(user=user).filter(pk=pk).first()
    if token is None:
        raise NotFound
    return token


def person_search(*, user: Actor, query: str) -> QuerySet[User]:
    """People matching ``query`` by name or e-mail address whom the user may see: everyone
    with a membership for network staff, otherwise the members of the organisations whose
    team the user may read. Each person's ``visible_memberships`` lists those organisations
    (where their team page is)."""
    viewer = viewer_for(user)
    memberships = Membership.objects.select_related("organisation").order_by("organisation_id")
    if not viewer.is_network_staff:
        memberships = memberships.filter(organisation_id__in=viewer.readable_org_ids)
    people = User.objects.filter(
        is_active=True, pk__in=memberships.values("user_id")
    ).prefetch_related(Prefetch("memberships", memberships, to_attr="visible_memberships"))
    return ranked_search(people, query=query, fields=("full_name", "email"), title="full_name")
