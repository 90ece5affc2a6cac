"""What every campaigns service shares: the staff check (validation is ``core.records``)."""

from __future__ import annotations

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.core.errors import Forbidden


def require_staff(actor: Actor) -> None:
    viewer = viewer_for(actor)
    if not viewer.is_network_staff:
        raise Forbidden
