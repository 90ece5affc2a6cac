"""Meetings, sessions and action items: bad input refused on the field, permissions by
persona, the stakeholder's engagement log, reports and the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from peaceworks.directory.models import Stakeholder
from peaceworks.meetings.models import ActionItem, Meeting, Session
from peaceworks.meetings.services import (
    action_item_create,
    decision_create,
    minutes_approve,
    minutes_draft,
)

MEETING_FORM = {
    "title": "Steering team",
    "short_name": "Steering 2026",
    "meeting_type": "steering",
    "start_date": "2026-03-02",
    "end_date": "2026-03-03",
    "time_zone": "Europe/Paris",
}


def test_network_coordinator_plans_a_meeting(client_for, network_coordinator):
    response = client_for(network_coordinator).post(reverse("meetings:create"), MEETING_FORM)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    index = client_for(network_coordinator).get(reverse("meetings:index")).content.decode()
    assert "Steering team" in index
    assert "Steering team" not in ("steering",)


def test_end_before_start_is_refused_on_the_field(client_for, network_coordinator):
    response = client_for(network_coordinator).post(
        reverse("meetings:create"), {**MEETING_FORM, "end_date": "2026-03-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == ["The last day is before the first day."]
    assert not Meeting.objects.exists()


def test_unknown_time_zone_is_refused_on_the_field(client_for, network_coordinator):
    response = client_for(network_coordinator).post(
        reverse("meetings:create"), {**MEETING_FORM, "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 400
    assert "IANA" in response.context["form"].errors["time_zone"][0]


def test_session_outside_the_meetings_days_is_refused(client_for, network_coordinator, meeting):
    client = client_for(network_coordinator)
    form = {
        "day": "2026-04-20",
        "start_time": "09:00",
        "end_time": "10:00",
        "title": "Late",
        "kind": "plenary",
    }
    response = client.post(reverse("meetings:session_add", args=[meeting.pk]), form)
    assert response.status_code == 400
    assert "outside the meeting's days" in response.context["form"].errors["day"][0]
    backwards = {**form, "day": "2026-04-14", "end_time": "08:00"}
    response = client.post(reverse("meetings:session_add", args=[meeting.pk]), backwards)
    assert response.context["form"].errors["end_time"] == ["The session ends before it starts."]
    assert not Session.objects.exists()


def test_an_owner_outside_the_network_is_refused(
    client_for, network_coordinator, meeting, make_organisation, stakeholder
):
    stranger = make_organisation(name="Not a member", code="stranger")
    client = client_for(network_coordinator)
    url = reverse("meetings:item_add", args=[meeting.pk])
    form = {"title": "Do it", "due_date": "2026-05-01", "status": "open"}
    response = client.post(url, {**form, "owner_organisation": stranger.pk})
    assert response.status_code == 400
    assert "not an active member" in response.context["form"].errors["owner_organisation"][0]
    response = client.post(url, {**form, "owner_user": stakeholder.pk})
    assert "does not belong" in response.context["form"].errors["owner_user"][0]
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize(
    ("persona", "detail", "edit"),
    [("network_coordinator", 200, 200), ("org_coordinator", 200, 403), ("outsider", 404, 404)],
)
def test_permissions_by_persona(request, client_for, meeting, organisation, persona, detail, edit):
    from peaceworks.meetings.services import participant_add

    user = request.getfixturevalue(persona)
    coordinator = request.getfixturevalue("network_coordinator")
    host = request.getfixturevalue("org_coordinator")
    participant_add(
        actor=coordinator, meeting=meeting, values={"user": host, "role": "participant"}
    )
    client = client_for(user)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == detail
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == edit
    assert client.get(reverse("meetings:report_md", args=[meeting.pk])).status_code == detail


def test_a_stakeholder_meeting_appears_in_the_stakeholders_engagement_log(
    client_for, network_coordinator, network
):
    adviser = Stakeholder.objects.create(
        name="UN System Staff College", code="unssc", stakeholder_type="un_agency"
    )
    response = client_for(network_coordinator).post(
        reverse("meetings:create"),
        {
            **MEETING_FORM,
            "title": "Meeting with the staff college adviser",
            "meeting_type": "stakeholder",
            "stakeholders": [adviser.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    engagement = adviser.engagements.get()
    assert engagement.title == "Meeting with the staff college adviser"
    assert engagement.occurred_on == date(2026, 3, 2)
    client_for(network_coordinator).post(
        reverse("meetings:engagement", args=[meeting.pk]),
        {
            "advice_received": "Use outcome harvesting",
            "commitments": "Share the toolkit",
            "people": "A. Adviser",
        },
    )
    page = client_for(network_coordinator).get(reverse("directory:stakeholder", args=[adviser.pk]))
    text = page.content.decode()
    assert "Meeting with the staff college adviser" in text
    assert "Use outcome harvesting" in text


def test_report_has_approved_minutes_decisions_and_items(
    client_for, network_coordinator, meeting, session, note_taker, chair, org_coordinator
):
    minutes_approve(
        actor=chair, revision=minutes_draft(actor=note_taker, session=session, body="Agreed *all*.")
    )
    decision_create(actor=network_coordinator, meeting=meeting, values={"text": "Adopt the plan"})
    action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={
            "title": "Circulate the plan",
            "owner_user": org_coordinator,
            "due_date": date(2026, 5, 1),
        },
    )
    client = client_for(network_coordinator)
    markdown = client.get(reverse("meetings:report_md", args=[meeting.pk])).content.decode()
    for expected in (
        "Agreed *all*.",
        "Paris 2026 / D1",
        "Circulate the plan",
        "Strategy workshop",
        "Chair",
    ):
        assert expected in markdown
    pdf = client.get(reverse("meetings:report_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "days", "session_line", "due"),
    [
        ("en", "13 April 2026 - 17 April 2026", "- 14 April 2026 09:00-12:30", "due 1 May 2026"),
        ("fr", "13 avril 2026 - 17 avril 2026", "- 14 avril 2026 09:00-12:30", "1 mai 2026"),
        (
            "es",
            "13 de abril de 2026 - 17 de abril de 2026",
            "- 14 de abril de 2026 09:00-12:30",
            "1 de mayo de 2026",
        ),
    ],
)
def test_the_report_writes_dates_in_the_readers_language(
    client_for,
    network_coordinator,
    meeting,
    session,
    org_coordinator,
    language,
    days,
    session_line,
    due,
):
    action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={"title": "Circulate", "owner_user": org_coordinator, "due_date": date(2026, 5, 1)},
    )
    client = client_for(network_coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    markdown = client.get(reverse("meetings:report_md", args=[meeting.pk])).content.decode()
    assert days in markdown
    assert session_line in markdown
    assert due in markdown
    assert "2026-04-13" not in markdown


def test_my_items_put_overdue_first_and_owner_updates_status(
    client_for, network_coordinator, org_coordinator, meeting
):
    later = action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={"title": "Later", "owner_user": org_coordinator, "due_date": date(2099, 1, 1)},
    )
    action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={
            "title": "Long overdue",
            "owner_user": org_coordinator,
            "due_date": date(2000, 1, 1),
        },
    )
    client = client_for(org_coordinator)
    text = client.get(reverse("meetings:my_items")).content.decode()
    assert text.index("Long overdue") < text.index("Later")
    response = client.post(
        reverse("meetings:item_status", args=[later.pk]), {"status": "done", "next": "mine"}
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == "done"
    home = client.get(reverse("web:dashboard")).content.decode()
    assert "Long overdue" in home


def test_next_meetings_agenda_pulls_the_open_items_of_the_last(
    client_for, network_coordinator, org_coordinator, organisation, meeting
):
    from peaceworks.meetings.services import meeting_create

    action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={
            "title": "Carry over me",
            "owner_user": org_coordinator,
            "due_date": date(2026, 5, 1),
        },
    )
    follow_up = meeting_create(
        actor=network_coordinator,
        values={
            **dict(MEETING_FORM.items()),
            "start_date": date(2026, 9, 1),
            "end_date": date(2026, 9, 1),
            "previous_meeting": meeting,
        },
    )
    action_item_create(
        actor=network_coordinator,
        meeting=meeting,
        values={
            "title": "Org carries this",
            "owner_organisation": organisation,
            "due_date": date(2026, 5, 2),
        },
    )
    client = client_for(network_coordinator)
    page = client.get(reverse("meetings:agenda", args=[follow_up.pk]))
    assert "Carry over me" in page.content.decode()
    detail = client.get(reverse("meetings:detail", args=[follow_up.pk])).content.decode()
    assert "Carry over me" in detail
    assert "Org carries this" in detail


def test_a_participant_with_an_account_is_invited_once(
    settings,
    network_coordinator,
    org_member,
    meeting,
    add_participant,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from peaceworks.meetings.services import participant_invitation_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participant = add_participant(org_member)  # the task runs on commit
    assert [message.to for message in mail.outbox] == [[org_member.email]]
    assert "Invitation: Network Coordinators Meeting Paris 2026" in mail.outbox[0].subject
    assert not participant_invitation_send(actor=None, participant_id=participant.pk)
    assert len(mail.outbox) == 1


def test_a_participant_is_added_once_and_someone_without_an_account_is_named(
    network_coordinator, meeting, org_member, org_coordinator, add_participant
):
    from peaceworks.core.errors import DomainError
    from peaceworks.meetings.models import Participant
    from peaceworks.meetings.services import participant_update

    member = add_participant(org_member)
    with pytest.raises(DomainError) as twice:
        add_participant(org_member)
    assert twice.value.field == "user"
    with pytest.raises(DomainError) as unnamed:
        add_participant(None, name="   ")
    assert unnamed.value.field == "name"
    guest = add_participant(None, name="A guest")
    coordinator = add_participant(org_coordinator)
    with pytest.raises(DomainError) as taken:
        participant_update(
            actor=network_coordinator, participant=coordinator, changes={"user": org_member}
        )
    assert taken.value.field == "user"
    participant_update(
        actor=network_coordinator, participant=guest, changes={"name": "A named guest"}
    )
    assert set(Participant.objects.values_list("pk", flat=True)) == {
        member.pk,
        guest.pk,
        coordinator.pk,
    }
