"""Who may see and change what: the one place that turns memberships into permissions.

Every access function in the apps (``<entity>_get_for_user``) asks a :class:`Viewer`.
Outsiders get :class:`~peaceworks.core.errors.NotFound` (existence is not revealed);
read-only members who try to write get :class:`~peaceworks.core.errors.Forbidden`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from peaceworks.accounts.models import NETWORK_ROLES, Membership, Role, User
from peaceworks.core.access import Actor, UserLike
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.core.rows import statement_cursor

__all__ = ["ANONYMOUS", "Actor", "UserLike", "Viewer", "user_id_of", "user_of", "viewer_for"]


def user_of(actor: Actor) -> User | None:
    """The signed-in account behind ``actor``: None for anonymous visitors and the system."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def user_id_of(actor: Actor) -> int | None:
    """The id of the signed-in account behind ``actor`` (None: nobody's rows match it)."""
    user = user_of(actor)
    return None if user is None else user.pk


_WRITE_ROLES = frozenset({Role.ORG_COORDINATOR})
_READ_ROLES = frozenset({Role.ORG_COORDINATOR, Role.ORG_MEMBER, Role.ANALYST})


@dataclass(frozen=True)
class Viewer:
    user_id: int | None = None
    is_network_admin: bool = False
    is_network_coordinator: bool = False
    org_roles: Mapping[int, str] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_network_staff(self) -> bool:
        """Network administrators and coordinators see and edit every organisation."""
        return self.is_network_admin or self.is_network_coordinator

    @property
    def is_analyst(self) -> bool:
        return Role.ANALYST in self.org_roles.values()

    @property
    def is_network_member(self) -> bool:
        """Network staff, or anyone with a reading role in a member organisation: reads the
        directory, campaigns, plans and network-level figures (the one rule for all three)."""
        return self.is_network_staff or any(role in _READ_ROLES for role in self.org_roles.values())

    @property
    def readable_org_ids(self) -> frozenset[int]:
        return frozenset(org for org, role in self.org_roles.items() if role in _READ_ROLES)

    @property
    def writable_org_ids(self) -> frozenset[int]:
        return frozenset(org for org, role in self.org_roles.items() if role in _WRITE_ROLES)

    def can_read_org(self, organisation_id: int) -> bool:
        return self.is_network_staff or organisation_id in self.readable_org_ids

    def can_write_org(self, organisation_id: int) -> bool:
        return self.is_network_staff or organisation_id in self.writable_org_ids

    def require_org(self, organisation_id: int, *, write: bool = False) -> None:
        """Raise NotFound for outsiders and Forbidden for read-only members writing."""
        if not self.can_read_org(organisation_id):
            raise NotFound
        if write and not self.can_write_org(organisation_id):
            raise Forbidden

    def require_network_member(self) -> None:
        """NotFound for anyone who is not a member of the network (see ``is_network_member``)."""
        if not self.is_network_member:
            raise NotFound

    def require_network_staff(self, *, admin: bool = False) -> None:
        if not (self.is_network_admin if admin else self.is_network_staff):
            raise NotFound


ANONYMOUS = Viewer()


@cache
def _memberships_sql(vendor: str) -> str:
    """The organisation and role of each membership of the user ``%s``, by organisation."""
    quote = connection.ops.quote_name
    meta = Membership._meta
    organisation = quote(meta.get_field("organisation").column)
    return (
        f"SELECT {organisation}, {quote(meta.get_field('role').column)} "  # noqa: S608 -- model
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('user').column)} = %s "
        f"ORDER BY {organisation}"
    )


def viewer_for(user: Actor) -> Viewer:
    """The viewer for a user (cached on the user object for the rest of the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_peaceworks_viewer", None)
    if isinstance(cached, Viewer):
        return cached
    # Ordered by the column itself: the model's ordering (organisation name, user e-mail) would
    # join both tables into a query every signed-in request makes, for an order no caller uses.
    # A hand-written statement (``core.rows``): building the query through the ORM cost more
    # than running it, on every signed-in request.
    with statement_cursor() as cursor:
        cursor.execute(_memberships_sql(connection.vendor), [user.pk])
        roles: dict[int, str] = dict(cursor.fetchall())
    viewer = Viewer(
        user_id=user.pk,
        is_network_admin=Role.NETWORK_ADMIN in roles.values()
        or bool(getattr(user, "is_superuser", False)),
        is_network_coordinator=any(role in NETWORK_ROLES for role in roles.values()),
        org_roles=roles,
    )
    # Cached on the user object: it lives as long as the request (or the task) does.
    setattr(user, "_peaceworks_viewer", viewer)  # noqa: B010  # a Protocol declares no such slot
    return viewer


def viewer_limit(user: Actor, *, organisation_id: int) -> Viewer:
    """Narrow the viewer of ``user`` for the rest of this request to its role in one
    organisation (a personal API token limited to it): its other memberships, and network
    roles not held through that organisation, no longer count."""
    viewer = viewer_for(user)
    role = viewer.org_roles.get(organisation_id)
    limited = Viewer(
        user_id=viewer.user_id,
        is_network_admin=role == Role.NETWORK_ADMIN,
        is_network_coordinator=role in NETWORK_ROLES,
        org_roles={organisation_id: role} if role else {},
    )
    setattr(user, "_peaceworks_viewer", limited)  # noqa: B010  # see viewer_for
    return limited
