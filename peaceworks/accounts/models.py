"""Users, their memberships of organisations with a role, invitations and login failures."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peaceworks.core.models import SentOnce, TimeStampedModel


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    ORG_COORDINATOR = "org_coordinator", _("Organisation coordinator")
    ORG_MEMBER = "org_member", _("Organisation member")
    ANALYST = "analyst", _("Analyst (aggregates only)")
    STAKEHOLDER = "stakeholder", _("Stakeholder (published reports only)")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never (notifications on the site only)")


NETWORK_ROLES = frozenset({Role.NETWORK_ADMIN, Role.NETWORK_COORDINATOR})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """The account of an address, whatever its case or padding (``create_user`` stores
        addresses in lower case; a row written another way is found too)."""
        user = self.filter(email__iexact=(username or "").strip()).order_by("pk").first()
        if user is None:
            raise self.model.DoesNotExist
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Respondents never have one."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en", "English"), ("fr", "Français"), ("es", "Español")],
        default="en",
    )
    digest_frequency = models.CharField(
        _("e-mail digest of notifications"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    #: how many of the person's notifications are unread, kept by ``accounts.notifications``
    #: (the header shows it on every page without a query of its own: the user is loaded)
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(TimeStampedModel):
    """A user's role in one organisation. Network roles are held through the secretariat."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_one_role_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[value for value, _label in Role.choices]),
                name="accounts_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class Invitation(TimeStampedModel):
    """An e-mailed link that lets a person create an account with a given membership."""

    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # Set in the same transaction as the e-mail is handed over: it is never sent twice.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.role})"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class LoginFailure(models.Model):
    """One failed sign-in; enough of them in the window lock the address for a while."""

    email = models.CharField(_("e-mail address"), max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")

    def __str__(self) -> str:
        return f"{self.email} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(TimeStampedModel):
    """A personal API token: a script acts as its owner, within the token's scope.

    Only the SHA-256 of the secret is stored (the secret is 32 random bytes, so a fast hash
    is enough: there is nothing to guess); the secret is shown once, when it is made.
    ``prefix`` (the secret's first characters) lets the owner tell tokens apart.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("limited to organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write"]), name="accounts_apitoken_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now: Any) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Notification(models.Model):
    """Something that needs a person (an overdue action, a round closing, an answer reporting
    harm…), made once per item and event by ``accounts.notifications.notifications_collect``
    from what the apps lend ``accounts.hooks``: ``key`` names the item and its event, unique
    per person. ``emailed_at`` is set once a digest carried it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("item and event"), max_length=200)
    title = models.CharField(_("title"), max_length=400)
    url = models.CharField(_("link"), max_length=500)
    due = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="accounts_notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="accounts_notif_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class DigestSent(SentOnce):
    """One e-mail digest of a person for one period (``2026-12-07`` daily, ``2026-W50``
    weekly), sent once through ``core.once.send_once``: the unique row makes a period send
    once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="digests", verbose_name=_("person")
    )
    period = models.CharField(_("period"), max_length=12)

    class Meta:
        ordering = ["user_id", "period"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="accounts_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period}"
