"""A session links the consultation it discussed: the session page links it for those who may
open it, and the consultation's page lists the sessions (through ``consultations.hooks``)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from peaceworks.consultations.models import Consultation
from peaceworks.consultations.services import consultation_create, consultation_set_phase
from peaceworks.meetings.models import Session
from peaceworks.meetings.services import action_item_create, meeting_create, session_update

API = "/api/v1/meetings"


@pytest.fixture
def consultation(network_coordinator) -> Consultation:
    return consultation_create(
        actor=network_coordinator,
        changes={"title": "Raising Peace: the next two years", "slug": "raising-peace"},
        prompts=[{"en": "What should the network work on next?"}],
    )


def _link(actor, session: Session, consultation: Consultation) -> Session:
    return session_update(actor=actor, session=session, changes={"consultation": consultation})


def test_session_page_links_the_consultation_only_for_those_who_may_open_it(
    client_for, network_coordinator, chair, session, consultation
):
    _link(network_coordinator, session, consultation)
    consultation_url = reverse("consultations:detail", args=[consultation.slug])
    session_url = reverse("meetings:session", args=[session.pk])
    # a draft consultation: network staff see it, the member chairing the meeting does not
    assert consultation_url in client_for(network_coordinator).get(session_url).content.decode()
    chair_page = client_for(chair).get(session_url).content.decode()
    assert consultation_url not in chair_page
    assert client_for(chair).get(consultation_url).status_code == 404
    consultation_set_phase(actor=network_coordinator, consultation=consultation, phase="open")
    chair_page = client_for(chair).get(session_url).content.decode()
    assert consultation_url in chair_page
    assert client_for(chair).get(consultation_url).status_code == 200


def test_consultation_page_lists_the_sessions_that_discussed_it(
    client_for, network_coordinator, chair, outsider, session, consultation
):
    _link(network_coordinator, session, consultation)
    consultation_set_phase(actor=network_coordinator, consultation=consultation, phase="open")
    # a meeting the member organisations do not take part in
    private = meeting_create(
        actor=network_coordinator,
        values={
            "title": "Secretariat retreat",
            "short_name": "Retreat",
            "meeting_type": "steering",
            "start_date": date(2026, 6, 1),
            "end_date": date(2026, 6, 1),
        },
    )
    hidden = Session.objects.create(
        meeting=private,
        day=date(2026, 6, 1),
        start_time=time(9),
        end_time=time(10),
        title="Budget of the consultation",
        consultation=consultation,
    )
    consultation_url = reverse("consultations:detail", args=[consultation.slug])
    staff_page = client_for(network_coordinator).get(consultation_url).content.decode()
    assert "Discussed at meetings" in staff_page
    assert reverse("meetings:session", args=[session.pk]) in staff_page
    assert "Retreat: Budget of the consultation" in staff_page
    chair_page = client_for(chair).get(consultation_url).content.decode()
    assert "Paris 2026: Strategy workshop" in chair_page
    assert reverse("meetings:session", args=[hidden.pk]) not in chair_page
    assert "Budget of the consultation" not in chair_page
    outsider_page = client_for(outsider).get(consultation_url).content.decode()
    assert "Discussed at meetings" not in outsider_page  # a reader of neither meeting


def test_session_links_a_consultation_through_the_api(
    client_for, network_coordinator, session, consultation
):
    client = client_for(network_coordinator)
    url = f"{API}/sessions/{session.pk}"
    linked = client.patch(url, {"consultation_id": consultation.pk}, "application/json")
    assert linked.status_code == 200
    assert linked.json()["consultation_id"] == consultation.pk
    missing = client.patch(url, {"consultation_id": 2**40}, "application/json")
    assert missing.status_code == 400
    assert missing.json()["field"] == "consultation_id"
    session.refresh_from_db()
    assert session.consultation_id == consultation.pk


def test_the_session_form_links_a_consultation(
    client_for, network_coordinator, session, consultation
):
    response = client_for(network_coordinator).post(
        reverse("meetings:session_edit", args=[session.pk]),
        {
            "day": "2026-04-14",
            "start_time": "09:00",
            "end_time": "12:30",
            "title": "Strategy workshop",
            "kind": "workshop",
            "consultation": str(consultation.pk),
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.consultation == consultation


# The next meeting's agenda pulls the open action items of the last ---------------------------


def test_next_meeting_carries_the_open_items_of_the_last_on_page_and_api(
    client_for, network_coordinator, org_coordinator, outsider, meeting, add_participant
):
    add_participant(org_coordinator)
    for title, status in [("Still open", "open"), ("Under way", "in_progress"), ("Done", "done")]:
        action_item_create(
            actor=network_coordinator,
            meeting=meeting,
            values={
                "title": title,
                "owner_user": org_coordinator,
                "due_date": date(2026, 5, 1),
                "status": status,
            },
        )
    client = client_for(network_coordinator)
    created = client.post(
        f"{API}/meetings",
        {
            "title": "Network Coordinators Meeting, Lima 2027",
            "short_name": "Lima 2027",
            "meeting_type": "coordinators",
            "start_date": "2027-04-12",
            "end_date": "2027-04-16",
            "time_zone": "America/Lima",
            "previous_meeting_id": meeting.pk,
        },
        "application/json",
    )
    assert created.status_code == 201, created.content
    follow_up = created.json()["id"]
    carried = client.get(f"{API}/meetings/{follow_up}/previous-open-items")
    assert [item["title"] for item in carried.json()["items"]] == ["Still open", "Under way"]
    page = client.get(reverse("meetings:detail", args=[follow_up])).content.decode()
    assert "Open items of the previous meeting" in page
    assert "Still open" in page
    assert "Under way" in page
    assert "Done" not in page
    # the first meeting carries nothing; an outsider sees neither
    assert client.get(f"{API}/meetings/{meeting.pk}/previous-open-items").json()["items"] == []
    outsider_call = client_for(outsider).get(f"{API}/meetings/{follow_up}/previous-open-items")
    assert outsider_call.status_code == 404
