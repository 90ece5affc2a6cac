"""Minutes: the note-taker drafts, the chair approves, approved minutes are only revised."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peaceworks.core.errors import Conflict, Forbidden
from peaceworks.meetings.models import MinutesRevision, Participant
from peaceworks.meetings.services import minutes_approve, minutes_draft, minutes_revise


def test_note_taker_drafts_and_chair_approves_on_the_pages(client_for, session, note_taker, chair):
    url = reverse("meetings:minutes", args=[session.pk])
    response = client_for(note_taker).post(url, {"body": "We **agreed** on the plan."})
    assert response.status_code == 302
    draft = MinutesRevision.objects.get(session=session)
    assert draft.state == "draft"
    assert draft.author == note_taker

    page = client_for(chair).get(reverse("meetings:detail", args=[session.meeting_id]))
    assert "Approve the minutes" in page.content.decode()
    response = client_for(chair).post(reverse("meetings:minutes_approve", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "approved"
    assert draft.approved_by == chair
    assert draft.approved_at


def test_note_taker_cannot_approve(client_for, session, note_taker):
    draft = minutes_draft(actor=note_taker, session=session, body="Notes")
    response = client_for(note_taker).post(reverse("meetings:minutes_approve", args=[draft.pk]))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_minutes_are_sanitised(client_for, session, note_taker, chair):
    minutes_draft(
        actor=note_taker, session=session, body="Hello <script>alert(1)</script> [x](javascript:y)"
    )
    page = client_for(chair).get(reverse("meetings:detail", args=[session.meeting_id])).content
    assert b"<script>alert" not in page
    assert b"javascript:y" not in page


def test_approved_minutes_are_never_edited_only_revised(client_for, session, note_taker, chair):
    draft = minutes_draft(actor=note_taker, session=session, body="First text")
    minutes_approve(actor=chair, revision=draft)
    with pytest.raises(Conflict):
        minutes_draft(actor=note_taker, session=session, body="Changed behind the chair's back")

    # the editor page offers a revision (with a reason); posting without reason is refused
    url = reverse("meetings:minutes", args=[session.pk])
    client = client_for(note_taker)
    assert "reason" in client.get(url).content.decode()
    refused = client.post(url, {"body": "Corrected text"})
    assert refused.status_code == 400
    assert (
        client.post(url, {"body": "Corrected text", "reason": "Typo in a name"}).status_code == 302
    )

    revisions = list(MinutesRevision.objects.filter(session=session).order_by("number"))
    assert [(r.number, r.state, r.body) for r in revisions] == [
        (1, "approved", "First text"),
        (2, "draft", "Corrected text"),
    ]
    minutes_approve(actor=chair, revision=revisions[1])
    history = client_for(chair).get(reverse("meetings:minutes_history", args=[session.pk]))
    text = history.content.decode()
    assert "Revision 1" in text
    assert "Revision 2" in text
    assert "<del>-First text</del>" in text
    assert "<ins>+Corrected text</ins>" in text
    assert "Typo in a name" in text
    revisions[0].refresh_from_db()
    assert revisions[0].body == "First text"


def test_revision_needs_no_open_draft(session, note_taker, chair):
    minutes_approve(
        actor=chair, revision=minutes_draft(actor=note_taker, session=session, body="A")
    )
    minutes_revise(actor=note_taker, session=session, body="B", reason="fix")
    with pytest.raises(Conflict):
        minutes_revise(actor=note_taker, session=session, body="C", reason="fix again")


def test_participant_from_another_organisation_cannot_edit_minutes(
    client_for, session, outsider, add_participant, note_taker
):
    add_participant(outsider, Participant.Role.PARTICIPANT)
    minutes_draft(actor=note_taker, session=session, body="Draft")
    client = client_for(outsider)
    assert client.get(reverse("meetings:detail", args=[session.meeting_id])).status_code == 200
    assert client.get(reverse("meetings:minutes", args=[session.pk])).status_code == 403
    assert (
        client.post(reverse("meetings:minutes", args=[session.pk]), {"body": "Mine"}).status_code
        == 403
    )
    with pytest.raises(Forbidden):
        minutes_draft(actor=outsider, session=session, body="Mine")
    assert MinutesRevision.objects.get(session=session).body == "Draft"


def test_outsider_who_is_not_a_participant_gets_404(client_for, session, outsider):
    client = client_for(outsider)
    assert client.get(reverse("meetings:detail", args=[session.meeting_id])).status_code == 404
    assert client.get(reverse("meetings:minutes", args=[session.pk])).status_code == 404
