"""The demo's Paris meeting: sessions, approved minutes, eight decisions linked to the plan,
action items in every state; running it twice changes nothing."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from peaceworks.accounts.models import User
from peaceworks.campaigns import demo as campaigns_demo
from peaceworks.directory import demo as directory_demo
from peaceworks.directory.models import Engagement
from peaceworks.meetings import demo
from peaceworks.meetings.models import ActionItem, Decision, Meeting, MinutesRevision


@pytest.fixture(scope="module")
def plan_pk(module_transaction):
    """The directory demo (with the demo sign-ins) and the campaigns demo the meeting is
    seeded on, once for the module (what a test seeds on them is undone after it); the
    primary key of the campaigns demo's plan."""
    with module_transaction.unblock():
        directory = directory_demo.seed(random.Random(1))
        return campaigns_demo.seed(random.Random(2), directory.organisations).plan.pk


def test_demo_meeting_carries_the_reference_scenario(plan_pk, db, client_for):
    result = demo.seed()
    meeting = result.meeting
    assert meeting is not None
    assert meeting.sessions.count() == 7
    assert (meeting.start_date.isoformat(), meeting.end_date.isoformat()) == (
        "2026-04-13",
        "2026-04-17",
    )
    decisions = list(Decision.objects.filter(meeting=meeting))
    assert len(decisions) == 8
    assert all(d.strategy_item() is not None for d in decisions)
    assert {d.strategy_effect for d in decisions} == {"created", "updated"}
    assert {item.status for item in ActionItem.objects.all()} == set(ActionItem.Status.values)
    assert MinutesRevision.objects.filter(state="approved").count() == 5
    assert MinutesRevision.objects.filter(state="draft").count() == 1
    assert Engagement.objects.filter(
        stakeholder__code="un-staff-college", title__contains="adviser"
    ).exists()

    demo.seed()  # idempotent
    assert Meeting.objects.count() == 2
    assert Decision.objects.count() == 8

    coordinator = User.objects.get(email="coordinator@peaceworks.test")
    page = client_for(coordinator).get(reverse("campaigns:plan_detail", args=[plan_pk]))
    assert "Paris 2026 / D3" in page.content.decode()
    assert (
        client_for(coordinator).get(reverse("meetings:detail", args=[meeting.pk])).status_code
        == 200
    )


def test_demo_strategy_workshop_discussed_the_members_consultation_and_has_its_outline(
    plan_pk, db, client_for
):
    from peaceworks.consultations.demo import SLUG
    from peaceworks.consultations.models import Consultation

    # the consultations demo runs before the meetings demo; its consultation, without the
    # 400 contributions this test does not need
    consultation = Consultation.objects.create(
        title="Raising Peace: the next two years", slug=SLUG, phase=Consultation.Phase.CLOSED
    )
    meeting = demo.seed().meeting
    assert meeting is not None
    workshop = meeting.sessions.get(title=demo.STRATEGY_WORKSHOP)
    assert workshop.consultation == consultation
    assert meeting.sessions.filter(consultation__isnull=False).count() == 1
    assert [d.filename for d in workshop.documents.all()] == ["plan-outline.md"]
    coordinator = User.objects.get(email="coordinator@peaceworks.test")
    page = client_for(coordinator).get(reverse("consultations:detail", args=[SLUG]))
    assert reverse("meetings:session", args=[workshop.pk]) in page.content.decode()
