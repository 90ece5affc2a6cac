"""Writes of meetings: meetings, participants, sessions, minutes, decisions (and the strategy
items they create or update), action items, reminders and calendar feed addresses.

Every function checks the actor's right through the access functions of ``selectors``,
validates through ``core.records`` (a DomainError names the field), and is audited.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of, viewer_for
from peaceworks.accounts.models import Membership, User
from peaceworks.campaigns.models import Action, Goal, Objective, Plan, Reflection
from peaceworks.campaigns.services import (
    action_create,
    action_update,
    goal_create,
    objective_create,
    reflection_add,
)
from peaceworks.consultations.selectors import consultation_list_visible_to
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import Conflict, DomainError, Forbidden
from peaceworks.core.records import apply_changes, assign_changes, audited_write, save_validated
from peaceworks.core.scheduling import enqueue_on_commit
from peaceworks.directory.models import Engagement, Organisation, Stakeholder
from peaceworks.directory.services import engagement_record
from peaceworks.meetings.html import minutes_html
from peaceworks.meetings.models import (
    ActionItem,
    CalendarFeedToken,
    Decision,
    Meeting,
    MinutesRevision,
    Participant,
    Session,
    StakeholderEngagement,
)
from peaceworks.meetings.selectors import (
    can_approve_minutes,
    can_update_item,
    can_write_minutes,
    feed_token_hash,
    invitation_values,
    organisation_in_network,
    require_meeting_write,
)

MEETING_FIELDS = frozenset(
    {
        "title",
        "short_name",
        "meeting_type",
        "start_date",
        "end_date",
        "time_zone",
        "place",
        "online_url",
        "description",
        "host_organisation",
        "campaign",
        "previous_meeting",
    }
)
PARTICIPANT_FIELDS = frozenset(
    {"user", "name", "organisation", "represents", "role", "attendance", "rsvp"}
)
SESSION_FIELDS = frozenset(
    {
        "day",
        "start_time",
        "end_time",
        "title",
        "kind",
        "description",
        "facilitator",
        "plan",
        "framework",
        "consultation",
    }
)
DECISION_FIELDS = frozenset({"text", "proposed_by", "outcome", "session"})
ITEM_FIELDS = frozenset(
    {
        "title",
        "owner_user",
        "owner_organisation",
        "due_date",
        "status",
        "strategy_action",
        "decision",
    }
)


def _require_account(actor: Actor) -> User:
    """The signed-in account acting on its own things (Forbidden for anyone else)."""
    user = user_of(actor)
    if user is None or not viewer_for(actor).is_authenticated:
        raise Forbidden
    return user


def _require_staff(actor: Actor) -> None:
    if not viewer_for(actor).is_network_staff:
        raise Forbidden


def _check_choice(value: Any, choices: type[models.TextChoices], field: str) -> None:
    if value not in choices.values:
        raise DomainError(_("Choose a valid value."), field=field)


# Meetings ----------------------------------------------------------------------------------


def _check_meeting(meeting: Meeting) -> None:
    _check_choice(meeting.meeting_type, Meeting.Type, "meeting_type")
    if meeting.end_date < meeting.start_date:
        raise DomainError(_("The last day is before the first day."), field="end_date")
    if meeting.pk is not None:
        outside = meeting.sessions.exclude(day__gte=meeting.start_date, day__lte=meeting.end_date)
        if outside.exists():
            raise DomainError(
                _("Some sessions fall outside these days; move them first."), field="start_date"
            )
    if meeting.previous_meeting_id is not None and meeting.previous_meeting_id == meeting.pk:
        raise DomainError(_("A meeting cannot follow itself."), field="previous_meeting")


@transaction.atomic
def meeting_create(
    *, actor: Actor, values: Mapping[str, Any], stakeholders: Iterable[Stakeholder] = ()
) -> Meeting:
    """Plan a meeting (network staff). A stakeholder meeting writes an entry in each linked
    stakeholder's engagement log."""
    _require_staff(actor)
    meeting = Meeting()
    assign_changes(meeting, values, allowed=MEETING_FIELDS)
    _check_meeting(meeting)
    save_validated(meeting, changed=[])
    audit_record(actor=actor, action="meeting.create", target=meeting)
    meeting_stakeholders_set(actor=actor, meeting=meeting, stakeholders=stakeholders)
    return meeting


