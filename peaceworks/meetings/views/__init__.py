"""Meeting pages (thin views: fetch through the access functions, a form, one service)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peaceworks.accounts.access import user_id_of, viewer_for
from peaceworks.core.documents import cached_pdf
from peaceworks.core.errors import DomainError, Forbidden, NotFound
from peaceworks.core.forms import form_page
from peaceworks.core.records import stored_values
from peaceworks.meetings import selectors
from peaceworks.meetings.exports import (
    CalendarEntry,
    ReportMinutes,
    calendar_bytes,
    decision_strategy_text,
    document_line,
    report_markdown,
)
from peaceworks.meetings.forms import (
    ActionItemForm,
    DecisionForm,
    EngagementForm,
    ItemStatusForm,
    MeetingForm,
    MinutesForm,
    ParticipantForm,
    RevisionForm,
    SessionForm,
    StrategyItemForm,
    StrategyLinkForm,
)
from peaceworks.meetings.html import minutes_html
from peaceworks.meetings.models import (
    ActionItem,
    CalendarFeedToken,
    Meeting,
    MinutesRevision,
    Participant,
)
from peaceworks.meetings.selectors import feed_token_hash
from peaceworks.meetings.services import (
    StrategyItemSpec,
    action_item_create,
    action_item_update,
    calendar_feed_create,
    calendar_feed_revoke,
    decision_create,
    decision_create_strategy_item,
    decision_link_strategy,
    decision_update,
    meeting_create,
    meeting_engagement_update,
    meeting_update,
    minutes_approve,
    minutes_draft,
    minutes_revise,
    participant_add,
    participant_rsvp,
    participant_update,
    session_create,
    session_update,
)

_FORM = "meetings/form.html"


def _meeting_url(meeting_id: int, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting_id]) + (f"#{anchor}" if anchor else "")


def _context(meeting: Meeting, heading: str) -> dict[str, Any]:
    return {"meeting": meeting, "heading": heading, "cancel_url": _meeting_url(meeting.pk)}


# Meetings ----------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list_visible_to(user=request.user)
    return render(
        request,
        "meetings/index.html",
        {"meetings": meetings, "can_plan": viewer_for(request.user).is_network_staff},
    )


_MEETING_FIELDS = [name for name in MeetingForm.base_fields if name != "stakeholders"]


def _meeting_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in _MEETING_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(
    request: HttpRequest, pk: int | None = None, creating: bool = False
) -> HttpResponse:
    if creating:
        viewer_for(request.user).require_network_staff()
        form = MeetingForm(request.POST or None)
        return form_page(
            request,
            form,
            save=lambda data: meeting_create(
                actor=request.user, values=_meeting_values(data), stakeholders=data["stakeholders"]
            ),
            success_url=lambda meeting: _meeting_url(meeting.pk),
            saved_message=_("The meeting is planned."),
            template=_FORM,
            context={"heading": _("Plan a meeting"), "cancel_url": reverse("meetings:index")},
        )
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk or 0, write=True)
    initial = {
        **stored_values(meeting, _MEETING_FIELDS),
        "stakeholders": list(meeting.stakeholders.values_list("pk", flat=True)),
    }
    form = MeetingForm(request.POST or None, initial=initial, exclude_pk=meeting.pk)
    return form_page(
        request,
        form,
        save=lambda data: meeting_update(
            actor=request.user,
            meeting=meeting,
            changes=_meeting_values(data),
            stakeholders=data["stakeholders"],
        ),
        success_url=lambda meeting: _meeting_url(meeting.pk),
        saved_message=_("The meeting is saved."),
        template=_FORM,
        context=_context(meeting, _("Edit the meeting")),
    )


def _meeting_page_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    today = timezone.localdate()
    viewer = viewer_for(request.user)
    items = selectors.action_item_list(meeting=meeting)
    roles = selectors.participant_roles(user=request.user, meeting=meeting)
    minutes = selectors.meeting_minutes(meeting=meeting)
    return {
        "meeting": meeting,
        "participants": selectors.participant_list(meeting=meeting),
        "agenda": [
            {"day": day, "rows": list(rows)}
            for day, rows in groupby(minutes, key=lambda row: row.session.day)
        ],
        "decisions": [
            (decision, decision_strategy_text(decision))
            for decision in selectors.decision_list(meeting=meeting)
        ],
        "items": [(item, item.is_overdue(today)) for item in items],
        "previous_items": selectors.open_items_of_previous(meeting=meeting),
        "stakeholders": list(meeting.stakeholders.all()),
        "can_plan": viewer.is_network_staff,
        "can_write_minutes": selectors.can_write_minutes(user=request.user, meeting=meeting),
        "my_participation": meeting.participants.filter(user_id=viewer.user_id).first()
        if viewer.user_id
        else None,
        "rsvp_choices": Participant.Rsvp.choices,
        "roles": roles,
        "updatable_items": {
            item.pk for item in items if selectors.can_update_item(user=request.user, item=item)
        },
        "status_choices": ActionItem.Status.choices,
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(request, "meetings/detail.html", _meeting_page_context(request, meeting))


@login_required
@require_GET
def agenda_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "meetings/agenda_print.html",
        {
            "meeting": meeting,
            "agenda": selectors.agenda(meeting=meeting),
            "previous_items": selectors.open_items_of_previous(meeting=meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """What a stakeholder meeting brought, written in the stakeholders' engagement log."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
    link = meeting.engagement_links.select_related("engagement").first()
    initial = (
        None
        if link is None
        else stored_values(link.engagement, ["people", "advice_received", "commitments"])
    )
    form = EngagementForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: meeting_engagement_update(actor=request.user, meeting=meeting, **data),
        success_url=lambda _count: _meeting_url(meeting.pk),
        saved_message=_("The engagement log is updated."),
        template=_FORM,
        context=_context(meeting, _("Advice and commitments of the stakeholder meeting")),
    )


