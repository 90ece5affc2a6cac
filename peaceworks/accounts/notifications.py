"""Notifications: what needs a person, on the site (a count in the header, a list to mark as
read) and by e-mail (a daily or weekly digest, or none, as each person chooses).

The items come from the apps through :mod:`peaceworks.accounts.hooks`. A notification is
made once per person and ``key`` (an item and its event: an action overdue since a date, a
round closing on a date), whatever the task does: the unique row decides. A digest is sent
once per person and period through :func:`peaceworks.core.once.send_once` (claimed before the
e-mail goes, marked sent after, a claim whose worker died taken over by a later run after the
lease). Nothing here reads today's date: the task passes it.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceworks.accounts.access import Actor, user_of
from peaceworks.accounts.hooks import attention_for, attention_label
from peaceworks.accounts.models import DigestFrequency, DigestSent, Notification, User
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.once import Clock, send_once
from peaceworks.core.records import apply_changes


def _recount_unread(user_ids: list[int]) -> None:
    """Set each person's ``unread_notifications`` from their notifications (one UPDATE)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    User.objects.filter(pk__in=user_ids).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )


def _people() -> QuerySet[User]:
    """Who is notified: active people with a membership (respondents never have an account)."""
    return User.objects.filter(is_active=True, memberships__isnull=False).distinct()


def notifications_collect(*, actor: Actor, today: date) -> int:
    """Make the notifications of every person for ``today`` (the system only: ``actor`` None);
    an item already notified to a person is not notified again. Returns how many were made."""
    if actor is not None:
        raise Forbidden
    made = 0
    now = timezone.now()
    for person in _people().order_by("pk"):
        rows = [
            Notification(
                user=person,
                kind=group.kind,
                key=item.key,
                title=item.title[:400],
                url=item.url,
                due=item.due,
                created_at=now,
            )
            for group in attention_for(user=person, today=today)
            if group.notify
            for item in group.items
        ]
        if not rows:
            continue
        known = set(
            Notification.objects.filter(user=person, key__in=[row.key for row in rows]).values_list(
                "key", flat=True
            )
        )
        fresh = [row for row in rows if row.key not in known]
        # a concurrent run may make the same rows: the unique constraint keeps one
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        _recount_unread([person.pk])
        made += len(fresh)
    return made


def digest_period(*, frequency: str, today: date) -> str | None:
    """The period a digest of ``frequency`` sent on ``today`` belongs to (None: no digest)."""
    if frequency == DigestFrequency.DAILY:
        return today.isoformat()
    if frequency == DigestFrequency.WEEKLY:
        year, week, _weekday = today.isocalendar()
        return f"{year}-W{week:02d}"
    return None


#: how many items of one kind a digest lists (the rest are counted, on the site)
DIGEST_ITEMS_PER_KIND = 10


def _digest_body(user: User, notifications: list[Notification]) -> tuple[str, str]:
    """The digest's subject and text in the person's language, grouped by kind."""
    by_kind: dict[str, list[Notification]] = {}
    for notification in notifications:
        by_kind.setdefault(notification.kind, []).append(notification)
    site = settings.SITE_URL
    with translation.override(user.preferred_language):
        subject = ngettext(
            "Peaceworks: %(count)d thing needs you",
            "Peaceworks: %(count)d things need you",
            len(notifications),
        ) % {"count": len(notifications)}
        lines = [_("Hello %(name)s,") % {"name": user.get_short_name()}]
        for kind, rows in by_kind.items():
            lines += ["", f"{attention_label(kind)} ({len(rows)})"]
            for notification in rows[:DIGEST_ITEMS_PER_KIND]:
                due = f" ({notification.due.isoformat()})" if notification.due else ""
                lines.append(f"- {notification.title}{due}: {site}{notification.url}")
            if len(rows) > DIGEST_ITEMS_PER_KIND:
                more = len(rows) - DIGEST_ITEMS_PER_KIND
                lines.append(
                    ngettext("- and %(count)d more", "- and %(count)d more", more) % {"count": more}
                )
        lines += [
            "",
            _("Your notifications: %(link)s") % {"link": site + reverse("accounts:notifications")},
            _("To receive fewer e-mails, change the digest on your profile: %(link)s")
            % {"link": site + reverse("accounts:digest")},
        ]
    return subject, "\n".join(lines)


def _digest_send(user: User, notifications: list[Notification]) -> None:
    subject, body = _digest_body(user, notifications)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def digests_send(*, actor: Actor, today: date, clock: Clock = timezone.now) -> int:
    """E-mail each person who wants a digest the notifications not e-mailed yet, once per
    period (daily: every day; weekly: on the first run of each ISO week, Monday with the daily
    task). Returns how many
    e-mails went out. Nobody who chose "never" gets one."""
    if actor is not None:
        raise Forbidden
    sent = 0
    for person in _people().exclude(digest_frequency=DigestFrequency.NEVER).order_by("pk"):
        period = digest_period(frequency=person.digest_frequency, today=today)
        pending = list(
            Notification.objects.filter(user=person, emailed_at__isnull=True).order_by("due", "pk")
        )
        if period is None or not pending:
            continue
        if not send_once(
            DigestSent,
            key={"user_id": person.pk, "period": period},
            clock=clock,
            send=partial(_digest_send, person, pending),
        ):
            continue
        Notification.objects.filter(pk__in=[row.pk for row in pending]).update(emailed_at=clock())
        sent += 1
    return sent


def notification_list_for_user(*, user: Actor) -> QuerySet[Notification]:
    """The person's notifications, unread first, then the most recently read; newest first
    within each."""
    person = user_of(user)
    if person is None:
        raise NotFound
    return Notification.objects.filter(user=person).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(*, user: Actor) -> int:
    """The person's unread notifications, as kept on their account (no query)."""
    person = user_of(user)
    return 0 if person is None else person.unread_notifications


def notifications_mark_read(*, actor: Actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications (or, without an id, all of them) as read; another
    person's notification is NotFound. Returns how many changed."""
    person = user_of(actor)
    if person is None:
        raise NotFound
    unread = Notification.objects.filter(user=person, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(user=person, pk=notification_id).exists():
            raise NotFound
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    _recount_unread([person.pk])
    return changed


@transaction.atomic
def digest_frequency_set(*, actor: Actor, frequency: str) -> User:
    """The actor's choice of e-mail digest (daily, weekly or never)."""
    person = user_of(actor)
    if person is None:
        raise NotFound
    if frequency not in DigestFrequency.values:
        raise DomainError(_("Choose daily, weekly or never."), field="digest_frequency")
    apply_changes(person, {"digest_frequency": frequency}, allowed={"digest_frequency"})
    audit_record(
        actor=person, action="user.digest_frequency", target=person, changes={"to": frequency}
    )
    return person