Record = TypeVar("Record", bound=models.Model)


def _audited_update(
    actor: Actor,
    record: Record,
    changes: Mapping[str, Any],
    *,
    allowed: Collection[str],
    check: Callable[[Record], None],
    action: str,
    checked: Collection[str] = (),
) -> list[str]:
    """The one update of a meeting's records: ``changes`` set (refused outside ``allowed``),
    the record's own rules (``check``; ``checked``: the constraints it checks), saved
    validated, and audited with each changed field's value before and after."""
    return audited_write(
        record, changes, actor=actor, action=action, allowed=allowed, check=check, checked=checked
    )


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    changes: Mapping[str, Any],
    stakeholders: Iterable[Stakeholder] | None = None,
) -> Meeting:
    require_meeting_write(user=actor, meeting=meeting)
    _audited_update(
        actor,
        meeting,
        changes,
        allowed=MEETING_FIELDS,
        check=_check_meeting,
        action="meeting.update",
    )
    if stakeholders is not None:
        meeting_stakeholders_set(actor=actor, meeting=meeting, stakeholders=stakeholders)
    return meeting


@transaction.atomic
def meeting_stakeholders_set(
    *, actor: Actor, meeting: Meeting, stakeholders: Iterable[Stakeholder]
) -> None:
    """Link ``stakeholders``; for a stakeholder meeting, each linked stakeholder gets one
    engagement-log entry (written once, kept when the link is removed)."""
    require_meeting_write(user=actor, meeting=meeting)
    chosen = list(stakeholders)
    meeting.stakeholders.set(chosen)
    if meeting.meeting_type != Meeting.Type.STAKEHOLDER:
        return
    logged = set(
        StakeholderEngagement.objects.filter(meeting=meeting).values_list(
            "engagement__stakeholder_id", flat=True
        )
    )
    for stakeholder in chosen:
        if stakeholder.pk in logged:
            continue
        engagement = engagement_record(
            actor=actor,
            stakeholder=stakeholder,
            values={
                "occurred_on": meeting.start_date,
                "kind": Engagement.Kind.MEETING,
                "title": meeting.title[:200],
                "summary": _("Meeting of the network: %(title)s (%(place)s).")
                % {"title": meeting.title, "place": meeting.place or meeting.online_url or "—"},
            },
        )
        StakeholderEngagement.objects.create(meeting=meeting, engagement=engagement)


@transaction.atomic
def meeting_engagement_update(
    *, actor: Actor, meeting: Meeting, advice_received: str, commitments: str, people: str
) -> int:
    """Record what a stakeholder meeting brought (advice, commitments, who took part) in
    the engagement-log entries it wrote; returns how many entries changed."""
    require_meeting_write(user=actor, meeting=meeting)
    count = 0
    for link in StakeholderEngagement.objects.filter(meeting=meeting).select_related("engagement"):
        changed = apply_changes(
            link.engagement,
            {"advice_received": advice_received, "commitments": commitments, "people": people},
            allowed={"advice_received", "commitments", "people"},
        )
        if changed:
            audit_record(actor=actor, action="engagement.update", target=link.engagement)
            count += 1
    return count


# Participants ------------------------------------------------------------------------------


def _check_participant(participant: Participant) -> None:
    _check_choice(participant.role, Participant.Role, "role")
    _check_choice(participant.attendance, Participant.Attendance, "attendance")
    _check_choice(participant.rsvp, Participant.Rsvp, "rsvp")
    if participant.user_id is None and not participant.name.strip():
        raise DomainError(_("Choose a person with an account or give a name."), field="name")
    if participant.user_id is not None:
        taken = Participant.objects.filter(
            meeting_id=participant.meeting_id, user_id=participant.user_id
        ).exclude(pk=participant.pk)
        if taken.exists():
            raise DomainError(_("This person is already a participant."), field="user")
        if (
            participant.organisation_id is not None
            and not Membership.objects.filter(
                user_id=participant.user_id, organisation_id=participant.organisation_id
            ).exists()
        ):
            raise DomainError(
                _("This person is not a member of the organisation chosen."), field="organisation"
            )


