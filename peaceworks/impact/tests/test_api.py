from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django_tasks import default_task_backend

from peaceworks.accounts.models import User
from peaceworks.campaigns.models import Activity
from peaceworks.impact.models import AnalyticsSnapshot, Framework, Indicator, Response, Round

API = "/api/v1/impact"


def payload(survey_round: Round, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "submission_id": str(uuid.uuid4()),
        "language": "es",
        "consent_version": survey_round.instrument.consent_version,
        "matching_code": "AB12CD",
        "answers": {"t4_conflict": 4, "gender": "woman"},
    }
    values.update(overrides)
    return values


def post_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_public_submission_is_201_then_200_then_409(post_round: Round) -> None:
    client = Client()
    url = f"{API}/public/rounds/{post_round.token}/responses"
    data = payload(post_round)
    first = post_json(client, url, data)
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    again = post_json(client, url, data)
    assert again.status_code == 200
    assert again.json()["submission_id"] == first.json()["submission_id"]
    conflict = post_json(client, url, {**data, "answers": {"t4_conflict": 1}})
    assert conflict.status_code == 409
    assert conflict["Content-Type"].startswith("application/problem+json")
    assert Response.objects.count() == 1


def test_public_submission_runs_a_bounded_number_of_queries(
    post_round: Round, django_assert_max_num_queries: Any
) -> None:
    url = f"{API}/public/rounds/{post_round.token}/responses"
    client = Client()
    assert post_json(client, url, payload(post_round, matching_code="WARM01")).status_code == 201
    # the round with its instrument, activity and the activity's themes (one statement), the
    # known-submission check, the respondent (one INSERT … ON CONFLICT), the response, its
    # audit event, the host's webhook subscriptions, and the savepoint around them (inside the
    # test's transaction); the published instrument's questions come from the process's copy
    with django_assert_max_num_queries(8):
        second = post_json(client, url, payload(post_round))
    assert second.status_code == 201


