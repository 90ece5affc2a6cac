"""The engagement log, its follow-ups and partnership documents through the API: network
staff log and read them, a follow-up's owner closes it, documents go in and out unchanged;
members of organisations and outsiders get 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.directory.models import Engagement, FollowUp
from peaceworks.directory.tests.factories import make_partnership, make_stakeholder

pytestmark = pytest.mark.django_db
API = "/api/v1/directory"


def test_staff_log_an_engagement_with_a_follow_up_its_owner_closes(
    client_for, network_coordinator, network_admin
):
    stakeholder = make_stakeholder(network_coordinator)
    staff = client_for(network_coordinator)
    created = staff.post(
        f"{API}/engagements",
        {
            "occurred_on": "2026-04-09",
            "kind": "meeting",
            "title": "Advice on the youth strategy",
            "advice_received": "Involve municipalities early.",
            "stakeholder_id": stakeholder.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    engagement_id = created.json()["id"]
    follow_up = staff.post(
        f"{API}/engagements/{engagement_id}/follow-ups",
        {"description": "Send the minutes", "owner_id": network_admin.pk, "due_date": "2026-04-20"},
        content_type="application/json",
    )
    assert follow_up.status_code == 201, follow_up.content
    listed = staff.get(f"{API}/engagements", {"stakeholder_id": stakeholder.pk}).json()["items"]
    assert [e["title"] for e in listed] == ["Advice on the youth strategy"]
    assert listed[0]["follow_ups"][0]["owner_email"] == network_admin.email

    owner = client_for(network_admin)
    assert [f["description"] for f in owner.get(f"{API}/follow-ups/mine").json()["items"]] == [
        "Send the minutes"
    ]
    done = owner.patch(
        f"{API}/follow-ups/{follow_up.json()['id']}",
        {"status": "done"},
        content_type="application/json",
    )
    assert done.json()["status"] == "done"
    assert FollowUp.objects.get().status == FollowUp.Status.DONE


def test_bad_engagements_and_follow_ups_are_refused(client_for, network_coordinator, org_member):
    staff = client_for(network_coordinator)
    nobody = staff.post(
        f"{API}/engagements",
        {"occurred_on": "2026-04-09", "title": "With whom?"},
        content_type="application/json",
    )
    assert nobody.status_code == 400
    assert nobody.json()["field"] == "stakeholder_id"
    bad_kind = staff.post(
        f"{API}/engagements",
        {"occurred_on": "2026-04-09", "title": "x", "kind": "party"},
        content_type="application/json",
    )
    assert bad_kind.status_code == 422
    assert not Engagement.objects.exists()
    stakeholder = make_stakeholder(network_coordinator)
    engagement = staff.post(
        f"{API}/engagements",
        {"occurred_on": "2026-04-09", "title": "Call", "stakeholder_id": stakeholder.pk},
        content_type="application/json",
    ).json()
    not_staff = staff.post(
        f"{API}/engagements/{engagement['id']}/follow-ups",
        {"description": "x", "owner_id": org_member.pk},
        content_type="application/json",
    )
    assert not_staff.status_code == 400
    assert not_staff.json()["field"] == "owner_id"


def test_documents_go_in_and_out_unchanged_for_staff_only(
    client_for, network_coordinator, org_coordinator, outsider, organisation
):
    partnership = make_partnership(network_coordinator, organisations=[organisation])
    staff = client_for(network_coordinator)
    content = b"%PDF-1.4 signed agreement \x00\xff"
    uploaded = staff.post(
        f"{API}/partnerships/{partnership.pk}/documents",
        {"title": "Agreement", "file": SimpleUploadedFile("agreement.pdf", content)},
    )
    assert uploaded.status_code == 201, uploaded.content
    document_id = uploaded.json()["id"]
    url = f"{API}/partnerships/{partnership.pk}/documents/{document_id}/content"
    downloaded = staff.get(url)
    assert downloaded.content == content
    assert downloaded["Content-Disposition"] == 'attachment; filename="agreement.pdf"'
    for person in (org_coordinator, outsider):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).get(f"{API}/engagements").status_code == 404