#: the constraints of Participant that :func:`_check_participant` checks (a person with an
#: account once a meeting; someone without one named, more strictly: not only blanks)
PARTICIPANT_CHECKED = frozenset({"meetings_participant_once", "meetings_participant_named"})


@transaction.atomic
def participant_add(*, actor: Actor, meeting: Meeting, values: Mapping[str, Any]) -> Participant:
    require_meeting_write(user=actor, meeting=meeting)
    participant = Participant(meeting=meeting)
    assign_changes(participant, values, allowed=PARTICIPANT_FIELDS)
    if participant.organisation_id is None and participant.user_id is not None:
        # the organisation a member represents, when they belong to exactly one
        orgs = list(
            Membership.objects.filter(user_id=participant.user_id).values_list(
                "organisation_id", flat=True
            )[:2]
        )
        if len(orgs) == 1:
            participant.organisation_id = orgs[0]
    _check_participant(participant)
    save_validated(participant, changed=[], checked=PARTICIPANT_CHECKED)
    audit_record(actor=actor, action="participant.add", target=participant)
    if participant.user_id is not None:
        enqueue_on_commit("peaceworks.meetings.tasks.participant_invite", participant.pk)
    return participant


@transaction.atomic
def participant_invitation_send(*, actor: Actor, participant_id: int) -> bool:
    """E-mail a participant with an account the invitation (dates, place, where to answer)
    once; the row is locked and ``invited_at`` recorded in the same transaction, so a second
    run sends nothing. The system (a task) or network staff send it."""
    if actor is not None:
        _require_staff(actor)
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("meeting", "user")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None or participant.user is None or participant.invited_at is not None:
        return False
    meeting = participant.meeting
    subject = _("Invitation: %(title)s") % {"title": meeting.title}
    body = _(
        "You are invited to %(title)s, %(start)s to %(end)s (%(place)s), as %(role)s.\n\n"
        "Answer and see the agenda: %(link)s"
    ) % {**invitation_values(meeting=meeting), "role": participant.get_role_display()}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [participant.user.email])
    participant.invited_at = timezone.now()
    participant.save(update_fields=["invited_at", "updated_at"])
    audit_record(actor=actor, action="participant.invite", target=participant)
    return True


@transaction.atomic
def participant_update(
    *, actor: Actor, participant: Participant, changes: Mapping[str, Any]
) -> Participant:
    require_meeting_write(user=actor, meeting=participant.meeting)
    _audited_update(
        actor,
        participant,
        changes,
        allowed=PARTICIPANT_FIELDS,
        check=_check_participant,
        checked=PARTICIPANT_CHECKED,
        action="participant.update",
    )
    return participant


@transaction.atomic
def participant_rsvp(*, actor: Actor, meeting: Meeting, answer: str) -> Participant:
    """Answer one's own invitation to ``meeting``."""
    user = _require_account(actor)
    participant = meeting.participants.filter(user_id=user.pk).first()
    if participant is None:
        raise Forbidden
    _check_choice(answer, Participant.Rsvp, "rsvp")
    apply_changes(participant, {"rsvp": answer}, allowed={"rsvp"})
    audit_record(
        actor=actor, action="participant.rsvp", target=participant, changes={"rsvp": answer}
    )
    return participant


# Sessions ----------------------------------------------------------------------------------


