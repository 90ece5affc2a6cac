from __future__ import annotations

from ninja import Schema

# first: the API's models are built on first use for every schema defined after it
import peaceworks.core.schemas  # noqa: F401


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_network_staff: bool
    memberships: list[MembershipOut]
