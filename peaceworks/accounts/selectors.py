from __future__ import annotations

from django.db.models import QuerySet

from peaceworks.accounts.access import Actor, user_id_of
from peaceworks.accounts.models import ApiToken, Invitation, Membership
from peaceworks.core.errors import NotFound


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
