"""Invitations: new addresses choose a password; existing accounts accept only signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from peaceworks.accounts.models import Invitation, Membership, Role, User
from peaceworks.accounts.services import invitation_create
from peaceworks.directory.models import Organisation

# The tests that hash or check a password are marked ``argon2``: they use the product's
# Argon2 (conftest.py); the others here never check one and keep MD5 for the users their
# fixtures create (an Argon2 hash is ~0.2 s of CPU).


def _invite(actor: User, organisation: Organisation, email: str, role: str) -> str:
    _invitation, token = invitation_create(
        actor=actor, organisation=organisation, email=email, role=role
    )
    return reverse("accounts:invitation_accept", args=[token])


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.argon2
def test_link_to_an_existing_account_neither_signs_in_nor_changes_its_role(
    network_admin: User, network_coordinator: User, secretariat: Organisation
) -> None:
    path = _invite(network_coordinator, secretariat, network_admin.email.upper(), Role.ANALYST)
    visitor = Client()
    response = visitor.post(
        path,
        {"full_name": "Mallory", "password1": "x-long-pass-123", "password2": "x-long-pass-123"},
    )
    assert response.status_code == 403
    assert "Sign in with its own password" in response.content.decode()
    assert _signed_in_user_id(visitor) is None
    assert Membership.objects.get(user=network_admin).role == Role.NETWORK_ADMIN
    assert Invitation.objects.get().accepted_at is None
    assert network_admin.check_password(PASSWORD)  # the ignored password fields changed nothing


@pytest.mark.argon2
def test_owner_who_signs_in_keeps_a_higher_role_and_is_told_so(
    network_admin: User, network_coordinator: User, secretariat: Organisation
) -> None:
    path = _invite(
        network_coordinator, secretariat, f"  {network_admin.email.title()} ", Role.ANALYST
    )
    client = Client()
    page = client.get(path).content.decode()
    sign_in = reverse("accounts:login") + "?next=" + path.replace("/", "%2F")
    assert sign_in in page
    signed_in = client.post(
        reverse("accounts:login") + f"?next={path}",
        {"email": network_admin.email, "password": PASSWORD, "next": path},
    )
    assert signed_in["Location"] == path
    assert "never lowers a role" in client.get(path).content.decode()
    accepted = client.post(path, follow=True)
    assert "you keep this role" in accepted.content.decode()
    assert Membership.objects.get(user=network_admin).role == Role.NETWORK_ADMIN
    assert Invitation.objects.get().accepted_at is not None


def test_owner_gains_a_membership_in_a_new_organisation(
    org_coordinator: User,
    outsider: User,
    organisation: Organisation,
    client_for: Callable[[User | None], Client],
) -> None:
    path = _invite(org_coordinator, organisation, outsider.email, Role.ORG_MEMBER)
    client = client_for(outsider)
    response = client.post(path, follow=True)
    assert "You are now Organisation member in Own Organisation" in response.content.decode()
    roles = dict(Membership.objects.filter(user=outsider).values_list("organisation__code", "role"))
    assert roles == {"other": Role.ORG_COORDINATOR, "own": Role.ORG_MEMBER}


def test_another_signed_in_account_cannot_accept(
    org_coordinator: User,
    outsider: User,
    org_member: User,
    organisation: Organisation,
    client_for: Callable[[User | None], Client],
) -> None:
    path = _invite(org_coordinator, organisation, outsider.email, Role.ORG_COORDINATOR)
    response = client_for(org_member).post(path)
    assert response.status_code == 403
    assert "signed in with another account" in response.content.decode()
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    assert Membership.objects.get(user=org_member).role == Role.ORG_MEMBER


@pytest.mark.argon2
def test_new_address_chooses_its_password_and_mismatch_is_refused(
    org_coordinator: User, organisation: Organisation
) -> None:
    path = _invite(org_coordinator, organisation, "New.Person@Example.org", Role.ORG_MEMBER)
    client = Client()
    mismatch = client.post(
        path, {"full_name": "New", "password1": "ok-long-pass-12", "password2": "other-pass-12"}
    )
    assert mismatch.status_code == 400
    assert not User.objects.filter(email="new.person@example.org").exists()
    created = client.post(
        path, {"full_name": "New", "password1": "ok-long-pass-12", "password2": "ok-long-pass-12"}
    )
    assert created.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password("ok-long-pass-12")
    assert (
        Client()
        .post(
            reverse("accounts:login"),
            {"email": "NEW.person@example.org ", "password": "ok-long-pass-12"},
        )
        .status_code
        == 302
    )


@pytest.mark.argon2
@pytest.mark.parametrize(
    "typed", ["ORG_COORDINATOR.own@EXAMPLE.org", " org_coordinator.own@example.org "]
)
def test_sign_in_ignores_the_case_and_padding_of_the_address(
    typed: str, org_coordinator: User, settings: Any
) -> None:
    User.objects.filter(pk=org_coordinator.pk).update(email="Org_Coordinator.own@Example.org")
    response = Client().post(reverse("accounts:login"), {"email": typed, "password": PASSWORD})
    assert response.status_code == 302
