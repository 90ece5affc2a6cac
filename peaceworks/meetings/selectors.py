"""Reads of meetings, with the viewer's rights.

Who sees a meeting: members of the network (as for plans and the directory) and anyone listed
as one of its participants with an account. Who changes it: network staff. Minutes are written
by the meeting's note-takers and chairs (and network staff); only a chair approves them. An
action item's status is changed by its owner, the coordinators of its owner organisation and
network staff.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from peaceworks.accounts.access import Actor, Viewer, user_id_of, viewer_for
from peaceworks.accounts.hooks import AttentionGroup, AttentionItem, first_items
from peaceworks.accounts.models import User
from peaceworks.consultations.models import Consultation
from peaceworks.consultations.selectors import consultation_list_visible_to
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.core.search import ranked_search
from peaceworks.directory.models import Affiliation, Organisation
from peaceworks.meetings.models import (
    ActionItem,
    Decision,
    Meeting,
    MinutesRevision,
    Participant,
    Session,
    SessionDocument,
)


def _readable(viewer: Viewer) -> Q | None:
    """The rule as a filter (None: every meeting): network staff see every meeting; others
    the meetings they take part in or own an action item of, and those hosted by, attended
    on behalf of, or giving an item to an organisation they read."""
    if viewer.is_network_staff:
        return None
    if viewer.user_id is None:
        return Q(pk__in=[])
    rule = Q(participants__user_id=viewer.user_id) | Q(action_items__owner_user_id=viewer.user_id)
    if viewer.readable_org_ids:
        rule |= Q(host_organisation_id__in=viewer.readable_org_ids)
        rule |= Q(participants__organisation_id__in=viewer.readable_org_ids)
        rule |= Q(action_items__owner_organisation_id__in=viewer.readable_org_ids)
    return rule


def meeting_list_visible_to(*, user: Actor) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("host_organisation", "campaign")
    rule = _readable(viewer_for(user))
    if rule is None:
        return meetings
    return meetings.filter(pk__in=Meeting.objects.filter(rule).values("pk"))


def _can_read(user: Actor, meeting: Meeting) -> bool:
    rule = _readable(viewer_for(user))
    return rule is None or Meeting.objects.filter(rule, pk=meeting.pk).exists()


def meeting_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Meeting:
    """The meeting ``pk``: NotFound for those who may not see it, Forbidden for readers
    asking to change it."""
    meeting = (
        Meeting.objects.select_related("host_organisation", "campaign", "previous_meeting")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not _can_read(user, meeting):
        raise NotFound
    if write:
        require_meeting_write(user=user, meeting=meeting)
    return meeting


def require_meeting_write(*, user: Actor, meeting: Meeting) -> None:
    if not _can_read(user, meeting):
        raise NotFound
    if not viewer_for(user).is_network_staff:
        raise Forbidden


def participant_roles(*, user: Actor, meeting: Meeting) -> frozenset[str]:
    """The roles ``user`` holds at ``meeting`` (empty for non-participants)."""
    user_id = user_id_of(user)
    if user_id is None:
        return frozenset()
    return frozenset(meeting.participants.filter(user_id=user_id).values_list("role", flat=True))


def can_write_minutes(*, user: Actor, meeting: Meeting) -> bool:
    if viewer_for(user).is_network_staff:
        return True
    roles = participant_roles(user=user, meeting=meeting)
    return bool(roles & {Participant.Role.NOTE_TAKER, Participant.Role.CHAIR})


def can_approve_minutes(*, user: Actor, meeting: Meeting) -> bool:
    return Participant.Role.CHAIR in participant_roles(user=user, meeting=meeting)


def session_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Session:
    session = (
        Session.objects.select_related("meeting", "plan", "framework", "consultation")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise NotFound
    meeting_get_for_user(user=user, pk=session.meeting_id, write=write)
    return session


def session_get_for_minutes(*, user: Actor, pk: int) -> Session:
    """A session whose minutes ``user`` may write (note-takers, chairs, network staff)."""
    session = session_get_for_user(user=user, pk=pk)
    if not can_write_minutes(user=user, meeting=session.meeting):
        raise Forbidden
    return session


def can_add_session_documents(*, user: Actor, meeting: Meeting) -> bool:
    """Note-takers, chairs, the host organisation's coordinators and network staff."""
    if can_write_minutes(user=user, meeting=meeting):
        return True
    return (
        meeting.host_organisation_id is not None
        and meeting.host_organisation_id in viewer_for(user).writable_org_ids
    )


