"""Reads of directory data, shaped for the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peaceworks.accounts.access import viewer_for
from peaceworks.core.errors import NotFound
from peaceworks.directory.models import Organisation


def organisation_get_for_user(*, user: Any, pk: int, write: bool = False) -> Organisation:
    """The organisation if the user may see it (and change it when ``write``).

    Raises NotFound for anyone without access (existence is not revealed) and Forbidden
    for a read-only member asking to write.
    """
    viewer_for(user).require_org(pk, write=write)
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise NotFound from None


def organisation_list_visible_to(*, user: Any) -> QuerySet[Organisation]:
    viewer = viewer_for(user)
    organisations = Organisation.objects.all()
    if not viewer.is_network_staff:
        organisations = organisations.filter(pk__in=viewer.readable_org_ids)
    return organisations.order_by("name")
