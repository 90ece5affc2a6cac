"""The meetings API: meetings, sessions, participants, minutes (drafts, approval, revisions),
decisions (and the strategy items they create or update) and action items. Same access
functions and services as the pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from peaceworks.accounts.access import viewer_for
from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Action, Campaign, Goal, Objective, Plan, Reflection
from peaceworks.consultations.models import Consultation
from peaceworks.core.errors import Conflict, DomainError
from peaceworks.core.pagination import Rows, paginate, updated_since
from peaceworks.core.schemas import Id, Line
from peaceworks.core.uploads import document_response
from peaceworks.directory.models import Organisation, Stakeholder
from peaceworks.impact.models import Framework
from peaceworks.meetings import selectors
from peaceworks.meetings.html import minutes_html
from peaceworks.meetings.models import (
    ActionItem,
    Decision,
    Meeting,
    MinutesRevision,
    Participant,
    Session,
    SessionDocument,
)
from peaceworks.meetings.schemas import (
    MEETING_ORDERINGS,
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    DecisionIn,
    DecisionOut,
    DecisionPatch,
    DocumentOut,
    MeetingFilter,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MinutesIn,
    MinutesOut,
    MinutesPatch,
    ParticipantIn,
    ParticipantOut,
    ParticipantPatch,
    RevisionIn,
    SessionIn,
    SessionOut,
    SessionPatch,
    StrategyCreateIn,
    StrategyLinkIn,
)
from peaceworks.meetings.services import (
    StrategyItemSpec,
    action_item_create,
    action_item_update,
    decision_create,
    decision_create_strategy_item,
    decision_link_strategy,
    decision_update,
    meeting_create,
    meeting_update,
    minutes_approve,
    minutes_draft,
    minutes_revise,
    participant_add,
    participant_update,
    session_create,
    session_update,
)
from peaceworks.meetings.services.documents import session_document_add, session_document_delete

router = Router(tags=["meetings"])

# ``<name>_id`` in a payload → the model the service sets as ``<name>``.
_REFERENCES: dict[str, type[models.Model]] = {
    "host_organisation_id": Organisation,
    "campaign_id": Campaign,
    "previous_meeting_id": Meeting,
    "organisation_id": Organisation,
    "user_id": User,
    "plan_id": Plan,
    "framework_id": Framework,
    "consultation_id": Consultation,
    "owner_user_id": User,
    "owner_organisation_id": Organisation,
    "decision_id": Decision,
    "strategy_action_id": Action,
    "session_id": Session,
}
_NOT_NULL = frozenset(
    {"title", "short_name", "meeting_type", "start_date", "end_date", "time_zone", "day"}
    | {"start_time", "end_time", "kind", "role", "attendance", "rsvp", "text", "outcome"}
    | {"due_date", "status", "place", "online_url", "description", "facilitator", "name"}
    | {"represents", "proposed_by", "stakeholder_ids"}
)


def _values(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as the services take it: ids resolved to objects (a DomainError naming the
    field when there is none), an explicit null refused where the field cannot be empty."""
    values: dict[str, Any] = {}
    for name, value in payload.items():
        if value is None and name in _NOT_NULL:
            raise DomainError(_("This field cannot be empty."), field=name)
        model = _REFERENCES.get(name)
        if model is None:
            values[name] = value
            continue
        found = None if value is None else model._default_manager.filter(pk=value).first()
        if value is not None and found is None:
            raise DomainError(_("There is no such record."), field=name)
        values[name.removesuffix("_id")] = found
    return values


def _stakeholders(ids: list[int]) -> list[Stakeholder]:
    found = list(Stakeholder.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError(_("There is no such record."), field="stakeholder_ids")
    return found


# Meetings ----------------------------------------------------------------------------------


def _meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.pk,
        title=meeting.title,
        short_name=meeting.short_name,
        meeting_type=meeting.meeting_type,
        start_date=meeting.start_date,
        end_date=meeting.end_date,
        time_zone=meeting.time_zone,
        place=meeting.place,
        online_url=meeting.online_url,
        description=meeting.description,
        host_organisation_id=meeting.host_organisation_id,
        campaign_id=meeting.campaign_id,
        previous_meeting_id=meeting.previous_meeting_id,
        stakeholder_ids=sorted(meeting.stakeholders.values_list("pk", flat=True)),
    )


