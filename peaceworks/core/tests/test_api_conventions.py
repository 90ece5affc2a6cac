"""The API's conventions for scripts: ``Idempotency-Key`` on every create (the same key and
request → the first answer; another request → 422), ``ETag``/``If-None-Match`` on reads."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from peaceworks.accounts.services import api_token_create
from peaceworks.core.idempotency import purge_idempotency_keys
from peaceworks.core.models import IdempotentRequest
from peaceworks.directory.models import Stakeholder

pytestmark = pytest.mark.django_db

STAKEHOLDERS = "/api/v1/directory/stakeholders"


def body(code: str = "unv", name: str = "UN Volunteers") -> str:
    return json.dumps({"code": code, "name": name, "stakeholder_type": "un_agency"})


def post(client, data, key, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(STAKEHOLDERS, data, content_type="application/json", **headers)


def test_the_same_key_and_request_twice_creates_one_object(client_for, network_coordinator):
    client = client_for(network_coordinator)
    first = post(client, body(), "k-1")
    again = post(client, body(), "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Stakeholder.objects.filter(code="unv").count() == 1


def test_the_same_key_with_another_request_is_422(client_for, network_coordinator):
    client = client_for(network_coordinator)
    assert post(client, body(), "k-2").status_code == 201
    response = post(client, body(code="unicef", name="UNICEF"), "k-2")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Stakeholder.objects.filter(code="unicef").exists()


def test_an_error_answer_frees_the_key_for_the_corrected_request(client_for, network_coordinator):
    client = client_for(network_coordinator)
    invalid = json.dumps({"code": "x", "name": "X", "stakeholder_type": "not-a-type"})
    assert post(client, invalid, "k-3").status_code == 422
    assert post(client, body(), "k-3").status_code == 201
    assert Stakeholder.objects.filter(code="unv").count() == 1


def test_a_request_still_running_under_the_key_is_409(client_for, network_coordinator):
    client = client_for(network_coordinator)
    IdempotentRequest.objects.create(
        scope=f"user:{network_coordinator.pk}",
        key="k-4",
        method="POST",
        path=STAKEHOLDERS,
        body_sha256=__import__("hashlib").sha256(body().encode()).hexdigest(),
    )
    response = post(client, body(), "k-4")
    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert not Stakeholder.objects.exists()


def test_keys_belong_to_one_client(client_for, network_coordinator, network_admin):
    assert post(client_for(network_coordinator), body(), "shared").status_code == 201
    second = post(client_for(network_admin), body(code="unicef", name="UNICEF"), "shared")
    assert second.status_code == 201
    secret = api_token_create(actor=network_coordinator, name="t", scope="write").secret
    third = post(
        Client(), body(code="ilo", name="ILO"), "shared", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert third.status_code == 201
    assert Stakeholder.objects.count() == 3


def test_an_unusable_key_is_400(client_for, network_coordinator):
    response = post(client_for(network_coordinator), body(), "x" * 256)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert not Stakeholder.objects.exists()


def test_kept_answers_are_forgotten_after_a_day(client_for, network_coordinator):
    assert post(client_for(network_coordinator), body(), "old").status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_idempotency_keys(timezone.now(), dry_run=True) == 1
    assert purge_idempotency_keys(timezone.now(), dry_run=False) == 1
    assert not IdempotentRequest.objects.exists()


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client_for, network_coordinator):
    client = client_for(network_coordinator)
    assert post(client, body(), None).status_code == 201
    first = client.get(STAKEHOLDERS)
    etag = first["ETag"]
    assert first.status_code == 200
    assert etag.startswith('"')
    assert "private" in first["Cache-Control"]
    unchanged = client.get(STAKEHOLDERS, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert post(client, body(code="unicef", name="UNICEF"), None).status_code == 201
    changed = client.get(STAKEHOLDERS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
