from __future__ import annotations

from ninja import Schema


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
