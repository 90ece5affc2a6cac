import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from peaceworks.accounts.models import Invitation, Membership, Role, User
from peaceworks.core.models import AuditEvent

# The tests that hash or check a password are marked ``argon2``: they use the product's
# Argon2 (conftest.py); the others here never check one and keep MD5 for the users their
# fixtures create (an Argon2 hash is ~0.2 s of CPU).


def sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"email": email, "password": password})


@pytest.mark.argon2
def test_right_password_reaches_the_dashboard(client, org_coordinator):
    response = sign_in(client, org_coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.get(reverse("web:dashboard")).status_code == 200


@pytest.mark.argon2
def test_wrong_password_is_refused_with_a_message(client, org_coordinator):
    response = sign_in(client, org_coordinator.email, "wrong")
    assert response.status_code == 401
    assert "not right" in response.content.decode()


@pytest.mark.argon2
def test_account_locks_after_repeated_failures_even_with_right_password(
    client, org_coordinator, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, org_coordinator.email, "wrong")
    response = sign_in(client, org_coordinator.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.locked").exists()


@pytest.mark.argon2
def test_open_redirect_after_sign_in_is_ignored(client, org_coordinator):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"email": org_coordinator.email, "password": PASSWORD},
    )
    assert response["Location"] == reverse("web:dashboard")


def test_password_reset_sends_an_email(client, org_coordinator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("accounts:password_reset"), {"email": org_coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password-reset/" in mail.outbox[0].body


@pytest.mark.argon2
def test_invitation_round_trip(
    org_coordinator, organisation, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = client_for(org_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:invitation_create", args=[organisation.pk]),
            {"email": "new.person@example.org", "role": Role.ORG_MEMBER},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.split() if "/invitations/" in line)
    path = link.split("127.0.0.1:8000")[-1]
    anonymous = client_for(None)
    response = anonymous.post(
        path,
        {"full_name": "New Person", "password1": "ok-long-pass-12", "password2": "ok-long-pass-12"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert Membership.objects.get(user=user).role == Role.ORG_MEMBER
    assert anonymous.get(path).status_code == 404  # the token is spent
    assert Invitation.objects.get().accepted_at is not None


def test_org_coordinator_cannot_hand_out_network_roles(org_coordinator, organisation, client_for):
    response = client_for(org_coordinator).post(
        reverse("directory:invitation_create", args=[organisation.pk]),
        {"email": "x@example.org", "role": Role.NETWORK_ADMIN},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["org_member", "outsider"])
def test_read_only_member_and_outsider_cannot_invite(persona, request, organisation, client_for):
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("directory:invitation_create", args=[organisation.pk]),
        {"email": "x@example.org", "role": Role.ORG_MEMBER},
    )
    assert response.status_code == (403 if persona == "org_member" else 404)
    assert not Invitation.objects.exists()