def can_delete_session_document(*, user: Actor, document: SessionDocument) -> bool:
    viewer = viewer_for(user)
    return viewer.is_network_staff or (
        viewer.user_id is not None and document.uploaded_by_id == viewer.user_id
    )


def session_documents(*, session: Session) -> list[SessionDocument]:
    """A session's documents, oldest first, without their bytes."""
    return list(
        session.documents.defer("content")
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def meeting_documents(*, meeting: Meeting) -> list[SessionDocument]:
    """Every session document of ``meeting`` in agenda order, without their bytes."""
    return list(
        SessionDocument.objects.filter(session__meeting=meeting)
        .defer("content")
        .select_related("session", "uploaded_by")
        .order_by("session__day", "session__start_time", "session_id", "created_at", "id")
    )


def session_document_get_for_user(
    *, user: Actor, session_pk: int, pk: int, write: bool = False
) -> SessionDocument:
    """A document of session ``session_pk`` for those who may read the meeting (NotFound for
    others); with ``write`` (removing it), Forbidden unless its uploader or network staff."""
    session = session_get_for_user(user=user, pk=session_pk)
    document = (
        SessionDocument.objects.select_related("uploaded_by", "session__meeting")
        .filter(session=session, pk=pk)
        .first()
    )
    if document is None:
        raise NotFound
    if write and not can_delete_session_document(user=user, document=document):
        raise Forbidden
    return document


def consultation_of(*, user: Actor, session: Session) -> Consultation | None:
    """The session's consultation if ``user`` may open it (no link that answers 4xx)."""
    if session.consultation_id is None:
        return None
    return consultation_list_visible_to(user=user).filter(pk=session.consultation_id).first()


def participant_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Participant:
    participant = Participant.objects.select_related("meeting", "user").filter(pk=pk).first()
    if participant is None:
        raise NotFound
    meeting_get_for_user(user=user, pk=participant.meeting_id, write=write)
    return participant


def decision_get_for_user(*, user: Actor, pk: int, write: bool = False) -> Decision:
    decision = (
        Decision.objects.select_related(
            "meeting", "session", "reflection__plan", "goal__plan", "objective__goal__plan"
        )
        .select_related("action__objective__goal__plan")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise NotFound
    meeting_get_for_user(user=user, pk=decision.meeting_id, write=write)
    return decision


def revision_get_for_user(*, user: Actor, pk: int) -> MinutesRevision:
    revision = (
        MinutesRevision.objects.select_related("session__meeting", "author", "approved_by")
        .filter(pk=pk)
        .first()
    )
    if revision is None:
        raise NotFound
    meeting_get_for_user(user=user, pk=revision.session.meeting_id)
    return revision


def can_update_item(*, user: Actor, item: ActionItem) -> bool:
    viewer = viewer_for(user)
    if viewer.is_network_staff:
        return True
    if viewer.user_id is not None and item.owner_user_id == viewer.user_id:
        return True
    return (
        item.owner_organisation_id is not None
        and item.owner_organisation_id in viewer.writable_org_ids
    )


def action_item_get_for_user(*, user: Actor, pk: int, write: bool = False) -> ActionItem:
    """An action item; with ``write`` (its status), its owner, the owner organisation's
    coordinators and network staff."""
    item = (
        ActionItem.objects.select_related(
            "meeting", "owner_user", "owner_organisation", "decision", "strategy_action"
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFound
    owns = can_update_item(user=user, item=item)
    if not owns:
        meeting_get_for_user(user=user, pk=item.meeting_id)
        if write:
            raise Forbidden
    return item


def action_items_of(*, user: Actor) -> QuerySet[ActionItem]:
    """The open items ``user`` owns or that an organisation they coordinate owns, overdue
    first (the earliest due first)."""
    viewer = viewer_for(user)
    if viewer.user_id is None:
        return ActionItem.objects.none()
    mine = Q(owner_user_id=viewer.user_id)
    if viewer.writable_org_ids:
        mine |= Q(owner_user__isnull=True, owner_organisation_id__in=viewer.writable_org_ids)
    return (
        ActionItem.objects.filter(mine, status__in=ActionItem.OPEN_STATUSES)
        .select_related("meeting", "owner_organisation", "owner_user", "strategy_action")
        .order_by("due_date", "id")
    )


# The meeting page --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaDay:
    day: date
    sessions: list[Session]


@dataclass(frozen=True)
class SessionMinutes:
    session: Session
    approved: MinutesRevision | None  # the latest approved revision
    draft: MinutesRevision | None
    revisions: int


def agenda(*, meeting: Meeting) -> list[AgendaDay]:
    sessions = list(
        meeting.sessions.select_related("plan", "framework").order_by("day", "start_time")
    )
    return [AgendaDay(day, list(items)) for day, items in groupby(sessions, key=lambda s: s.day)]


def session_minutes(*, session: Session) -> SessionMinutes:
    revisions = list(session.minutes.select_related("author", "approved_by").order_by("number"))
    approved = [r for r in revisions if r.state == MinutesRevision.State.APPROVED]
    drafts = [r for r in revisions if r.state == MinutesRevision.State.DRAFT]
    return SessionMinutes(
        session=session,
        approved=approved[-1] if approved else None,
        draft=drafts[-1] if drafts else None,
        revisions=len(revisions),
    )


def meeting_minutes(*, meeting: Meeting) -> list[SessionMinutes]:
    sessions = meeting.sessions.prefetch_related(
        Prefetch(
            "minutes",
            queryset=MinutesRevision.objects.select_related("author", "approved_by").order_by(
                "number"
            ),
        )
    ).order_by("day", "start_time")
    rows = []
    for session in sessions:
        revisions = list(session.minutes.all())
        approved = [r for r in revisions if r.state == MinutesRevision.State.APPROVED]
        drafts = [r for r in revisions if r.state == MinutesRevision.State.DRAFT]
        rows.append(
            SessionMinutes(
                session=session,
                approved=approved[-1] if approved else None,
                draft=drafts[-1] if drafts else None,
                revisions=len(revisions),
            )
        )
    return rows


def participant_list(*, meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.select_related("user", "organisation").order_by("role", "id"))


def decision_list(*, meeting: Meeting) -> list[Decision]:
    return list(
        meeting.decisions.select_related(
            "meeting", "reflection__plan", "goal__plan", "objective__goal__plan"
        )
        .select_related("action__objective__goal__plan", "session")
        .order_by("number")
    )


def action_item_list(*, meeting: Meeting) -> list[ActionItem]:
    return list(
        meeting.action_items.select_related(
            "owner_user", "owner_organisation", "decision__meeting", "strategy_action"
        ).order_by("due_date", "id")
    )


def open_items_of_previous(*, meeting: Meeting) -> list[ActionItem]:
    """The open action items of the previous meeting, for this meeting's agenda."""
    if meeting.previous_meeting_id is None:
        return []
    return list(
        ActionItem.objects.filter(
            meeting_id=meeting.previous_meeting_id, status__in=ActionItem.OPEN_STATUSES
        )
        .select_related("owner_user", "owner_organisation")
        .order_by("due_date", "id")
    )


def meetings_of_user(*, user_id: int) -> QuerySet[Meeting]:
    """Meetings ``user_id`` takes part in (the personal calendar feed)."""
    return (
        Meeting.objects.filter(participants__user_id=user_id)
        .exclude(participants__user_id=user_id, participants__rsvp=Participant.Rsvp.DECLINED)
        .prefetch_related("sessions")
        .distinct()
    )


def organisation_in_network(organisation_id: int) -> bool:
    """The secretariat, or an organisation with an active affiliation to a network."""
    return Organisation.objects.filter(
        Q(is_secretariat=True) | Q(affiliations__status=Affiliation.Status.ACTIVE),
        pk=organisation_id,
    ).exists()


def reminder_steps(*, due: date, today: date) -> list[str]:
    """The steps whose day has come for an item due on ``due``: ``before-N`` from N days
    before the due date, ``after-N`` from N days after (settings
    ``MEETINGS_REMINDER_DAYS_BEFORE`` / ``_AFTER``)."""
    steps = []
    for days in settings.MEETINGS_REMINDER_DAYS_BEFORE:
        if due - timedelta(days=days) <= today <= due:
            steps.append(f"before-{days}")
    for days in settings.MEETINGS_REMINDER_DAYS_AFTER:
        if today >= due + timedelta(days=days):
            steps.append(f"after-{days}")
    return steps


def invitation_values(*, meeting: Meeting) -> dict[str, str]:
    """What an invitation, and a reminder to answer it, say of the meeting."""
    return {
        "title": meeting.title,
        "start": meeting.start_date.isoformat(),
        "end": meeting.end_date.isoformat(),
        "place": meeting.place or meeting.online_url or "—",
        "link": settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]),
    }


def rsvp_reminder_step(*, start: date, today: date) -> str | None:
    """The RSVP reminder step due on ``today`` for a meeting starting on ``start``: of the
    settings' ``MEETINGS_RSVP_REMINDER_DAYS_BEFORE`` whose day has come (and the meeting not
    begun), the nearest to the meeting; None when none has come."""
    due = [
        days
        for days in settings.MEETINGS_RSVP_REMINDER_DAYS_BEFORE
        if start - timedelta(days=days) <= today < start
    ]
    return f"rsvp-{min(due)}" if due else None


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# What needs a person now (lent to accounts.hooks) ----------------------------------------

ATTENTION_ITEMS_DUE = "meetings.items_due"
ATTENTION_LABELS = {
    ATTENTION_ITEMS_DUE: gettext_lazy("Meeting action items overdue or due within 7 days"),
}
ITEMS_DUE_WITHIN = timedelta(days=7)


def attention_action_items(user: User, today: date) -> list[AttentionGroup]:
    """The open action items of :func:`action_items_of` due within 7 days or overdue."""
    due, count = first_items(
        action_items_of(user=user).filter(due_date__lte=today + ITEMS_DUE_WITHIN)
    )
    items = tuple(
        AttentionItem(
            key=f"meetings.item:{item.pk}:due:{item.due_date.isoformat()}",
            title=f"{item.title} · {item.meeting.title}",
            url=reverse("meetings:detail", args=[item.meeting_id]),
            due=item.due_date,
        )
        for item in due
    )
    return [
        AttentionGroup(
            kind=ATTENTION_ITEMS_DUE,
            label=ATTENTION_LABELS[ATTENTION_ITEMS_DUE],
            url=reverse("meetings:my_items"),
            count=count,
            items=items,
        )
    ]


# Search (combined by the web app's search page) --------------------------------------------


def meeting_search(*, user: Actor, query: str) -> QuerySet[Meeting]:
    """Meetings matching ``query`` that the user may open (:func:`meeting_list_visible_to`)."""
    return ranked_search(
        meeting_list_visible_to(user=user),
        query=query,
        fields=("title", "short_name", "place", "description"),
        title="title",
    )
