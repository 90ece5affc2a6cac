"""A meeting as an iCalendar file and as a Markdown report (pure: objects in, text out).

Sessions are written with their meeting's time zone (``DTSTART;TZID=Europe/Paris``) and the
matching VTIMEZONE, so calendar programs place a 09:00 Paris session at 08:00 UTC in winter and
07:00 UTC in summer; the whole meeting is an all-day event over its days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from peaceworks.meetings.models import (
    ActionItem,
    Decision,
    Meeting,
    Participant,
    Session,
    SessionDocument,
)

if TYPE_CHECKING:
    import icalendar  # imported by the calendar download, not by every server process

PRODID = "-//Peaceworks//Meetings//EN"


def _uid(kind: str, pk: int, domain: str) -> str:
    return f"{kind}-{pk}@{domain}"


def _meeting_event(meeting: Meeting, *, domain: str, url: str) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", _uid("meeting", meeting.pk, domain))
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.start_date)
    event.add("dtend", meeting.end_date + timedelta(days=1))  # DTEND of a date is exclusive
    if meeting.place:
        event.add("location", meeting.place)
    if url:
        event.add("url", url)
    description = meeting.description or meeting.get_meeting_type_display()
    if meeting.online_url:
        description = f"{description}\n{meeting.online_url}"
    event.add("description", description)
    return event


def _session_event(session: Session, *, domain: str, url: str) -> icalendar.Event:
    import icalendar

    meeting = session.meeting
    event = icalendar.Event()
    event.add("uid", _uid("session", session.pk, domain))
    event.add("dtstamp", session.updated_at or timezone.now())
    event.add("summary", f"{session.title} — {meeting.short_name}")
    event.add("dtstart", session.starts_at())
    event.add("dtend", session.ends_at())
    if meeting.place:
        event.add("location", meeting.place)
    if url:
        event.add("url", url)
    parts = [session.get_kind_display()]
    if session.facilitator:
        parts.append(_("Facilitator: %(name)s") % {"name": session.facilitator})
    if session.description:
        parts.append(session.description)
    event.add("description", "\n".join(parts))
    return event


@dataclass(frozen=True)
class CalendarEntry:
    """A meeting or one of its sessions, with the address of its page."""

    meeting: Meeting | None = None
    session: Session | None = None
    url: str = ""


def calendar_bytes(entries: Iterable[CalendarEntry], *, domain: str, name: str) -> bytes:
    """An iCalendar file of ``entries`` with a VTIMEZONE for every time zone used."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        if entry.session is not None:
            calendar.add_component(_session_event(entry.session, domain=domain, url=entry.url))
        elif entry.meeting is not None:
            calendar.add_component(_meeting_event(entry.meeting, domain=domain, url=entry.url))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


# The report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportMinutes:
    session: Session
    body: str  # the approved minutes in Markdown ("" when none are approved)
    approved_by: str
    approved_at: datetime | None


@dataclass(frozen=True)
class DecisionLine:
    decision: Decision
    strategy: str  # "Created action: …" or ""


def decision_strategy_text(decision: Decision) -> str:
    item = decision.strategy_item()
    if item is None:
        return ""
    kind = str(item._meta.verbose_name)
    effect = decision.get_strategy_effect_display()
    return f"{effect} {kind}: {item}"


def document_line(document: SessionDocument) -> str:
    """``Strategy workshop: Slides (slides.pdf, 2.0 KB, Ana Lima)`` for the report."""
    uploader = document.uploaded_by
    details = [document.filename, str(filesizeformat(document.size)).replace("\xa0", " ")]
    if uploader is not None:
        details.append(uploader.get_full_name() or uploader.email)
    return f"{document.session.title}: {document.title} ({', '.join(details)})"


def _date(day: date) -> str:
    """A day as the reader's language writes it (the report is in the reader's language)."""
    return date_format(day, "DATE_FORMAT")


def report_markdown(
    *,
    meeting: Meeting,
    participants: Sequence[Participant],
    sessions: Sequence[Session],
    minutes: Sequence[ReportMinutes],
    decisions: Sequence[Decision],
    items: Sequence[ActionItem],
    documents: Sequence[SessionDocument] = (),
) -> str:
    """The meeting report in Markdown: participants, agenda, the sessions' documents, approved
    minutes, decisions with their strategy links, action items."""
    lines = [f"# {meeting.title}", ""]
    where = meeting.place or meeting.online_url
    lines.append(
        f"{meeting.get_meeting_type_display()} · {_date(meeting.start_date)} - "
        f"{_date(meeting.end_date)} ({meeting.time_zone}){' · ' + where if where else ''}"
    )
    lines += ["", f"## {_('Participants')}", ""]
    for participant in participants:
        organisation = (
            participant.organisation.name if participant.organisation else participant.represents
        )
        lines.append(
            f"- {participant.display_name}"
            f"{' (' + organisation + ')' if organisation else ''} — "
            f"{participant.get_role_display()}, {participant.get_attendance_display()}"
        )
    lines += ["", f"## {_('Agenda')}", ""]
    for session in sessions:
        lines.append(
            f"- {_date(session.day)} {time_format(session.start_time, 'TIME_FORMAT')}-"
            f"{time_format(session.end_time, 'TIME_FORMAT')} "
            f"{session.title} ({session.get_kind_display()})"
            f"{' — ' + session.facilitator if session.facilitator else ''}"
        )
    if documents:
        lines += ["", f"## {_('Documents')}", ""]
        lines += [f"- {document_line(document)}" for document in documents]
    lines += ["", f"## {_('Minutes')}", ""]
    for entry in minutes:
        lines += [f"### {entry.session.title}", ""]
        if entry.body:
            lines += [entry.body, ""]
            lines.append(
                "_"
                + _("Approved by %(name)s on %(date)s.")
                % {
                    "name": entry.approved_by,
                    "date": date_format(entry.approved_at.astimezone(UTC), "DATETIME_FORMAT")
                    + " UTC"
                    if entry.approved_at
                    else "",
                }
                + "_"
            )
        else:
            lines.append(_("No approved minutes."))
        lines.append("")
    lines += [f"## {_('Decisions')}", ""]
    for decision in decisions:
        strategy = decision_strategy_text(decision)
        lines.append(
            f"- **{decision.label}** ({decision.get_outcome_display()}): {decision.text}"
            f"{' — ' + strategy if strategy else ''}"
        )
    lines += ["", f"## {_('Action items')}", ""]
    for item in items:
        owner = ", ".join(
            name
            for name in (
                item.owner_user.get_full_name() or item.owner_user.email if item.owner_user else "",
                item.owner_organisation.name if item.owner_organisation else "",
            )
            if name
        )
        lines.append(
            f"- {item.title} — {owner}, {_('due')} {_date(item.due_date)}, "
            f"{item.get_status_display()}"
        )
    lines.append("")
    return "\n".join(lines)