def test_a_burst_of_submissions_enqueues_one_refresh(
    post_round: Round, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = f"{API}/public/rounds/{post_round.token}/responses"
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            data = payload(post_round, matching_code=f"BURST{number}")
            assert post_json(Client(), url, data).status_code == 201
    campaign_id = post_round.activity.campaign_id
    assert AnalyticsSnapshot.objects.get(campaign_id=campaign_id).status == "queued"
    queued = default_task_backend.results  # type: ignore[attr-defined]  # the dummy backend's
    assert [result.args for result in queued] == [[campaign_id]]


def test_bad_submission_gets_problem_details(post_round: Round) -> None:
    url = f"{API}/public/rounds/{post_round.token}/responses"
    bad_value = post_json(Client(), url, payload(post_round, answers={"t4_conflict": 7}))
    assert bad_value.status_code == 400
    assert "t4_conflict" in bad_value.json()["detail"]
    extra = post_json(Client(), url, {**payload(post_round), "unexpected": 1})
    assert extra.status_code == 422
    assert (
        post_json(Client(), f"{API}/public/rounds/nope/responses", payload(post_round)).status_code
        == 404
    )


def test_responses_are_pseudonymised_for_coordinators(
    client_for: Callable[[User | None], Client], org_coordinator: User, post_round: Round
) -> None:
    post_json(Client(), f"{API}/public/rounds/{post_round.token}/responses", payload(post_round))
    listing = client_for(org_coordinator).get(f"{API}/rounds/{post_round.pk}/responses")
    assert listing.status_code == 200
    row = listing.json()["items"][0]
    assert row["answers"]["t4_conflict"] == 4
    assert "AB12CD" not in listing.content.decode()
    assert "code_hash" not in row


def test_outsider_gets_404_on_responses_and_rounds(
    client_for: Callable[[User | None], Client], outsider: User, post_round: Round
) -> None:
    client = client_for(outsider)
    assert client.get(f"{API}/rounds/{post_round.pk}/responses").status_code == 404
    assert client.get(f"{API}/rounds").json()["items"] == []
    opened = post_json(client, f"{API}/activities/{post_round.activity_id}/rounds", {"kind": "pre"})
    assert opened.status_code == 404


def test_read_only_member_gets_403_opening_a_round(
    client_for: Callable[[User | None], Client],
    org_member: User,
    activity: Activity,
    framework: Framework,
) -> None:
    url = f"{API}/activities/{activity.pk}/rounds"
    assert post_json(client_for(org_member), url, {"kind": "pre"}).status_code == 403


def test_coordinator_opens_a_round_and_lists_it(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    activity: Activity,
    framework: Framework,
) -> None:
    client = client_for(org_coordinator)
    created = post_json(client, f"{API}/activities/{activity.pk}/rounds", {"kind": "pre"})
    assert created.status_code == 201
    assert created.json()["link"].endswith(f"/impact/s/{created.json()['token']}/")
    assert [r["kind"] for r in client.get(f"{API}/rounds").json()["items"]] == ["pre"]
    bad = post_json(client, f"{API}/activities/{activity.pk}/rounds", {"kind": "later"})
    assert bad.status_code == 422


def test_frameworks_indicators_and_instruments(
    client_for: Callable[[User | None], Client],
    network_coordinator: User,
    org_coordinator: User,
    framework: Framework,
) -> None:
    client = client_for(network_coordinator)
    assert client.get(f"{API}/frameworks").json()["items"][0]["id"] == framework.pk
    indicators = client.get(f"{API}/frameworks/{framework.pk}/indicators").json()["items"]
    assert any(i["code"] == "i4_intercultural" and i["theme_number"] == 4 for i in indicators)
    instruments = client.get(f"{API}/frameworks/{framework.pk}/instruments").json()["items"]
    assert {i["role"] for i in instruments} == {"v_pre", "v_post", "v_fu", "p_post"}
    new = {
        "code": "i_extra",
        "name": {"en": "Extra"},
        "kind": "outcome",
        "aggregation": "mean_change",
        "source_questions": ["t4_conflict"],
    }
    url = f"{API}/frameworks/{framework.pk}/indicators"
    assert post_json(client, url, new).status_code == 201
    assert Indicator.objects.filter(code="i_extra").exists()
    assert post_json(client, url, {**new, "aggregation": "magic"}).status_code == 422
    assert post_json(client_for(org_coordinator), url, new).status_code == 403


def test_anonymous_cannot_read_frameworks(framework: Framework) -> None:
    assert Client().get(f"{API}/frameworks").status_code == 401


def test_kobo_import_through_the_api(
    client_for: Callable[[User | None], Client],
    org_coordinator: User,
    outsider: User,
    post_round: Round,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peaceworks.core.exports import csv_bytes

    data = csv_bytes(
        ["_uuid", "matching_code", "t4_conflict"], [[str(uuid.uuid4()), "AB12CD", "4"]]
    )
    client = client_for(org_coordinator)
    url = f"{API}/rounds/{post_round.pk}/imports"
    created = client.post(url, {"kind": "kobo", "file": SimpleUploadedFile("k.csv", data)})
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["summary"]["created"] == 1
    confirmed = client.post(f"{API}/imports/{job['id']}/confirm")
    assert confirmed.json()["status"] == "imported"
    assert Response.objects.count() == 1
    assert (
        client.post(url, {"kind": "other", "file": SimpleUploadedFile("k.csv", data)}).status_code
        == 400
    )
    assert client_for(outsider).get(f"{API}/imports/{job['id']}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_submission_after_a_database_restart_is_stored(post_round: Round) -> None:
    """The round's read is the request's health check: a kept connection the database closed
    meanwhile is replaced, and the submission answered 201 as on a fresh connection."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's kept connections")
    url = f"{API}/public/rounds/{post_round.token}/responses"
    connection.close()  # a connection opened now is kept at the end of the request (CONN_MAX_AGE)
    assert post_json(Client(), url, payload(post_round, matching_code="WARM01")).status_code == 201
    close_old_connections()  # the end of the request (the test client skips it)
    assert connection.connection is not None
    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    data = payload(post_round)
    answer = post_json(Client(), url, data)
    assert answer.status_code == 201, answer.content
    assert connection.connection.info.backend_pid != pid
    assert Response.objects.filter(submission_id=data["submission_id"]).count() == 1
