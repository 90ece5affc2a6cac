"""Stakeholders, partnerships with their documents, the engagement log and follow-ups:
network staff data (others get 404); a follow-up's owner sees it on their to-do list."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peaceworks.directory import services
from peaceworks.directory.models import FollowUp, PartnershipDocument, Stakeholder
from peaceworks.directory.tests.factories import make_partnership, make_stakeholder


@pytest.mark.parametrize("persona", ["org_coordinator", "org_member", "outsider", "stakeholder"])
def test_non_staff_get_404_on_stakeholders_and_partnerships(
    persona, request, network_coordinator, client_for
):
    stakeholder = make_stakeholder(network_coordinator)
    partnership = make_partnership(network_coordinator, stakeholders=[stakeholder])
    client = client_for(request.getfixturevalue(persona))
    for url in (
        reverse("directory:stakeholders"),
        reverse("directory:stakeholder", args=[stakeholder.pk]),
        reverse("directory:partnerships"),
        reverse("directory:partnership", args=[partnership.pk]),
        reverse("directory:stakeholder_create"),
        reverse("directory:engagement_create") + f"?stakeholder={stakeholder.pk}",
    ):
        assert client.get(url).status_code == 404, url


def test_network_staff_see_stakeholder_page_with_contacts_and_timeline(
    network_coordinator, client_for
):
    stakeholder = make_stakeholder(network_coordinator)
    services.stakeholder_contact_add(
        actor=network_coordinator, stakeholder=stakeholder, name="Amina Diallo"
    )
    services.engagement_record(
        actor=network_coordinator,
        stakeholder=stakeholder,
        values={"occurred_on": date(2026, 5, 4), "title": "Meeting in Turin", "kind": "meeting"},
    )
    page = client_for(network_coordinator).get(
        reverse("directory:stakeholder", args=[stakeholder.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Amina Diallo" in text
    assert "Meeting in Turin" in text


def test_stakeholder_create_and_bad_input(network_coordinator, client_for):
    client = client_for(network_coordinator)
    url = reverse("directory:stakeholder_create")
    bad = client.post(url, {"name": "X", "code": "bad code!", "stakeholder_type": "nope"})
    assert bad.status_code == 400
    assert not Stakeholder.objects.exists()
    good = client.post(
        url, {"name": "Youth foundation", "code": "eyf", "stakeholder_type": "funder"}
    )
    assert good.status_code == 302
    assert Stakeholder.objects.get(code="eyf").stakeholder_type == "funder"


def test_partnership_needs_a_party(network_coordinator, client_for):
    response = client_for(network_coordinator).post(
        reverse("directory:partnership_create"),
        {"title": "Grant", "code": "grant", "purpose": "funder", "status": "active"},
    )
    assert response.status_code == 400


def test_partnership_create_with_parties(network_coordinator, organisation, client_for):
    stakeholder = make_stakeholder(network_coordinator)
    response = client_for(network_coordinator).post(
        reverse("directory:partnership_create"),
        {
            "title": "Grant",
            "code": "grant",
            "purpose": "funder",
            "status": "active",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "organisations": [organisation.pk],
            "stakeholders": [stakeholder.pk],
        },
    )
    assert response.status_code == 302
    page = client_for(network_coordinator).get(
        reverse("directory:organisation", args=[organisation.pk])
    )
    assert "Grant" in page.content.decode()


def test_document_is_served_only_through_the_checked_view(
    network_coordinator, org_coordinator, client_for
):
    stakeholder = make_stakeholder(network_coordinator)
    partnership = make_partnership(network_coordinator, stakeholders=[stakeholder])
    staff = client_for(network_coordinator)
    response = staff.post(
        reverse("directory:document_upload", args=[partnership.pk]),
        {"title": "Signed agreement", "file": SimpleUploadedFile("agreement.pdf", b"%PDF-1.4 x")},
    )
    assert response.status_code == 302
    document = PartnershipDocument.objects.get()
    url = reverse("directory:document_download", args=[partnership.pk, document.pk])
    page = staff.get(reverse("directory:partnership", args=[partnership.pk])).content.decode()
    assert url in page
    assert "/media/" not in page
    download = staff.get(url)
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 x"
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(org_coordinator).get(url).status_code == 404


def test_empty_document_is_refused(network_coordinator, client_for):
    partnership = make_partnership(
        network_coordinator, stakeholders=[make_stakeholder(network_coordinator)]
    )
    response = client_for(network_coordinator).post(
        reverse("directory:document_upload", args=[partnership.pk]),
        {"title": "Empty", "file": SimpleUploadedFile("empty.pdf", b"")},
    )
    assert response.status_code == 400
    assert not PartnershipDocument.objects.exists()


def test_engagement_and_follow_up_reach_the_owners_to_do_list(
    network_coordinator, network_admin, org_coordinator, client_for
):
    stakeholder = make_stakeholder(network_coordinator)
    staff = client_for(network_coordinator)
    response = staff.post(
        reverse("directory:engagement_create") + f"?stakeholder={stakeholder.pk}",
        {
            "occurred_on": "2026-05-04",
            "kind": "meeting",
            "title": "Meeting with the staff college",
            "advice_received": "Measure outcomes per theme.",
        },
    )
    assert response.status_code == 302
    engagement = stakeholder.engagements.get()
    response = staff.post(
        reverse("directory:follow_up_create", args=[engagement.pk]),
        {
            "description": "Send the theory of change",
            "owner": network_admin.pk,
            "due_date": "2026-06-01",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    owner = client_for(network_admin)
    assert (
        "Send the theory of change"
        in owner.get(reverse("directory:my_follow_ups")).content.decode()
    )
    assert (
        "Send the theory of change"
        not in staff.get(reverse("directory:my_follow_ups")).content.decode()
    )
    status_url = reverse("directory:follow_up_status", args=[follow_up.pk])
    assert client_for(org_coordinator).post(status_url, {"status": "done"}).status_code == 404
    assert owner.post(status_url, {"status": "nonsense"}).status_code == 400
    assert owner.post(status_url, {"status": "done"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert "Send the theory" not in owner.get(reverse("directory:my_follow_ups")).content.decode()


def test_follow_up_owner_must_be_network_staff(network_coordinator, org_coordinator, client_for):
    stakeholder = make_stakeholder(network_coordinator)
    engagement = services.engagement_record(
        actor=network_coordinator,
        stakeholder=stakeholder,
        values={"occurred_on": date(2026, 5, 4), "title": "Call"},
    )
    response = client_for(network_coordinator).post(
        reverse("directory:follow_up_create", args=[engagement.pk]),
        {"description": "Do it", "owner": org_coordinator.pk},
    )
    assert response.status_code == 400
    assert not FollowUp.objects.exists()


def test_engagement_without_a_party_is_refused(network_coordinator, client_for):
    response = client_for(network_coordinator).post(
        reverse("directory:engagement_create"),
        {"occurred_on": "2026-05-04", "kind": "call", "title": "Orphan call"},
    )
    assert response.status_code == 400


def test_overdue_follow_ups_are_marked(network_coordinator, client_for):
    stakeholder = make_stakeholder(network_coordinator)
    engagement = services.engagement_record(
        actor=network_coordinator,
        stakeholder=stakeholder,
        values={"occurred_on": date(2020, 1, 1), "title": "Old call"},
    )
    services.follow_up_create(
        actor=network_coordinator,
        engagement=engagement,
        description="Late task",
        owner=network_coordinator,
        due_date=date(2020, 2, 1),
    )
    page = client_for(network_coordinator).get(reverse("directory:my_follow_ups"))
    assert "Overdue" in page.content.decode()


def test_partnership_links_campaigns_and_shows_on_both_pages(
    network_coordinator, org_coordinator, organisation, client_for
):
    from peaceworks.campaigns.models import Campaign, Programme

    programme = Programme.objects.create(name="Programme", code="prog")
    campaign = Campaign.objects.create(programme=programme, name="Peace Campaign", code="pc")
    response = client_for(network_coordinator).post(
        reverse("directory:partnership_create"),
        {
            "title": "Grant for peace",
            "code": "grant-peace",
            "purpose": "funder",
            "status": "active",
            "organisations": [organisation.pk],
            "campaigns": [campaign.pk],
        },
    )
    assert response.status_code == 302
    partnership = campaign.partnerships.get()
    detail = client_for(network_coordinator).get(
        reverse("directory:partnership", args=[partnership.pk])
    )
    assert "Peace Campaign" in detail.content.decode()
    staff_page = client_for(network_coordinator).get(reverse("campaigns:detail", args=["pc"]))
    assert "Grant for peace" in staff_page.content.decode()
    # partnerships are network-staff records: a member organisation's coordinator sees none
    member_page = client_for(org_coordinator).get(reverse("campaigns:detail", args=["pc"]))
    assert member_page.status_code == 200
    assert "Grant for peace" not in member_page.content.decode()


def test_a_refused_document_shows_the_services_message_on_the_file_field(
    network_coordinator, client_for, monkeypatch
):
    from peaceworks.directory import services

    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 4)
    partnership = make_partnership(
        network_coordinator, stakeholders=[make_stakeholder(network_coordinator)]
    )
    response = client_for(network_coordinator).post(
        reverse("directory:document_upload", args=[partnership.pk]),
        {"title": "Big", "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4 x")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The document is larger than 0 MB."]
    assert not PartnershipDocument.objects.exists()