@router.get("/meetings", response=list[MeetingOut])
@paginate
def meeting_list(request: HttpRequest, filters: Query[MeetingFilter]) -> Rows[Meeting]:
    meetings = selectors.meeting_list_visible_to(user=request.user).prefetch_related("stakeholders")
    if filters.meeting_type:
        meetings = meetings.filter(meeting_type=filters.meeting_type)
    if filters.campaign_id is not None:
        meetings = meetings.filter(campaign_id=filters.campaign_id)
    if filters.host_organisation_id is not None:
        meetings = meetings.filter(host_organisation_id=filters.host_organisation_id)
    if filters.starts_from is not None:
        meetings = meetings.filter(end_date__gte=filters.starts_from)
    meetings = updated_since(meetings, filters.updated_since)
    return Rows(MEETING_ORDERINGS.apply(meetings, filters.ordering), _meeting_out)


@router.post("/meetings", response={201: MeetingOut})
def meeting_create_endpoint(request: HttpRequest, payload: MeetingIn) -> Status[MeetingOut]:
    """Plan a meeting (network staff); a stakeholder meeting writes each stakeholder's
    engagement log."""
    viewer_for(request.user).require_network_staff()
    values = payload.model_dump()
    stakeholders = _stakeholders(values.pop("stakeholder_ids"))
    meeting = meeting_create(actor=request.user, values=_values(values), stakeholders=stakeholders)
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{int:pk}", response=MeetingOut)
def meeting_detail(request: HttpRequest, pk: Id) -> MeetingOut:
    return _meeting_out(selectors.meeting_get_for_user(user=request.user, pk=pk))


@router.patch("/meetings/{int:pk}", response=MeetingOut)
def meeting_patch(request: HttpRequest, pk: Id, payload: MeetingPatch) -> MeetingOut:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
    changes = payload.model_dump(exclude_unset=True)
    ids = changes.pop("stakeholder_ids", None)
    meeting_update(
        actor=request.user,
        meeting=meeting,
        changes=_values(changes),
        stakeholders=None if ids is None else _stakeholders(ids),
    )
    return meeting_detail(request, pk)


# Participants ------------------------------------------------------------------------------


def _participant_out(participant: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=participant.pk,
        meeting_id=participant.meeting_id,
        user_id=participant.user_id,
        name=participant.name,
        organisation_id=participant.organisation_id,
        represents=participant.represents,
        role=participant.role,
        attendance=participant.attendance,
        rsvp=participant.rsvp,
    )


