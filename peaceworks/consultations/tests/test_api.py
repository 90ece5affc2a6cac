from __future__ import annotations

import pytest

from peaceworks.consultations.models import Consultation, Contribution, Vote

pytestmark = pytest.mark.django_db
BASE = "/api/v1/consultations"


def test_invalid_choices_are_422_naming_the_field(
    make_consultation, network_coordinator, org_member, client_for
):
    consultation = make_consultation()
    staff = client_for(network_coordinator)
    bad = staff.post(
        f"{BASE}/consultations",
        {"title": "X", "slug": "x", "audience": "everyone"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "audience" in bad.content.decode()
    bad = staff.post(
        f"{BASE}/consultations/{consultation.slug}/phase",
        {"phase": "finished"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "phase" in bad.content.decode()
    bad = staff.post(
        f"{BASE}/consultations/{consultation.slug}/synthesis-runs",
        {"kind": "vibes"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    statement = consultation.statements.first()
    member = client_for(org_member)
    bad = member.post(
        f"{BASE}/consultations/{consultation.slug}/votes",
        {"statement_id": statement.pk, "value": 2},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "value" in bad.content.decode()
    assert not Vote.objects.exists()
    assert not Consultation.objects.filter(slug="x").exists()


def test_member_contributes_and_votes_through_the_api(make_consultation, org_member, client_for):
    consultation = make_consultation()
    client = client_for(org_member)
    prompt = consultation.prompts.get()
    created = client.post(
        f"{BASE}/consultations/{consultation.slug}/contributions",
        {
            "prompt_id": prompt.pk,
            "text": "Le bénévolat construit la paix entre les jeunes de nos villages.",
            "quote_consent": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["language"] == "fr"
    statement = consultation.statements.first()
    voted = client.post(
        f"{BASE}/consultations/{consultation.slug}/votes",
        {"statement_id": statement.pk, "value": -1},
        content_type="application/json",
    )
    assert voted.status_code == 200
    assert client.get(f"{BASE}/consultations/{consultation.slug}/votes").json()["items"] == [
        {"statement_id": statement.pk, "value": -1}
    ]
    # Pending contributions are not listed to members.
    assert (
        client.get(f"{BASE}/consultations/{consultation.slug}/contributions").json()["items"] == []
    )


def test_closed_consultation_refuses_with_a_problem(make_consultation, org_member, client_for):
    consultation = make_consultation(phase=Consultation.Phase.CLOSED)
    response = client_for(org_member).post(
        f"{BASE}/consultations/{consultation.slug}/contributions",
        {"prompt_id": consultation.prompts.get().pk, "text": "Late"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "does not take contributions" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_synthesis_progress_and_result(
    make_consultation,
    network_coordinator,
    org_member,
    client_for,
    django_capture_on_commit_callbacks,
):
    consultation = make_consultation()
    member = client_for(org_member)
    for statement in consultation.statements.all():
        member.post(
            f"{BASE}/consultations/{consultation.slug}/votes",
            {"statement_id": statement.pk, "value": 1},
            content_type="application/json",
        )
    staff = client_for(network_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        run = staff.post(
            f"{BASE}/consultations/{consultation.slug}/synthesis-runs",
            {"kind": "groups"},
            content_type="application/json",
        )
    assert run.status_code == 202
    detail = staff.get(
        f"{BASE}/consultations/{consultation.slug}/synthesis-runs/{run.json()['id']}"
    ).json()
    assert detail["state"] == "done"
    assert detail["progress"] == 100
    assert len(detail["result"]["statements"]) == 3
