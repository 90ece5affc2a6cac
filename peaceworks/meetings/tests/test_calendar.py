"""iCalendar exports keep the meeting's time zone; the personal feed is secret and revocable."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import icalendar
from django.urls import reverse

from peaceworks.meetings.models import Participant
from peaceworks.meetings.services import meeting_create, session_create


def _utc_start(body: bytes, summary_start: str) -> datetime:
    calendar = icalendar.Calendar.from_ical(body)
    for event in calendar.walk("VEVENT"):
        if str(event["summary"]).startswith(summary_start):
            start = event.decoded("dtstart")
            assert event["dtstart"].params["TZID"] == "Europe/Paris"
            utc: datetime = start.astimezone(UTC)
            return utc
    raise AssertionError(f"no event {summary_start}")


def _paris_meeting(actor, start: date):
    meeting = meeting_create(
        actor=actor,
        values={
            "title": f"Meeting {start.isoformat()}",
            "short_name": f"Paris {start.year}",
            "meeting_type": "coordinators",
            "start_date": start,
            "end_date": start,
            "time_zone": "Europe/Paris",
        },
    )
    session = session_create(
        actor=actor,
        meeting=meeting,
        values={"day": start, "start_time": time(9), "end_time": time(10), "title": "Opening"},
    )
    return meeting, session


def test_a_nine_oclock_paris_session_is_eight_utc_in_winter_and_seven_in_summer(
    client_for, network_coordinator
):
    client = client_for(network_coordinator)
    _, winter = _paris_meeting(network_coordinator, date(2026, 1, 20))
    _, summer = _paris_meeting(network_coordinator, date(2026, 7, 20))
    winter_ics = client.get(reverse("meetings:session_ical", args=[winter.pk]))
    assert winter_ics["Content-Type"].startswith("text/calendar")
    assert _utc_start(winter_ics.content, "Opening") == datetime(2026, 1, 20, 8, tzinfo=UTC)
    summer_ics = client.get(reverse("meetings:session_ical", args=[summer.pk])).content
    assert _utc_start(summer_ics, "Opening") == datetime(2026, 7, 20, 7, tzinfo=UTC)
    calendar = icalendar.Calendar.from_ical(summer_ics)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_the_meeting_file_holds_the_meeting_and_its_sessions(
    client_for, network_coordinator, meeting, session
):
    body = client_for(network_coordinator).get(reverse("meetings:ical", args=[meeting.pk])).content
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 2
    whole = next(e for e in events if str(e["summary"]) == meeting.title)
    assert whole.decoded("dtstart") == date(2026, 4, 13)
    assert whole.decoded("dtend") == date(2026, 4, 18)  # exclusive
    assert _utc_start(body, "Strategy workshop") == datetime(2026, 4, 14, 7, tzinfo=UTC)


def test_personal_feed_lists_my_meetings_until_revoked(
    client, client_for, org_member, meeting, session, add_participant
):
    add_participant(org_member, Participant.Role.PARTICIPANT)
    mine = client_for(org_member)
    page = mine.post(reverse("meetings:feed"), {"action": "create"})
    url = page.context["new_url"]
    path = url[url.index("/meetings/") :]
    feed = client.get(path)  # calendar programs hold no session
    assert feed.status_code == 200
    summaries = [
        str(e["summary"]) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    ]
    assert meeting.title in summaries
    assert any(s.startswith("Strategy workshop") for s in summaries)
    mine.post(reverse("meetings:feed"), {"action": "revoke"})
    assert client.get(path).status_code == 404
    assert client.get("/meetings/calendar/not-a-token.ics").status_code == 404
