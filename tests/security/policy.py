"""The policy table: who may do what on every route, own organisation and another's.

Every named route of the URL configuration (HTML views and each API operation, by method)
needs a :class:`Route` row. ``test_authorisation_matrix`` walks the URL resolver, fails for a
route without a row, then requests each row as every role against its own organisation and
another one, checking the exact status and that a refused write changed nothing.

Rows live here for the shared routes (web, accounts, the API and admin mounts) and in
``peaceworks/<app>/tests/policy.py`` (a module-level ``ROUTES`` list) for each domain app; a
row there replaces a row here with the same name and method. ``docs/adding-a-feature.md``
shows how to add one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

ROLES = (
    "network_admin",
    "network_coordinator",
    "org_coordinator",
    "org_member",
    "analyst",
    "stakeholder",
    "anonymous",
    "respondent",  # someone holding a public survey link: no account, no session
)
SIGNED_OUT = frozenset({"anonymous", "respondent"})
NETWORK_STAFF = frozenset({"network_admin", "network_coordinator"})
ORG_READERS = frozenset({"org_coordinator", "org_member", "analyst"})
ORG_WRITERS = frozenset({"org_coordinator"})


class Tenant(enum.StrEnum):
    OWN = "own"  # the organisation the organisation-level roles belong to
    OTHER = "other"  # an organisation none of them belongs to


class Access(enum.Enum):
    """Who gets the route's success status; everyone else gets the status the rule implies."""

    PUBLIC = "everyone, signed in or not"
    SIGNED_IN = "any signed-in user"
    ORG_READ = "network staff; readers of the organisation (others: 404)"
    ORG_WRITE = "network staff; writers of the organisation (readers: 403, others: 404)"
    NETWORK_STAFF = "network administrators and coordinators (others: 404)"
    NETWORK_ADMIN = "network administrators only (others: 404)"
    ADMIN_SITE = "Django admin: staff users (others: redirected to the admin sign-in)"


# The arguments of a route and the body of a request, built fresh for every request from the
# test world (``world.org(tenant)`` is the organisation being addressed).
Builder = Callable[[Any, Tenant], Mapping[str, Any]]


T = TypeVar("T")


def admin(world: Any) -> Any:
    """The network administrator of the test world."""
    return world.users["network_admin"]


def once(world: Any, key: str, build: Callable[[], T]) -> T:
    """The object stored under ``key`` in the test world, built on first use."""
    if key not in world.extras:
        world.extras[key] = build()
    value: T = world.extras[key]
    return value


def unique(world: Any, prefix: str) -> str:
    """A code no earlier request used (successful creations must not collide)."""
    count = world.extras.get("policy.counter", 0) + 1
    world.extras["policy.counter"] = count
    return f"{prefix}-{count}"


def no_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {}


def organisation_args(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"organisation_id": world.org(tenant).pk}


@dataclass(frozen=True)
class Route:
    name: str
    access: Access
    method: str = "GET"
    ok: int = 200
    args: Builder = no_args
    data: Builder | None = None
    tenant_scoped: bool = False  # requested against both organisations
    # Exceptions to the rule, by role: {"org_coordinator": 302}, or by role and tenant:
    # {"org_member/other": 403} (which wins over the role's own entry).
    overrides: Mapping[str, int] = field(default_factory=dict)
    # The query string, built like ``args`` (e.g. the party an engagement is logged with).
    query: Builder | None = None
    # API writes are sent as JSON; a multipart operation (a file upload) as a form.
    multipart: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.method)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def is_write(self) -> bool:
        return self.method not in {"GET", "HEAD", "OPTIONS"}

    def expected(self, role: str, tenant: Tenant) -> int:
        """The exact status ``role`` must get addressing ``tenant``."""
        for key in (f"{role}/{tenant}", role):
            if key in self.overrides:
                return self.overrides[key]
        access = self.access
        if access is Access.PUBLIC:
            return self.ok
        if access is Access.ADMIN_SITE:
            return self.ok if role == "network_admin" else 302
        if role in SIGNED_OUT:
            return 401 if self.is_api else 302
        if access is Access.SIGNED_IN:
            return self.ok
        if access is Access.NETWORK_ADMIN:
            return self.ok if role == "network_admin" else 404
        if access is Access.NETWORK_STAFF or role in NETWORK_STAFF:
            return self.ok if role in NETWORK_STAFF else 404
        if tenant is Tenant.OTHER or role not in ORG_READERS:
            return 404
        if access is Access.ORG_READ or role in ORG_WRITERS:
            return self.ok
        return 403