def _check_session(session: Session) -> None:
    _check_choice(session.kind, Session.Kind, "kind")
    meeting = session.meeting
    if not meeting.start_date <= session.day <= meeting.end_date:
        raise DomainError(
            _("The day is outside the meeting's days (%(start)s to %(end)s).")
            % {
                "start": date_format(meeting.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(meeting.end_date, "SHORT_DATE_FORMAT"),
            },
            field="day",
        )
    if session.end_time <= session.start_time:
        raise DomainError(_("The session ends before it starts."), field="end_time")


def _check_consultation(actor: Actor, session: Session) -> None:
    """A session links only a consultation its author may open."""
    if session.consultation_id is None:
        return
    if not consultation_list_visible_to(user=actor).filter(pk=session.consultation_id).exists():
        raise DomainError(_("There is no such record."), field="consultation")


@transaction.atomic
def session_create(*, actor: Actor, meeting: Meeting, values: Mapping[str, Any]) -> Session:
    require_meeting_write(user=actor, meeting=meeting)
    session = Session(meeting=meeting)
    assign_changes(session, values, allowed=SESSION_FIELDS)
    _check_session(session)
    _check_consultation(actor, session)
    save_validated(session, changed=[])
    audit_record(actor=actor, action="session.create", target=session)
    return session


@transaction.atomic
def session_update(*, actor: Actor, session: Session, changes: Mapping[str, Any]) -> Session:
    require_meeting_write(user=actor, meeting=session.meeting)
    linked = session.consultation_id

    def check(record: Session) -> None:
        _check_session(record)
        if record.consultation_id != linked:
            _check_consultation(actor, record)

    _audited_update(
        actor, session, changes, allowed=SESSION_FIELDS, check=check, action="session.update"
    )
    return session


# Minutes -----------------------------------------------------------------------------------


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DomainError(_("Write the minutes."), field="body")
    if not minutes_html(body).strip():
        raise DomainError(_("The minutes have no text that can be shown."), field="body")
    return body


def _next_revision(session: Session) -> int:
    last = session.minutes.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def minutes_draft(*, actor: Actor, session: Session, body: str) -> MinutesRevision:
    """Write or change the session's draft minutes (note-takers, chairs, network staff).

    With no draft, a new revision is started; approved minutes are never touched here (a
    correction goes through :func:`minutes_revise`, which keeps the reason)."""
    if not can_write_minutes(user=actor, meeting=session.meeting):
        raise Forbidden
    body = _check_body(body)
    draft = (
        MinutesRevision.objects.select_for_update()
        .filter(session=session, state=MinutesRevision.State.DRAFT)
        .first()
    )
    if draft is None:
        if session.minutes.filter(state=MinutesRevision.State.APPROVED).exists():
            raise Conflict(
                _("These minutes are approved; start a revision to correct them."), field="body"
            )
        draft = MinutesRevision(session=session, number=_next_revision(session))
    draft.body = body
    draft.author = user_of(actor)
    save_validated(draft, changed=["body", "author"])
    audit_record(actor=actor, action="minutes.draft", target=draft)
    return draft


@transaction.atomic
def minutes_revise(*, actor: Actor, session: Session, body: str, reason: str) -> MinutesRevision:
    """Start a correction of approved minutes: a new draft revision with its reason; the
    approved revision stays as it was, in the history."""
    if not can_write_minutes(user=actor, meeting=session.meeting):
        raise Forbidden
    body = _check_body(body)
    if not reason.strip():
        raise DomainError(_("Say what the revision corrects."), field="reason")
    if session.minutes.filter(state=MinutesRevision.State.DRAFT).exists():
        raise Conflict(_("A draft revision is already open; edit it."), field="body")
    revision = MinutesRevision(
        session=session,
        number=_next_revision(session),
        body=body,
        reason=reason.strip()[:300],
        author=user_of(actor),
    )
    save_validated(revision, changed=[])
    audit_record(actor=actor, action="minutes.revise", target=revision, changes={"reason": reason})
    return revision


@transaction.atomic
def minutes_approve(*, actor: Actor, revision: MinutesRevision) -> MinutesRevision:
    """The chair approves a draft: it records who and when, and it is never changed again."""
    revision = (
        MinutesRevision.objects.select_for_update()
        .select_related("session__meeting")
        .get(pk=revision.pk)
    )
    if not can_approve_minutes(user=actor, meeting=revision.session.meeting):
        raise Forbidden
    if revision.state != MinutesRevision.State.DRAFT:
        raise Conflict(_("These minutes are already approved."), field="state")
    revision.state = MinutesRevision.State.APPROVED
    revision.approved_by = user_of(actor)
    revision.approved_at = timezone.now()
    save_validated(revision, changed=["state", "approved_by", "approved_at"])
    audit_record(actor=actor, action="minutes.approve", target=revision)
    return revision


# Decisions ---------------------------------------------------------------------------------


def _check_decision(decision: Decision) -> None:
    _check_choice(decision.outcome, Decision.Outcome, "outcome")
    if not decision.text.strip():
        raise DomainError(_("Write the decision."), field="text")
    if decision.session is not None and decision.session.meeting_id != decision.meeting_id:
        raise DomainError(_("Choose a session of this meeting."), field="session")


@transaction.atomic
def decision_create(*, actor: Actor, meeting: Meeting, values: Mapping[str, Any]) -> Decision:
    """Record a decision; it takes the next number of the meeting (``Paris 2026 / D3``)."""
    require_meeting_write(user=actor, meeting=meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # numbers in turn
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision(meeting=meeting, number=last + 1)
    assign_changes(decision, values, allowed=DECISION_FIELDS)
    _check_decision(decision)
    save_validated(decision, changed=[])
    audit_record(actor=actor, action="decision.create", target=decision)
    return decision


@transaction.atomic
def decision_update(*, actor: Actor, decision: Decision, changes: Mapping[str, Any]) -> Decision:
    require_meeting_write(user=actor, meeting=decision.meeting)
    _audited_update(
        actor,
        decision,
        changes,
        allowed=DECISION_FIELDS,
        check=_check_decision,
        action="decision.update",
    )
    return decision


_LINK_FIELDS: dict[type[models.Model], str] = {
    Reflection: "reflection",
    Goal: "goal",
    Objective: "objective",
    Action: "action",
}


def _set_link(decision: Decision, item: models.Model, effect: str) -> None:
    for field in _LINK_FIELDS.values():
        setattr(decision, field, None)
    setattr(decision, _LINK_FIELDS[type(item)], item)
    decision.strategy_effect = effect
    save_validated(decision, changed=[*_LINK_FIELDS.values(), "strategy_effect"])


@transaction.atomic
def decision_link_strategy(
    *,
    actor: Actor,
    decision: Decision,
    item: Reflection | Goal | Objective | Action,
    changes: Mapping[str, Any] | None = None,
) -> Decision:
    """The decision updated an existing strategy item: link it (both pages show the link);
    for an action, ``changes`` (e.g. a new due date or owner) go through the strategy's own
    service."""
    require_meeting_write(user=actor, meeting=decision.meeting)
    if changes:
        if not isinstance(item, Action):
            raise DomainError(_("Only an action's fields are changed here."), field="item")
        action_update(actor=actor, action=item, changes=changes)
    _set_link(decision, item, Decision.Effect.UPDATED)
    audit_record(
        actor=actor,
        action="decision.link",
        target=decision,
        changes={"item": f"{item._meta.model_name}:{item.pk}"},
    )
    return decision


@dataclass(frozen=True)
class StrategyItemSpec:
    """What a decision creates in the strategy: ``kind`` (reflection, goal, objective,
    action), its parent (a plan for reflections and goals, a goal for objectives, an
    objective for actions) and its fields."""

    kind: str
    parent: Plan | Goal | Objective
    title: str
    reflection_kind: str = Reflection.Kind.FUTURE
    start_date: date | None = None
    due_date: date | None = None
    owner_organisation: Organisation | None = None
    owner_user: User | None = None
    #: the title in other languages: ``{"fr": {"title": "…"}}``
    translations: Mapping[str, Mapping[str, str]] | None = None


@transaction.atomic
def decision_create_strategy_item(
    *, actor: Actor, decision: Decision, spec: StrategyItemSpec
) -> models.Model:
    """The decision creates a reflection, goal, objective or action through the strategy's
    services (network staff); the new item is linked to the decision."""
    require_meeting_write(user=actor, meeting=decision.meeting)
    if decision.outcome != Decision.Outcome.ADOPTED:
        raise DomainError(_("Only an adopted decision changes the strategy."), field="outcome")
    parent = spec.parent
    item: models.Model
    if spec.kind == "reflection" and isinstance(parent, Plan):
        item = reflection_add(
            actor=actor,
            plan=parent,
            kind=spec.reflection_kind,
            text=spec.title,
            source_reference=decision.label,
        )
    elif spec.kind == "goal" and isinstance(parent, Plan):
        item = goal_create(
            actor=actor, plan=parent, title=spec.title, translations=spec.translations
        )
    elif spec.kind == "objective" and isinstance(parent, Goal):
        item = objective_create(
            actor=actor, goal=parent, title=spec.title, translations=spec.translations
        )
    elif spec.kind == "action" and isinstance(parent, Objective):
        if spec.start_date is None:
            raise DomainError(_("Give a start date."), field="start_date")
        if spec.due_date is None:
            raise DomainError(_("Give a due date."), field="due_date")
        item = action_create(
            actor=actor,
            objective=parent,
            title=spec.title,
            start_date=spec.start_date,
            due_date=spec.due_date,
            owner_organisation=spec.owner_organisation,
            owner_user=spec.owner_user,
            translations=spec.translations,
        )
    else:
        raise DomainError(_("Choose where in the strategy the item goes."), field="parent")
    _set_link(decision, item, Decision.Effect.CREATED)
    audit_record(
        actor=actor,
        action="decision.create_strategy_item",
        target=decision,
        changes={"item": f"{spec.kind}:{item.pk}"},
    )
    return item


# Action items ------------------------------------------------------------------------------


def _check_item(item: ActionItem) -> None:
    _check_choice(item.status, ActionItem.Status, "status")
    if item.owner_user_id is None and item.owner_organisation_id is None:
        raise DomainError(_("Give the item an owner or an owner organisation."), field="owner_user")
    if item.owner_organisation_id is not None and not organisation_in_network(
        item.owner_organisation_id
    ):
        raise DomainError(
            _("This organisation is not an active member of the network."),
            field="owner_organisation",
        )
    if item.owner_user_id is not None and not viewer_for(item.owner_user).is_network_member:
        raise DomainError(
            _("This person does not belong to an organisation of the network."),
            field="owner_user",
        )
    if item.decision is not None and item.decision.meeting_id != item.meeting_id:
        raise DomainError(_("Choose a decision of this meeting."), field="decision")


@transaction.atomic
def action_item_create(*, actor: Actor, meeting: Meeting, values: Mapping[str, Any]) -> ActionItem:
    """Give someone (a person or a member organisation of the network) something to do by a
    date (network staff)."""
    require_meeting_write(user=actor, meeting=meeting)
    item = ActionItem(meeting=meeting)
    assign_changes(item, values, allowed=ITEM_FIELDS)
    _check_item(item)
    save_validated(item, changed=[])
    audit_record(actor=actor, action="action_item.create", target=item)
    return item


@transaction.atomic
def action_item_update(*, actor: Actor, item: ActionItem, changes: Mapping[str, Any]) -> ActionItem:
    """Network staff change any field; an owner (or the owner organisation's coordinators)
    only the status."""
    if set(changes) - {"status"}:
        require_meeting_write(user=actor, meeting=item.meeting)
    elif not can_update_item(user=actor, item=item):
        raise Forbidden
    _audited_update(
        actor, item, changes, allowed=ITEM_FIELDS, check=_check_item, action="action_item.update"
    )
    return item


# Calendar feeds ----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, actor: Actor) -> str:
    """A new secret feed address for the actor; earlier ones stop working. Returns the token
    (shown once; only its hash is kept)."""
    user = _require_account(actor)
    calendar_feed_revoke(actor=actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeedToken.objects.create(user=user, token_hash=feed_token_hash(token))
    audit_record(actor=actor, action="calendar_feed.create", target=feed)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: Actor) -> int:
    """Stop every feed address of the actor; returns how many were active."""
    user = _require_account(actor)
    count = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(actor=actor, action="calendar_feed.revoke", target=user)
    return count


# Reminders live in their own module; re-exported so that callers keep one entry point.
from peaceworks.meetings.services.reminders import (  # noqa: E402
    reminders_send as reminders_send,
)
from peaceworks.meetings.services.reminders import (  # noqa: E402
    rsvp_reminders_send as rsvp_reminders_send,
)
