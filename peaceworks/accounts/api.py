from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.schemas import MembershipOut, MeOut
from peaceworks.accounts.selectors import membership_list_for_user

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    """The signed-in user, their memberships and whether they coordinate the network."""
    user = request.user
    memberships = [
        MembershipOut(
            organisation_id=membership.organisation_id,
            organisation_name=membership.organisation.name,
            role=membership.role,
        )
        for membership in membership_list_for_user(user=user)
    ]
    return MeOut(
        id=int(user.pk or 0),
        email=str(getattr(user, "email", "")),
        full_name=str(getattr(user, "full_name", "")),
        is_network_staff=viewer_for(user).is_network_staff,
        memberships=memberships,
    )
