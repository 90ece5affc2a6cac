"""Writes about accounts: users, memberships, invitations, sign-in failures."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts import selectors
from peaceworks.accounts.access import Actor, user_of, viewer_for
from peaceworks.accounts.models import (
    NETWORK_ROLES,
    ApiToken,
    Invitation,
    LoginFailure,
    Membership,
    Role,
    User,
)
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.core.models import AuditEvent
from peaceworks.core.records import validate
from peaceworks.core.scheduling import enqueue_on_commit


class LockedOut(DomainError):
    status_code = 429


def user_create(
    *, email: str, password: str | None, full_name: str = "", actor: Actor = None
) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit_record(actor=actor, action="user.create", target=user)
    return user


#: the constraints of Membership that ``update_or_create`` and the database have checked
MEMBERSHIP_CHECKED = frozenset(
    {"accounts_membership_one_role_per_org", "accounts_membership_role_valid"}
)


@transaction.atomic
def membership_grant(
    *, user: User, organisation: models.Model, role: str, actor: Actor = None
) -> Membership:
    """Give ``user`` ``role`` in ``organisation`` (replacing a previous role there).

    ``organisation`` is a ``directory.Organisation``: accounts reaches it only through the
    membership's relation, never by importing the directory (docs/architecture.md)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    # The model's two constraints are not asked of the database again: the row was looked up
    # by (user, organisation), so it is the only one, and the database checked the role
    # against its CHECK constraint when it wrote it (two queries every grant made, and every
    # test's people are granted their roles here). ``validate`` does not look up again the
    # user and organisation read from the database either (two more).
    validate(membership, checked=MEMBERSHIP_CHECKED)
    audit_record(actor=actor, action="membership.grant", target=membership, changes={"role": role})
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: models.Model, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation``; returns the invitation and its one-time token.

    Organisation coordinators invite to their own organisation with an organisation role;
    only network administrators hand out network roles. The e-mail goes out after commit, by
    the ``invitation_send`` task, which issues the link's token afresh: the returned token
    works until then (for callers that hand the link over themselves).
    """
    viewer = viewer_for(actor)
    viewer.require_org(organisation.pk, write=True)
    if role in NETWORK_ROLES and not viewer.is_network_admin:
        raise Forbidden
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email.strip().lower(),
        organisation_id=organisation.pk,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="invitation.create", target=invitation)
    enqueue_on_commit("peaceworks.accounts.tasks.invitation_send", invitation.pk)
    return invitation, token


def invitation_get_by_token(*, token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_usable else None


#: Roles from the weakest to the strongest: an invitation never moves a membership down.
ROLE_RANK = {
    Role.STAKEHOLDER: 1,
    Role.ANALYST: 2,
    Role.ORG_MEMBER: 3,
    Role.ORG_COORDINATOR: 4,
    Role.NETWORK_COORDINATOR: 5,
    Role.NETWORK_ADMIN: 6,
}


def role_covers(*, held: str, invited: str) -> bool:
    """Whether a membership with role ``held`` already gives at least ``invited``."""
    return ROLE_RANK[Role(held)] >= ROLE_RANK[Role(invited)]


def user_get_by_email(*, email: str) -> User | None:
    """The account of ``email``, whatever the case or padding of either side."""
    return User.objects.filter(email__iexact=email.strip()).first()


def _usable_invitation(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_related("organisation").select_for_update().get(pk=invitation.pk)
    )
    if not locked.is_usable:
        raise DomainError(_("This invitation has already been used or has expired."))
    return locked


def _invitation_spend(invitation: Invitation, user: User) -> None:
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit_record(actor=user, action="invitation.accept", target=invitation)


@transaction.atomic
def invitation_accept_new(*, invitation: Invitation, password: str, full_name: str = "") -> User:
    """Create the invited account with the password its owner chose, grant the membership;
    the token dies. Raises DomainError when an account with the address exists already (its
    owner accepts by signing in: :func:`invitation_accept_existing`)."""
    locked = _usable_invitation(invitation)
    if user_get_by_email(email=locked.email) is not None:
        raise DomainError(
            _("An account with this address exists already: sign in with it to accept.")
        )
    user = user_create(email=locked.email, password=password, full_name=full_name)
    membership_grant(user=user, organisation=locked.organisation, role=locked.role, actor=user)
    _invitation_spend(locked, user)
    return user


@dataclass(frozen=True)
class InvitationAcceptance:
    membership: Membership
    #: the account already had this role or a stronger one in the organisation, and kept it
    kept_role: bool


@transaction.atomic
def invitation_accept_existing(*, invitation: Invitation, user: User) -> InvitationAcceptance:
    """The signed-in owner of the invited address accepts: the membership is added, or raised
    to the invited role, never lowered (a stronger role there is kept); the token dies.

    Raises Forbidden unless ``user`` owns the invited address (compared case-insensitively).
    """
    locked = _usable_invitation(invitation)
    if user.email.strip().lower() != locked.email.strip().lower():
        raise Forbidden
    current = Membership.objects.filter(user=user, organisation=locked.organisation).first()
    if current is not None and role_covers(held=current.role, invited=locked.role):
        membership, kept = current, True
    else:
        membership, kept = (
            membership_grant(
                user=user, organisation=locked.organisation, role=locked.role, actor=user
            ),
            False,
        )
    _invitation_spend(locked, user)
    return InvitationAcceptance(membership=membership, kept_role=kept)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked: bool


def session_authenticate(
    *, request: HttpRequest | None, email: str, password: str, ip_address: str | None
) -> SignInResult:
    """Check a password unless this client is locked out of the address; record a failure
    when it is wrong. The address is compared in lower case without padding.

    Failures are counted over the last ``LOGIN_LOCKOUT_MINUTES``, per (address, client) and
    per address (docs/security.md, "Signing in", weighs the choice):

    * a client with ``LOGIN_FAILURE_LIMIT`` failures for the address is locked out of it,
      even with the right password: a guesser locks out only their own client;
    * an address with ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from all clients (guesses
      spread over many clients) is throttled: every client may fail once only, while a client
      without a failure still signs in with the right password: the owner is slowed down
      by nothing but their own mistakes.

    A right password clears this client's failures for the address (not the others', which
    would hand a guesser fresh tries); a completed password reset clears them all.
    """
    email = email.strip().lower()
    window_start = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(email=email, at__gte=window_start)
    from_client = recent.filter(ip_address=ip_address).count()
    throttled = recent.count() >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    client_limit = 1 if throttled else settings.LOGIN_FAILURE_LIMIT
    if from_client >= client_limit:
        return SignInResult(user=None, locked=True)
    user = authenticate(request, username=email, password=password)
    if user is None:
        LoginFailure.objects.create(email=email, ip_address=ip_address)
        locked_now = from_client + 1 >= client_limit
        if locked_now:
            audit_record(
                actor=None,
                action="login.locked",
                changes={"email": email, "address_throttled": throttled},
            )
        return SignInResult(user=None, locked=locked_now)
    LoginFailure.objects.filter(email=email, ip_address=ip_address).delete()
    assert isinstance(user, User)  # noqa: S101  # our only auth backend returns our model
    return SignInResult(user=user, locked=False)


def login_failures_clear(*, user: User) -> None:
    """Forget every failed sign-in for ``user``'s address (after a completed password reset:
    whoever holds the mailbox has proved to be the owner)."""
    deleted, _rows = LoginFailure.objects.filter(email=user.email.strip().lower()).delete()
    if deleted:
        audit_record(actor=user, action="login.unlocked", target=user)


def account_export(*, actor: User) -> dict[str, Any]:
    """Everything stored about ``actor`` as one JSON-ready document (and an audit event)."""
    memberships = Membership.objects.filter(user=actor).select_related("organisation")
    invitations = Invitation.objects.filter(invited_by=actor).select_related("organisation")
    events = AuditEvent.objects.filter(actor=actor).order_by("at", "id")
    document = {
        "user": {
            "id": actor.pk,
            "email": actor.email,
            "full_name": actor.full_name,
            "preferred_language": actor.preferred_language,
            "date_joined": actor.date_joined.isoformat(),
            "last_login": actor.last_login.isoformat() if actor.last_login else None,
        },
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "organisation_code": membership.organisation.code,
                "role": membership.role,
                "since": membership.created_at.isoformat(),
            }
            for membership in memberships
        ],
        "invitations_sent": [
            {
                "email": invitation.email,
                "organisation": invitation.organisation.name,
                "role": invitation.role,
                "created_at": invitation.created_at.isoformat(),
                "accepted_at": (
                    invitation.accepted_at.isoformat() if invitation.accepted_at else None
                ),
            }
            for invitation in invitations
        ],
        "audit_events": [
            {
                "at": event.at.isoformat(),
                "action": event.action,
                "target": event.target_label,
                "ip_address": event.ip_address,
            }
            for event in events
        ],
    }
    audit_record(actor=actor, action="account.export", target=actor)
    return document


@transaction.atomic
def account_erase(*, actor: User) -> None:
    """Anonymise ``actor``: no e-mail, name or password left, memberships removed, pending
    invitations to the address deleted. Audit rows stay, with the actor shown as an erased
    user. Refused for the last active network administrator (the network would be locked)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    if Membership.objects.filter(user=user, role=Role.NETWORK_ADMIN).exists():
        other_admins = (
            Membership.objects.filter(role=Role.NETWORK_ADMIN, user__is_active=True)
            .exclude(user=user)
            .exists()
        )
        if not other_admins:
            raise DomainError(
                _("You are the last network administrator; appoint another one first.")
            )
    old_email = user.email
    label = f"erased user #{user.pk}"
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=old_email, accepted_at__isnull=True).delete()
    LoginFailure.objects.filter(email__iexact=old_email).delete()
    AuditEvent.objects.filter(actor=user).update(actor_label=label)
    AuditEvent.objects.filter(target_type="accounts.user", target_id=str(user.pk)).update(
        target_label=label
    )
    AuditEvent.objects.filter(action="login.locked", changes__email=old_email).update(
        changes={"email": label}
    )
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    audit_record(actor=None, action="account.erase", target=user, changes={"user_id": user.pk})