# Participants ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int, creating: bool = False) -> HttpResponse:
    if creating:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
        return form_page(
            request,
            ParticipantForm(request.POST or None),
            save=lambda data: participant_add(actor=request.user, meeting=meeting, values=data),
            success_url=lambda p: _meeting_url(meeting.pk, "participants"),
            saved_message=_("The participant is added."),
            template=_FORM,
            context=_context(meeting, _("Add a participant")),
        )
    participant = selectors.participant_get_for_user(user=request.user, pk=pk, write=True)
    form = ParticipantForm(
        request.POST or None, initial=stored_values(participant, ParticipantForm.base_fields)
    )
    return form_page(
        request,
        form,
        save=lambda data: participant_update(
            actor=request.user, participant=participant, changes=data
        ),
        success_url=lambda p: _meeting_url(p.meeting_id, "participants"),
        saved_message=_("The participant is saved."),
        template=_FORM,
        context=_context(participant.meeting, _("Edit the participant")),
    )


@login_required
@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        participant_rsvp(actor=request.user, meeting=meeting, answer=request.POST.get("rsvp", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(_meeting_url(meeting.pk))


# Sessions ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, creating: bool = False) -> HttpResponse:
    if creating:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
        return form_page(
            request,
            SessionForm(request.POST or None, initial={"day": meeting.start_date}),
            save=lambda data: session_create(actor=request.user, meeting=meeting, values=data),
            success_url=lambda s: _meeting_url(meeting.pk, "agenda"),
            saved_message=_("The session is on the agenda."),
            template=_FORM,
            context=_context(meeting, _("Add a session")),
        )
    session = selectors.session_get_for_user(user=request.user, pk=pk, write=True)
    form = SessionForm(
        request.POST or None, initial=stored_values(session, SessionForm.base_fields)
    )
    return form_page(
        request,
        form,
        save=lambda data: session_update(actor=request.user, session=session, changes=data),
        success_url=lambda s: _meeting_url(s.meeting_id, "agenda"),
        saved_message=_("The session is saved."),
        template=_FORM,
        context=_context(session.meeting, _("Edit the session")),
    )


# Minutes -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The note-taker's editor: the draft, or a new revision of approved minutes (with its
    reason). Approved minutes themselves are never edited."""
    session = selectors.session_get_for_minutes(user=request.user, pk=pk)
    current = selectors.session_minutes(session=session)
    meeting = session.meeting
    if current.draft is None and current.approved is not None:
        form: MinutesForm = RevisionForm(
            request.POST or None, initial={"body": current.approved.body}
        )
        heading = _("Revise the approved minutes: %(title)s") % {"title": session.title}

        def save(data: Mapping[str, Any]) -> MinutesRevision:
            return minutes_revise(
                actor=request.user, session=session, body=data["body"], reason=data["reason"]
            )
    else:
        form = MinutesForm(
            request.POST or None,
            initial={"body": current.draft.body if current.draft else ""},
        )
        heading = _("Minutes: %(title)s") % {"title": session.title}

        def save(data: Mapping[str, Any]) -> MinutesRevision:
            return minutes_draft(actor=request.user, session=session, body=data["body"])

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda r: _meeting_url(meeting.pk, f"session-{session.pk}"),
        saved_message=_("The draft minutes are saved."),
        template="meetings/minutes_form.html",
        context={
            **_context(meeting, heading),
            "session": session,
            "approved": current.approved,
        },
    )


@login_required
@require_POST
def minutes_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    revision = selectors.revision_get_for_user(user=request.user, pk=pk)
    if not selectors.can_approve_minutes(user=request.user, meeting=revision.session.meeting):
        raise Forbidden
    try:
        minutes_approve(actor=request.user, revision=revision)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The minutes are approved."))
    return redirect(_meeting_url(revision.session.meeting_id, f"session-{revision.session_id}"))


@dataclass(frozen=True)
class RevisionRow:
    revision: MinutesRevision
    html: str
    diff: list[tuple[str, str]]  # (kind: add/remove/context/hunk, line)


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "context")
        lines.append((kind, line))
    return lines


@login_required
@require_GET
def minutes_history(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    revisions = list(session.minutes.select_related("author", "approved_by").order_by("number"))
    rows = []
    previous = ""
    for revision in revisions:
        rows.append(
            RevisionRow(
                revision=revision,
                html=minutes_html(revision.body),
                diff=_diff(previous, revision.body) if previous else [],
            )
        )
        previous = revision.body
    return render(
        request,
        "meetings/minutes_history.html",
        {"session": session, "meeting": session.meeting, "rows": list(reversed(rows))},
    )


# Decisions ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int, creating: bool = False) -> HttpResponse:
    if creating:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
        return form_page(
            request,
            DecisionForm(request.POST or None, meeting=meeting),
            save=lambda data: decision_create(actor=request.user, meeting=meeting, values=data),
            success_url=lambda d: _meeting_url(meeting.pk, f"decision-{d.number}"),
            saved_message=_("The decision is recorded."),
            template=_FORM,
            context=_context(meeting, _("Record a decision")),
        )
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, write=True)
    form = DecisionForm(
        request.POST or None,
        meeting=decision.meeting,
        initial=stored_values(decision, DecisionForm.base_fields),
    )
    return form_page(
        request,
        form,
        save=lambda data: decision_update(actor=request.user, decision=decision, changes=data),
        success_url=lambda d: _meeting_url(d.meeting_id, f"decision-{d.number}"),
        saved_message=_("The decision is saved."),
        template=_FORM,
        context=_context(
            decision.meeting, _("Edit decision %(label)s") % {"label": decision.label}
        ),
    )


_PARENT_OF = {"action": "objective", "objective": "goal", "goal": "plan", "reflection": "plan"}


@login_required
@require_http_methods(["GET", "POST"])
def decision_strategy(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision creates an action, objective, goal or reflection in the strategy."""
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, write=True)
    form = StrategyItemForm(request.POST or None, initial={"title": decision.text[:300]})

    def save(data: Mapping[str, Any]) -> Any:
        parent_field = _PARENT_OF[data["kind"]]
        parent = data.get(parent_field)
        if parent is None:
            raise DomainError(_("Choose where the item goes."), field=parent_field)
        return decision_create_strategy_item(
            actor=request.user,
            decision=decision,
            spec=StrategyItemSpec(
                kind=data["kind"],
                parent=parent,
                title=data["title"],
                reflection_kind=data.get("reflection_kind") or "future",
                start_date=data.get("start_date"),
                due_date=data.get("due_date"),
                owner_organisation=data.get("owner_organisation"),
                owner_user=data.get("owner_user"),
            ),
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda item: _meeting_url(decision.meeting_id, f"decision-{decision.number}"),
        saved_message=_("The strategy item is created and linked to the decision."),
        template=_FORM,
        context=_context(
            decision.meeting,
            _("Create in the strategy from %(label)s") % {"label": decision.label},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision updated an existing item of the strategy: link it."""
    decision = selectors.decision_get_for_user(user=request.user, pk=pk, write=True)
    form = StrategyLinkForm(request.POST or None)

    def save(data: Mapping[str, Any]) -> Any:
        item = next(
            data[name] for name in ("action", "objective", "goal", "reflection") if data.get(name)
        )
        return decision_link_strategy(actor=request.user, decision=decision, item=item)

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda d: _meeting_url(d.meeting_id, f"decision-{d.number}"),
        saved_message=_("The decision is linked to the strategy."),
        template=_FORM,
        context=_context(
            decision.meeting, _("Link %(label)s to the strategy") % {"label": decision.label}
        ),
    )


# Action items ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, creating: bool = False) -> HttpResponse:
    if creating:
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk, write=True)
        return form_page(
            request,
            ActionItemForm(request.POST or None, meeting=meeting),
            save=lambda data: action_item_create(actor=request.user, meeting=meeting, values=data),
            success_url=lambda i: _meeting_url(meeting.pk, "items"),
            saved_message=_("The action item is added."),
            template=_FORM,
            context=_context(meeting, _("Add an action item")),
        )
    item = selectors.action_item_get_for_user(user=request.user, pk=pk)
    selectors.require_meeting_write(user=request.user, meeting=item.meeting)
    form = ActionItemForm(
        request.POST or None,
        meeting=item.meeting,
        initial=stored_values(item, ActionItemForm.base_fields),
    )
    return form_page(
        request,
        form,
        save=lambda data: action_item_update(actor=request.user, item=item, changes=data),
        success_url=lambda i: _meeting_url(i.meeting_id, "items"),
        saved_message=_("The action item is saved."),
        template=_FORM,
        context=_context(item.meeting, _("Edit the action item")),
    )


@login_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get_for_user(user=request.user, pk=pk, write=True)
    form = ItemStatusForm(request.POST)
    if form.is_valid():
        try:
            action_item_update(
                actor=request.user, item=item, changes={"status": form.cleaned_data["status"]}
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The status is saved."))
    else:
        messages.error(request, _("Choose a valid status."))
    back = request.POST.get("next", "")
    if back == "mine":
        return redirect("meetings:my_items")
    return redirect(_meeting_url(item.meeting_id, "items"))


@login_required
@require_GET
def my_items(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    items = list(selectors.action_items_of(user=request.user))
    overdue = [item for item in items if item.is_overdue(today)]
    upcoming = [item for item in items if not item.is_overdue(today)]
    return render(
        request,
        "meetings/my_items.html",
        {"overdue": overdue, "upcoming": upcoming, "status_choices": ActionItem.Status.choices},
    )


# Calendars and reports ---------------------------------------------------------------------


def _domain(request: HttpRequest) -> str:
    return request.get_host().split(":")[0] or "peaceworks"


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def _meeting_entries(request: HttpRequest, meeting: Meeting) -> list[CalendarEntry]:
    url = request.build_absolute_uri(_meeting_url(meeting.pk))
    return [
        CalendarEntry(meeting=meeting, url=url),
        *(
            CalendarEntry(session=session, url=url + f"#session-{session.pk}")
            for session in meeting.sessions.order_by("day", "start_time")
        ),
    ]


@login_required
@require_GET
def meeting_ical(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    body = calendar_bytes(
        _meeting_entries(request, meeting), domain=_domain(request), name=meeting.title
    )
    return _ics(body, slugify(meeting.short_name) or "meeting")


@login_required
@require_GET
def session_ical(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, pk=pk)
    url = request.build_absolute_uri(_meeting_url(session.meeting_id, f"session-{session.pk}"))
    body = calendar_bytes(
        [CalendarEntry(session=session, url=url)], domain=_domain(request), name=session.title
    )
    return _ics(body, slugify(session.title) or "session")


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The personal calendar feed: a new secret address (shown once), or none."""
    new_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(actor=request.user)
            messages.success(request, _("Your calendar feed address no longer works."))
            return redirect("meetings:feed")
        token = calendar_feed_create(actor=request.user)
        new_url = request.build_absolute_uri(reverse("meetings:feed_ics", args=[token]))
    active = (
        CalendarFeedToken.objects.filter(user_id=user_id_of(request.user) or 0)
        .filter(revoked_at__isnull=True)
        .first()
    )
    return render(request, "meetings/feed.html", {"new_url": new_url, "active": active})


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings and sessions, for calendar programs (the secret is the address)."""
    feed = (
        CalendarFeedToken.objects.filter(token_hash=feed_token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise NotFound
    entries = []
    for meeting in selectors.meetings_of_user(user_id=feed.user_id):
        entries.extend(_meeting_entries(request, meeting))
    return _ics(calendar_bytes(entries, domain=_domain(request), name=_("My meetings")), "meetings")


def _report(meeting: Meeting) -> dict[str, Any]:
    minutes = [
        ReportMinutes(
            session=row.session,
            body=row.approved.body if row.approved else "",
            approved_by=(
                (row.approved.approved_by.get_full_name() or row.approved.approved_by.email)
                if row.approved and row.approved.approved_by
                else ""
            ),
            approved_at=row.approved.approved_at if row.approved else None,
        )
        for row in selectors.meeting_minutes(meeting=meeting)
    ]
    return {
        "meeting": meeting,
        "participants": selectors.participant_list(meeting=meeting),
        "sessions": list(meeting.sessions.order_by("day", "start_time")),
        "minutes": minutes,
        "decisions": selectors.decision_list(meeting=meeting),
        "items": selectors.action_item_list(meeting=meeting),
        "documents": selectors.meeting_documents(meeting=meeting),
    }


@login_required
@require_GET
def report_md(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(
        report_markdown(**_report(meeting)), content_type="text/markdown; charset=utf-8"
    )
    name = slugify(meeting.short_name) or "meeting"
    response["Content-Disposition"] = f'attachment; filename="{name}-report.md"'
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    report = _report(meeting)
    html = render_to_string(
        "meetings/report_pdf.html",
        {
            **report,
            "minutes": [(entry, minutes_html(entry.body)) for entry in report["minutes"]],
            "decisions": [(d, decision_strategy_text(d)) for d in report["decisions"]],
            "documents": [document_line(d) for d in report["documents"]],
        },
        request=request,
    )
    # every reader of an unchanged report gets the same bytes: written once, then kept
    pdf = cached_pdf(html, base_url=settings.SITE_URL)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(meeting.short_name) or "meeting"
    response["Content-Disposition"] = f'attachment; filename="{name}-report.pdf"'
    return response