@router.get("/meetings/{int:pk}/participants", response=list[ParticipantOut])
@paginate
def participant_list(request: HttpRequest, pk: Id) -> list[ParticipantOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return [_participant_out(p) for p in selectors.participant_list(meeting=meeting)]


@router.post("/meetings/{int:pk}/participants", response={201: ParticipantOut})
def participant_add_endpoint(
    request: HttpRequest, pk: Id, payload: ParticipantIn
) -> Status[ParticipantOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
    participant = participant_add(
        actor=request.user, meeting=meeting, values=_values(payload.model_dump())
    )
    return Status(201, _participant_out(participant))


@router.patch("/participants/{int:pk}", response=ParticipantOut)
def participant_patch(request: HttpRequest, pk: Id, payload: ParticipantPatch) -> ParticipantOut:
    participant = selectors.participant_get_for_user(user=request.user, pk=pk, write=True)
    participant_update(
        actor=request.user,
        participant=participant,
        changes=_values(payload.model_dump(exclude_unset=True)),
    )
    return _participant_out(participant)


# Sessions ----------------------------------------------------------------------------------


def _session_out(session: Session) -> SessionOut:
    return SessionOut(
        id=session.pk,
        meeting_id=session.meeting_id,
        day=session.day,
        start_time=session.start_time,
        end_time=session.end_time,
        starts_at=session.starts_at(),
        ends_at=session.ends_at(),
        title=session.title,
        kind=session.kind,
        description=session.description,
        facilitator=session.facilitator,
        plan_id=session.plan_id,
        framework_id=session.framework_id,
        consultation_id=session.consultation_id,
    )


@router.get("/meetings/{int:pk}/sessions", response=list[SessionOut])
@paginate
def session_list(request: HttpRequest, pk: Id) -> list[SessionOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return [
        _session_out(session)
        for day in selectors.agenda(meeting=meeting)
        for session in day.sessions
    ]


@router.post("/meetings/{int:pk}/sessions", response={201: SessionOut})
def session_create_endpoint(request: HttpRequest, pk: Id, payload: SessionIn) -> Status[SessionOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
    session = session_create(
        actor=request.user, meeting=meeting, values=_values(payload.model_dump())
    )
    return Status(201, _session_out(session))


@router.patch("/sessions/{int:pk}", response=SessionOut)
def session_patch(request: HttpRequest, pk: Id, payload: SessionPatch) -> SessionOut:
    session = selectors.session_get_for_user(user=request.user, pk=pk, write=True)
    session_update(
        actor=request.user, session=session, changes=_values(payload.model_dump(exclude_unset=True))
    )
    return _session_out(session)


# Session documents -------------------------------------------------------------------------


def _document_out(document: SessionDocument) -> DocumentOut:
    uploader = document.uploaded_by
    return DocumentOut(
        id=document.pk,
        session_id=document.session_id,
        title=document.title,
        filename=document.filename,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        uploaded_by=(uploader.get_full_name() or uploader.email) if uploader else "",
        uploaded_at=document.created_at,
    )


@router.get("/sessions/{int:pk}/documents", response=list[DocumentOut])
@paginate
def session_document_list(request: HttpRequest, pk: Id) -> list[DocumentOut]:
    """The session's documents (whoever may read the meeting), oldest first."""
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    return [_document_out(d) for d in selectors.session_documents(session=session)]


@router.post("/sessions/{int:pk}/documents", response={201: DocumentOut})
def session_document_create(
    request: HttpRequest, pk: Id, file: File[UploadedFile], title: Form[Line | None] = None
) -> Status[DocumentOut]:
    """Attach a document (multipart: ``file`` and an optional ``title``): note-takers, chairs,
    the host organisation's coordinators and network staff. Over ``MAX_UPLOAD_MB`` 413; empty
    or of a kind not accepted 400; nothing is stored then."""
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    document = session_document_add(
        actor=request.user,
        session=session,
        title=title or "",
        file=file,
    )
    return Status(201, _document_out(document))


@router.get("/sessions/{int:pk}/documents/{int:document_id}/content")
def session_document_content(request: HttpRequest, pk: Id, document_id: Id) -> HttpResponse:
    """The document's bytes, as an attachment (whoever may read the meeting)."""
    document = selectors.session_document_get_for_user(
        user=request.user, session_pk=pk, pk=document_id
    )
    return document_response(data=bytes(document.content), filename=document.filename)


@router.delete("/sessions/{int:pk}/documents/{int:document_id}", response={204: None})
def session_document_remove(request: HttpRequest, pk: Id, document_id: Id) -> Status[None]:
    """Remove a document (its uploader or network staff)."""
    document = selectors.session_document_get_for_user(
        user=request.user, session_pk=pk, pk=document_id, write=True
    )
    session_document_delete(actor=request.user, document=document)
    return Status(204, None)


# Minutes -----------------------------------------------------------------------------------


def _minutes_out(revision: MinutesRevision) -> MinutesOut:
    return MinutesOut(
        id=revision.pk,
        session_id=revision.session_id,
        number=revision.number,
        state=MinutesRevision.State(revision.state),
        body=revision.body,
        html=minutes_html(revision.body),
        reason=revision.reason,
        author_id=revision.author_id,
        approved_by_id=revision.approved_by_id,
        approved_at=revision.approved_at,
        created_at=revision.created_at,
        updated_at=revision.updated_at,
    )


@router.get("/sessions/{int:pk}/minutes", response=list[MinutesOut])
@paginate
def minutes_list(request: HttpRequest, pk: Id) -> list[MinutesOut]:
    """Every revision of the session's minutes, oldest first (the history)."""
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    return [_minutes_out(r) for r in session.minutes.order_by("number")]


@router.post("/sessions/{int:pk}/minutes", response={201: MinutesOut})
def minutes_draft_endpoint(request: HttpRequest, pk: Id, payload: MinutesIn) -> Status[MinutesOut]:
    """Write the draft (note-takers, chairs, network staff); 409 once approved."""
    session = selectors.session_get_for_minutes(user=request.user, pk=pk)
    return Status(
        201, _minutes_out(minutes_draft(actor=request.user, session=session, body=payload.body))
    )


@router.post("/sessions/{int:pk}/minutes/revisions", response={201: MinutesOut})
def minutes_revise_endpoint(
    request: HttpRequest, pk: Id, payload: RevisionIn
) -> Status[MinutesOut]:
    """Correct approved minutes: a new draft revision with its reason."""
    session = selectors.session_get_for_minutes(user=request.user, pk=pk)
    revision = minutes_revise(
        actor=request.user, session=session, body=payload.body, reason=payload.reason
    )
    return Status(201, _minutes_out(revision))


@router.get("/minutes/{int:pk}", response=MinutesOut)
def minutes_detail(request: HttpRequest, pk: Id) -> MinutesOut:
    return _minutes_out(selectors.revision_get_for_user(user=request.user, pk=pk))


@router.patch("/minutes/{int:pk}", response=MinutesOut)
def minutes_patch(request: HttpRequest, pk: Id, payload: MinutesPatch) -> MinutesOut:
    """Change a draft; approved minutes answer 409 (start a revision instead)."""
    revision = selectors.revision_get_for_user(user=request.user, pk=pk)
    session = selectors.session_get_for_minutes(user=request.user, pk=revision.session_id)
    if revision.state != MinutesRevision.State.DRAFT:
        raise Conflict(
            _("These minutes are approved; start a revision to correct them."), field="body"
        )
    return _minutes_out(minutes_draft(actor=request.user, session=session, body=payload.body))


@router.post("/minutes/{int:pk}/approve", response=MinutesOut)
def minutes_approve_endpoint(request: HttpRequest, pk: Id) -> MinutesOut:
    """The chair approves a draft; 409 when it is approved already."""
    revision = selectors.revision_get_for_user(user=request.user, pk=pk)
    return _minutes_out(minutes_approve(actor=request.user, revision=revision))


# Decisions ---------------------------------------------------------------------------------


def _decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        meeting_id=decision.meeting_id,
        number=decision.number,
        label=decision.label,
        text=decision.text,
        proposed_by=decision.proposed_by,
        outcome=decision.outcome,
        session_id=decision.session_id,
        strategy_effect=decision.strategy_effect,
        reflection_id=decision.reflection_id,
        goal_id=decision.goal_id,
        objective_id=decision.objective_id,
        action_id=decision.action_id,
    )


@router.get("/meetings/{int:pk}/decisions", response=list[DecisionOut])
@paginate
def decision_list(request: HttpRequest, pk: Id) -> list[DecisionOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return [_decision_out(d) for d in selectors.decision_list(meeting=meeting)]


@router.post("/meetings/{int:pk}/decisions", response={201: DecisionOut})
def decision_create_endpoint(
    request: HttpRequest, pk: Id, payload: DecisionIn
) -> Status[DecisionOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
    decision = decision_create(
        actor=request.user, meeting=meeting, values=_values(payload.model_dump())
    )
    return Status(201, _decision_out(decision))


@router.patch("/decisions/{int:pk}", response=DecisionOut)
def decision_patch(request: HttpRequest, pk: Id, payload: DecisionPatch) -> DecisionOut:
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, write=True)
    decision_update(
        actor=request.user,
        decision=decision,
        changes=_values(payload.model_dump(exclude_unset=True)),
    )
    return _decision_out(decision)


_PARENTS: dict[str, type[models.Model]] = {
    "reflection": Plan,
    "goal": Plan,
    "objective": Goal,
    "action": Objective,
}
_ITEMS: dict[str, type[models.Model]] = {
    "reflection": Reflection,
    "goal": Goal,
    "objective": Objective,
    "action": Action,
}


@router.post("/decisions/{int:pk}/strategy", response={201: DecisionOut})
def decision_strategy_create(
    request: HttpRequest, pk: Id, payload: StrategyCreateIn
) -> Status[DecisionOut]:
    """The decision creates a reflection, goal, objective or action in the strategy."""
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, write=True)
    parent = _PARENTS[payload.kind]._default_manager.filter(pk=payload.parent_id).first()
    if parent is None:
        raise DomainError(_("There is no such record."), field="parent_id")
    owners = _values(
        {
            "owner_user_id": payload.owner_user_id,
            "owner_organisation_id": payload.owner_organisation_id,
        }
    )
    if not isinstance(parent, Plan | Goal | Objective):  # for the type checker: _PARENTS says so
        raise DomainError(_("There is no such record."), field="parent_id")
    decision_create_strategy_item(
        actor=request.user,
        decision=decision,
        spec=StrategyItemSpec(
            kind=payload.kind,
            parent=parent,
            title=payload.title,
            reflection_kind=payload.reflection_kind,
            start_date=payload.start_date,
            due_date=payload.due_date,
            **owners,
        ),
    )
    return Status(201, _decision_out(decision))


@router.post("/decisions/{int:pk}/strategy-link", response=DecisionOut)
def decision_strategy_link(request: HttpRequest, pk: Id, payload: StrategyLinkIn) -> DecisionOut:
    """The decision updated an existing strategy item: link it."""
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, write=True)
    item = _ITEMS[payload.kind]._default_manager.filter(pk=payload.item_id).first()
    if item is None:
        raise DomainError(_("There is no such record."), field="item_id")
    if not isinstance(item, Reflection | Goal | Objective | Action):  # as _ITEMS says
        raise DomainError(_("There is no such record."), field="item_id")
    decision_link_strategy(actor=request.user, decision=decision, item=item)
    return _decision_out(decision)


# Action items ------------------------------------------------------------------------------


def _item_out(item: ActionItem) -> ActionItemOut:
    return ActionItemOut(
        id=item.pk,
        meeting_id=item.meeting_id,
        title=item.title,
        owner_user_id=item.owner_user_id,
        owner_organisation_id=item.owner_organisation_id,
        due_date=item.due_date,
        status=item.status,
        decision_id=item.decision_id,
        strategy_action_id=item.strategy_action_id,
    )


@router.get("/meetings/{int:pk}/action-items", response=list[ActionItemOut])
@paginate
def action_item_list(request: HttpRequest, pk: Id) -> list[ActionItemOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return [_item_out(item) for item in selectors.action_item_list(meeting=meeting)]


@router.get("/meetings/{int:pk}/previous-open-items", response=list[ActionItemOut])
@paginate
def previous_open_items(request: HttpRequest, pk: Id) -> list[ActionItemOut]:
    """The open action items of the previous meeting, as this meeting's agenda carries them
    (empty when the meeting names no previous one)."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return [_item_out(item) for item in selectors.open_items_of_previous(meeting=meeting)]


@router.get("/action-items/mine", response=list[ActionItemOut])
@paginate
def my_action_items(request: HttpRequest) -> list[ActionItemOut]:
    """Open items the caller (or an organisation they coordinate) owns, earliest due first."""
    return [_item_out(item) for item in selectors.action_items_of(user=request.user)]


@router.post("/meetings/{int:pk}/action-items", response={201: ActionItemOut})
def action_item_create_endpoint(
    request: HttpRequest, pk: Id, payload: ActionItemIn
) -> Status[ActionItemOut]:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
    item = action_item_create(
        actor=request.user, meeting=meeting, values=_values(payload.model_dump())
    )
    return Status(201, _item_out(item))


@router.patch("/action-items/{int:pk}", response=ActionItemOut)
def action_item_patch(request: HttpRequest, pk: Id, payload: ActionItemPatch) -> ActionItemOut:
    """Network staff change any field; the owner (or the owner organisation's coordinators)
    only ``status``."""
    changes = _values(payload.model_dump(exclude_unset=True))
    item = selectors.action_item_get_for_user(user=request.user, pk=pk, write=True)
    action_item_update(actor=request.user, item=item, changes=changes)
    return _item_out(item)
