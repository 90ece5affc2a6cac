import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from peaceworks.accounts.models import Invitation, LoginFailure, Membership
from peaceworks.accounts.services import invitation_create
from peaceworks.core.audit import audit_record
from peaceworks.core.models import AuditEvent


def test_user_downloads_their_own_data_as_json(client_for, org_coordinator, organisation):
    invitation_create(
        actor=org_coordinator, organisation=organisation, email="x@example.org", role="org_member"
    )
    response = client_for(org_coordinator).get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["user"]["email"] == org_coordinator.email
    assert document["memberships"][0]["organisation_code"] == organisation.code
    assert document["invitations_sent"][0]["email"] == "x@example.org"
    assert any(event["action"] == "invitation.create" for event in document["audit_events"])
    assert AuditEvent.objects.filter(action="account.export", actor=org_coordinator).exists()


def test_export_holds_no_one_elses_data(client_for, org_coordinator, outsider):
    audit_record(actor=outsider, action="secret.thing")
    document = client_for(org_coordinator).get(reverse("accounts:data_export")).json()
    assert outsider.email not in json.dumps(document)


def test_profile_links_to_export_and_erasure(client_for, org_member):
    page = client_for(org_member).get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:data_export") in page
    assert reverse("accounts:erase") in page


def test_erasure_anonymises_the_user_and_keeps_audit_rows(client_for, org_coordinator):
    audit_record(actor=org_coordinator, action="activity.create")
    LoginFailure.objects.create(email=org_coordinator.email)
    Invitation.objects.filter(email=org_coordinator.email).delete()
    old_email = org_coordinator.email
    client = client_for(org_coordinator)
    response = client.post(reverse("accounts:erase"), {"email": old_email})
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=org_coordinator.pk)
    assert user.email != old_email
    assert user.full_name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert not LoginFailure.objects.filter(email=old_email).exists()
    event = AuditEvent.objects.get(action="activity.create")
    assert event.actor_label == f"erased user #{user.pk}"
    assert not AuditEvent.objects.filter(actor_label=old_email).exists()
    assert client.get(reverse("web:dashboard")).status_code == 302  # signed out


def test_wrong_confirmation_erases_nothing(client_for, org_member):
    response = client_for(org_member).post(reverse("accounts:erase"), {"email": "x@example.org"})
    assert response.status_code == 400
    assert "not the e-mail address of your account" in response.content.decode()
    assert Membership.objects.filter(user=org_member).exists()


def test_last_network_admin_cannot_erase_their_account(client_for, network_admin):
    response = client_for(network_admin).post(
        reverse("accounts:erase"), {"email": network_admin.email}
    )
    assert response.status_code == 400
    assert "last network administrator" in response.content.decode()
    assert get_user_model().objects.get(pk=network_admin.pk).is_active


def test_anonymous_cannot_erase(client):
    assert client.post(reverse("accounts:erase"), {"email": "a@b.org"}).status_code == 302
