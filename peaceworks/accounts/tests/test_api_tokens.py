"""Personal API tokens: made on the profile page and shown once, stored hashed, sent as
``Authorization: Bearer``; they act as their owner through the same access functions as the
pages, narrowed by their scope and organisation; revoked or expired ones get 401."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from peaceworks.accounts.models import ApiToken, Role
from peaceworks.accounts.services import api_token_create, membership_grant
from peaceworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_client() -> Client:
    """A script: no session, and CSRF enforced as for any cross-site caller."""
    return Client(enforce_csrf_checks=True)


def organisation_url(organisation) -> str:
    return f"/api/v1/directory/organisations/{organisation.pk}"


def test_the_profile_page_makes_a_token_shown_once_and_stored_hashed(client_for, org_coordinator):
    client = client_for(org_coordinator)
    assert "/accounts/profile/api-tokens/" in client.get("/accounts/profile/").content.decode()
    response = client.post(
        "/accounts/profile/api-tokens/",
        {"name": "Placement sync", "scope": "write", "expires_in_days": "90"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    secret = re.search(r'data-testid="new-token">(pwk_[\w-]+)<', page).group(1)
    token = ApiToken.objects.get(user=org_coordinator)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.secret_hash
    assert token.prefix == secret[4:12]
    assert token.expires_at is not None
    assert AuditEvent.objects.filter(action="api_token.create").count() == 1
    again = client.get("/accounts/profile/api-tokens/").content.decode()
    assert secret not in again
    assert "Placement sync" in again

    answer = api_client().get(ME, **bearer(secret))
    assert answer.status_code == 200
    assert answer.json()["email"] == org_coordinator.email


def test_a_token_cannot_be_limited_to_an_organisation_its_owner_is_not_in(
    client_for, org_coordinator, other_organisation
):
    response = client_for(org_coordinator).post(
        "/accounts/profile/api-tokens/",
        {"name": "x", "scope": "read", "organisation": str(other_organisation.pk)},
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_read_only_token_cannot_write(org_coordinator, organisation):
    secret = api_token_create(actor=org_coordinator, name="read", scope="read").secret
    client = api_client()
    assert client.get(organisation_url(organisation), **bearer(secret)).status_code == 200
    response = client.patch(
        organisation_url(organisation),
        {"city": "Lyon"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    organisation.refresh_from_db()
    assert organisation.city != "Lyon"


def test_a_write_token_writes_without_a_session_or_csrf_token(org_coordinator, organisation):
    secret = api_token_create(actor=org_coordinator, name="write", scope="write").secret
    response = api_client().patch(
        organisation_url(organisation),
        {"city": "Lyon"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 200, response.content
    organisation.refresh_from_db()
    assert organisation.city == "Lyon"


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown", "malformed"])
def test_revoked_expired_and_unknown_tokens_get_401(how, org_coordinator, client_for):
    issued = api_token_create(actor=org_coordinator, name="t", scope="write")
    secret = issued.secret
    if how == "revoked":
        response = client_for(org_coordinator).post(
            f"/accounts/profile/api-tokens/{issued.token.pk}/revoke/"
        )
        assert response.status_code == 302
        assert ApiToken.objects.get().revoked_at is not None
    elif how == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "unknown":
        secret = "pwk_" + "x" * 43
    else:
        secret = "not-a-token"
    response = api_client().get(ME, **bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_bad_token_is_401_even_beside_a_valid_session(client_for, org_coordinator):
    """A script's credentials are what it sent: a wrong token never falls back to a session."""
    client = client_for(org_coordinator)
    assert client.get(ME).status_code == 200
    assert client.get(ME, **bearer("pwk_wrong")).status_code == 401


def test_a_token_limited_to_one_organisation_gets_404_on_anothers_objects(
    org_coordinator, organisation, other_organisation
):
    membership_grant(
        user=org_coordinator, organisation=other_organisation, role=Role.ORG_COORDINATOR
    )
    limited = api_token_create(
        actor=org_coordinator, name="own only", scope="write", organisation_id=organisation.pk
    ).secret
    unlimited = api_token_create(actor=org_coordinator, name="all", scope="write").secret
    client = api_client()

    def patch(target, secret):
        return client.patch(
            organisation_url(target),
            {"city": "Quito"},
            content_type="application/json",
            **bearer(secret),
        )

    assert patch(other_organisation, limited).status_code == 404
    other_organisation.refresh_from_db()
    assert other_organisation.city != "Quito"
    assert patch(organisation, limited).status_code == 200
    assert patch(other_organisation, unlimited).status_code == 200
    memberships = client.get(ME, **bearer(limited)).json()["memberships"]
    assert {m["organisation_id"] for m in memberships} >= {organisation.pk}


def test_personas(network_coordinator, org_coordinator, outsider, organisation):
    """The network coordinator's token acts on any organisation, the member coordinator's on
    their own, an outsider's on none but their own."""
    client = api_client()
    for user, status in ((network_coordinator, 200), (org_coordinator, 200), (outsider, 404)):
        secret = api_token_create(actor=user, name="p", scope="write").secret
        response = client.patch(
            organisation_url(organisation),
            {"acronym": "X"},
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == status, (user.email, response.content)


def test_nobody_revokes_anothers_token(client_for, org_coordinator, outsider):
    token = api_token_create(actor=org_coordinator, name="mine", scope="read").token
    response = client_for(outsider).post(f"/accounts/profile/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_over_its_rate_gets_429_with_retry_after(settings, monkeypatch, org_coordinator):
    settings.API_TOKEN_RATE_PER_MINUTE = 3
    monkeypatch.setattr("config.api.time.time", lambda: 1_800_000_015.5)  # 44.5 s to the minute
    secret = api_token_create(actor=org_coordinator, name="busy", scope="read").secret
    other = api_token_create(actor=org_coordinator, name="calm", scope="read").secret
    client = api_client()
    statuses = [client.get(ME, **bearer(secret)).status_code for _ in range(3)]
    refused = client.get(ME, **bearer(secret))
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert refused["Content-Type"].startswith("application/problem+json")
    # the limit is per token: another token of the same person is not slowed down
    assert client.get(ME, **bearer(other)).status_code == 200