def _invitation_token(world: Any, tenant: Tenant) -> Mapping[str, Any]:
    return {"token": world.invitation_token}


ROUTES: list[Route] = [
    # web
    Route("web:home", Access.PUBLIC, overrides=dict.fromkeys(ROLES[:6], 302)),
    Route("web:dashboard", Access.SIGNED_IN),
    Route("web:healthz", Access.PUBLIC),
    Route("web:favicon", Access.PUBLIC, ok=302),
    Route("web:audit_log", Access.NETWORK_ADMIN),
    Route("web:audit_log_export", Access.NETWORK_ADMIN),
    # one search: every signed-in person, each finding only what they may open
    Route("web:search", Access.SIGNED_IN),
    # accounts
    Route("accounts:login", Access.PUBLIC),
    Route("accounts:logout", Access.PUBLIC, method="POST", ok=302, data=no_args),
    Route("accounts:profile", Access.SIGNED_IN),
    Route("accounts:data_export", Access.SIGNED_IN),
    Route("accounts:erase", Access.SIGNED_IN),
    # A wrong confirmation is refused (400) for everyone; nothing may change.
    Route(
        "accounts:erase",
        Access.SIGNED_IN,
        method="POST",
        ok=400,
        data=lambda world, tenant: {"email": "not-mine@example.org"},
    ),
    Route("accounts:api_tokens", Access.SIGNED_IN),
    Route(
        "accounts:api_tokens",
        Access.SIGNED_IN,
        method="POST",
        ok=302,
        data=lambda world, tenant: {"name": "policy", "scope": "read", "expires_in_days": "30"},
    ),
    # notifications and digests: one's own only
    Route("accounts:notifications", Access.SIGNED_IN),
    Route("accounts:notifications_read", Access.SIGNED_IN, method="POST", ok=302, data=no_args),
    # nobody has this notification (they are their person's only): 404 for everyone signed in
    Route(
        "accounts:notification_read",
        Access.SIGNED_IN,
        method="POST",
        ok=404,
        args=lambda world, tenant: {"pk": 999_999},
        data=no_args,
    ),
    Route("accounts:digest", Access.SIGNED_IN),
    # Nobody has this token (tokens are their owner's only): 404 for everyone signed in.
    Route(
        "accounts:api_token_revoke",
        Access.SIGNED_IN,
        method="POST",
        ok=404,
        args=lambda world, tenant: {"token_id": 999_999},
        data=no_args,
    ),
    # the team page moved to the directory (directory:team); the old address redirects there
    Route("accounts:team_moved", Access.PUBLIC, ok=301, args=organisation_args, tenant_scoped=True),
    Route("accounts:invitation_accept", Access.PUBLIC, args=_invitation_token),
    Route("accounts:password_reset", Access.PUBLIC),
    Route("accounts:password_reset_done", Access.PUBLIC),
    Route(
        "accounts:password_reset_confirm",
        Access.PUBLIC,
        args=lambda world, tenant: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    Route("accounts:password_reset_complete", Access.PUBLIC),
    # the domain apps' landing pages (each app's own policy.py may replace these rows)
    Route("directory:index", Access.SIGNED_IN),
    Route("campaigns:index", Access.SIGNED_IN),
    Route("impact:index", Access.SIGNED_IN),
    Route("consultations:index", Access.SIGNED_IN),
    Route("meetings:index", Access.SIGNED_IN),
    # project-level
    Route(
        "set_language", Access.PUBLIC, method="POST", ok=302, data=lambda w, t: {"language": "fr"}
    ),
    Route("api:openapi-json", Access.PUBLIC),
    Route("api:openapi-view", Access.PUBLIC),
    Route("api:api-root", Access.PUBLIC, ok=404),
    Route("api:me", Access.SIGNED_IN),
    Route("admin:index", Access.ADMIN_SITE),
    Route("admin:login", Access.PUBLIC, overrides={"network_admin": 302}),
]

# Every admin URL goes through ``AdminSite.admin_view`` (staff only). The matrix requests the
# rows above and each model's change list; the other admin names are covered by this rule.
ADMIN_NAMESPACE = "admin"