@transaction.atomic
def invitation_email_send(*, invitation_id: int) -> bool:
    """E-mail the invitation link once; returns whether an e-mail was sent now.

    The row is locked, a fresh token is issued (the queue never holds a usable token), the
    e-mail is handed over and ``sent_at`` is recorded in the same transaction: a retry after
    success finds ``sent_at`` and sends nothing; a crash before commit leaves it unsent.
    Invitations already used, expired or deleted are skipped.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer join
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.sent_at is not None or not invitation.is_usable:
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])
    organisation = invitation.organisation
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else "Peaceworks"
    subject = _("You are invited to %(organisation)s on Peaceworks") % {
        "organisation": organisation.name
    }
    body = _(
        "%(inviter)s invited you to join %(organisation)s on Peaceworks.\n\n"
        "Open this link to accept: %(link)s\n\nWithout an account yet, you choose your "
        "password there; with one, you sign in with your own password first.\n\n"
        "The link is valid for %(days)s days."
    ) % {
        "inviter": inviter,
        "organisation": organisation.name,
        "link": link,
        "days": settings.INVITATION_VALID_DAYS,
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at", "updated_at"])
    audit_record(actor=None, action="invitation.send", target=invitation)
    return True


# --- personal API tokens -------------------------------------------------------------------

API_TOKEN_PREFIX = "pwk_"  # noqa: S105  # a marker, not a secret
API_TOKEN_NAME_MAX = 100
# How often a token's "last used" time is written: a script's every request need not be a write.
API_TOKEN_TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: ``secret`` is shown to its owner once and stored nowhere."""

    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    name: str,
    scope: str,
    organisation_id: int | None = None,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Make a token for the signed-in ``actor``. It acts as its owner with no more than the
    owner's roles: limited to ``organisation_id`` (one of the owner's memberships) it acts
    with that membership's role only; ``read`` scope may only read."""
    user = user_of(actor)
    if user is None:
        raise Forbidden
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, so you can tell it apart."), field="name")
    if scope not in ApiToken.Scope.values:
        raise DomainError(_("Choose what the token may do."), field="scope")
    if organisation_id is not None and organisation_id not in viewer_for(user).org_roles:
        raise DomainError(
            _("A token can only be limited to an organisation you belong to."),
            field="organisation",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry date must be in the future."), field="expires_at")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:API_TOKEN_NAME_MAX],
        prefix=secret[len(API_TOKEN_PREFIX) : len(API_TOKEN_PREFIX) + 8],
        secret_hash=_token_hash(secret),
        scope=scope,
        organisation_id=organisation_id,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=user,
        action="api_token.create",
        target=token,
        changes={"scope": scope, "organisation_id": organisation_id},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens: from now on it gets 401."""
    token = selectors.api_token_get_for_user(user=actor, pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token)
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token whose secret this is (with its user), or None. Its "last used" time
    is written at most every few minutes."""
    if not secret.startswith(API_TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=_token_hash(secret), user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_active(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > API_TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_allows(token: ApiToken, *, method: str) -> None:
    """Forbidden for a read-only token asked to do anything but read."""
    if token.scope != ApiToken.Scope.WRITE and method not in {"GET", "HEAD", "OPTIONS"}:
        raise Forbidden(_("This API token may only read."))
