from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peaceworks.accounts.models import Invitation, Membership


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("organisation")


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
