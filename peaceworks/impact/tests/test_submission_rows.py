"""The plain-statement submission path stores exactly what the ORM path stored.

``orm_store`` below is the ORM implementation the service used before (``get_or_create``
under ``select_for_update``, ``full_clean`` and ``save``, ``audit_record``), kept here as
the reference. The same requests go through the public API with each, and the rows of every
table a submission touches — respondents, responses, audit events, webhook deliveries, the
snapshot status — must come out the same, ids and times aside, with the same answers
(201 / 200 / 409 / 400). Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.models import AuditEvent
from peaceworks.core.writers import sqlite_writer
from peaceworks.directory.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from peaceworks.impact import submission_rows
from peaceworks.impact.models import AnalyticsSnapshot, Respondent, Response, Round
from peaceworks.impact.services import respondent_withdraw, response_submit, round_open
from peaceworks.impact.services import responses as service

API = "/api/v1/impact"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


# -- the reference: the ORM path as it was -----------------------------------------------


def _orm_existing(submission_id: uuid.UUID, payload_hash: str) -> service.Submission | None:
    existing = Response.objects.filter(submission_id=submission_id).first()
    if existing is None:
        return None
    if existing.payload_hash != payload_hash:
        raise service._conflict()
    return service.Submission(existing, created=False)


def orm_store(
    prepared: Any,
    *,
    source: str,
    submitted_at: datetime | None,
    enforce_dates: bool,
    actor: Any,
    replaces: bool,
) -> service.Submission:
    survey_round = prepared.survey_round
    is_partner = survey_round.kind == Round.Kind.PARTNER
    submission_id, payload_hash = prepared.submission_id, prepared.payload_hash
    earlier = _orm_existing(submission_id, payload_hash)
    if earlier is not None:
        return earlier
    at = submitted_at or timezone.now()
    if enforce_dates and not survey_round.is_open(at):
        raise DomainError("closed")
    try:
        with sqlite_writer(), transaction.atomic():
            respondent = None
            earlier_answers = None
            if not is_partner:
                respondent, new = Respondent.objects.select_for_update().get_or_create(
                    activity_id=survey_round.activity_id, code_hash=prepared.hashed
                )
                if respondent.withdrawn_at is not None:
                    raise service._withdrawn()
                if not new:
                    earlier_answers = (
                        Response.objects.filter(round=survey_round, respondent=respondent)
                        .order_by("-submitted_at", "-id")
                        .first()
                    )
            if earlier_answers is not None and earlier_answers.submission_id == submission_id:
                if earlier_answers.payload_hash != payload_hash:
                    raise service._conflict()
                return service.Submission(earlier_answers, created=False)
            if earlier_answers is not None and not replaces:
                raise service.answered_already()
            response = service._response(prepared, respondent=respondent, at=at, source=source)
            if earlier_answers is not None:
                response.pk = earlier_answers.pk
            response.full_clean(
                exclude=["round", "respondent", "instrument_version"], validate_unique=False
            )
            response.save(force_update=earlier_answers is not None)
            audit_record(
                actor=actor,
                action="impact.response_replace" if earlier_answers else "impact.response_submit",
                target=response,
                changes={"round": survey_round.pk, "source": source},
            )
            # the refresh and the webhook: the service's own step (the deliveries are compared)
            service._announce(response, new=earlier_answers is None, counted=respondent is not None)
    except IntegrityError:
        earlier = _orm_existing(submission_id, payload_hash)
        if earlier is None:
            raise
        return earlier
    if earlier_answers is not None:
        return service.Submission(response, created=False, replaced=True)
    return service.Submission(response, created=True)


# -- the scenario and the normalised dump ------------------------------------------------


def _body(survey_round: Round, submission_id: str, code: str, **answers: Any) -> dict[str, Any]:
    return {
        "submission_id": submission_id,
        "language": "es",
        "consent_version": survey_round.instrument.consent_version,
        "matching_code": code,
        "answers": answers or {"t4_conflict": 4, "gender": "woman"},
    }


def scenario(post_round: Round, partner_round: Round) -> list[Any]:
    """Every outcome of a submission, through the API and the service; what each answered."""
    client = Client()
    url = f"{API}/public/rounds/{post_round.token}/responses"
    partner_url = f"{API}/public/rounds/{partner_round.token}/responses"
    first, second, third = (str(uuid.UUID(int=number)) for number in (1, 2, 3))
    outcomes: list[Any] = []

    def post(target: str, body: dict[str, Any]) -> None:
        answer = client.post(target, body, content_type="application/json")
        outcomes.append((answer.status_code, answer.json().get("created")))

    post(url, _body(post_round, first, "AB12CD"))  # new: 201
    post(url, _body(post_round, first, "AB12CD"))  # identical: 200
    post(url, _body(post_round, first, "AB12CD", t4_conflict=1))  # other content: 409
    post(url, _body(post_round, second, "AB12CD", t4_conflict=2))  # same person: replaced, 200
    post(url, _body(post_round, third, "EF34GH", t4_conflict=5))  # another person: 201
    post(url, _body(post_round, str(uuid.uuid4()), "EF34GH", t4_conflict=9))  # invalid: 400
    post(partner_url, {**_body(partner_round, str(uuid.UUID(int=4)), ""), "answers": {}})
    try:  # an import's row: one response per respondent and round
        response_submit(
            survey_round=post_round,
            submission_id=uuid.UUID(int=5),
            language="fr",
            answers={"t4_conflict": 3},
            matching_code="EF34GH",
            consent_version=post_round.instrument.consent_version,
            replaces=False,
        )
    except DomainError as error:
        outcomes.append(("refused", error.field))
    respondent_withdraw(activity=post_round.activity, matching_code="EF34GH")
    post(url, _body(post_round, str(uuid.UUID(int=6)), "EF34GH"))  # withdrawn: 400
    return outcomes


def _time(value: Any) -> str | None:
    return None if value is None else "set"


def dump(since: int) -> dict[str, Any]:
    """The rows a submission touches, as comparable values: ids become positions."""
    respondents = {
        pk: n for n, pk in enumerate(Respondent.objects.order_by("id").values_list("id", flat=True))
    }
    responses = {
        pk: n for n, pk in enumerate(Response.objects.order_by("id").values_list("id", flat=True))
    }
    rows: dict[str, Any] = {
        "respondents": [
            (r.activity_id, r.code_hash, _time(r.created_at), _time(r.withdrawn_at))
            for r in Respondent.objects.order_by("id")
        ],
        "responses": [
            (
                r.round_id,
                respondents.get(r.respondent_id) if r.respondent_id else None,
                str(r.submission_id),
                r.instrument_version_id,
                r.language,
                _time(r.submitted_at),
                json.dumps(r.answers, sort_keys=True),
                json.dumps(r.then_answers, sort_keys=True),
                r.payload_hash,
                r.consent_version,
                r.sensitive_consent,
                r.source,
                r.harm_status,
                r.harm_reviewed_at,
                r.harm_reviewed_by_id,
                r.harm_note,
            )
            for r in Response.objects.order_by("id")
        ],
        "audit": [
            (
                e.actor_id,
                e.actor_label,
                e.action,
                e.target_type,
                responses.get(int(e.target_id))
                if e.target_type == "impact.response"
                else e.target_type,
                e.target_label if e.target_type == "impact.response" else "",
                json.dumps(e.changes, sort_keys=True),
                e.ip_address,
                _time(e.at),
            )
            for e in AuditEvent.objects.filter(id__gt=since).order_by("id")
        ],
        "deliveries": [
            (d.subscription_id, d.event, json.dumps(d.payload, sort_keys=True), d.state, d.attempts)
            for d in WebhookDelivery.objects.order_by("id")
        ],
        "snapshots": list(AnalyticsSnapshot.objects.values_list("campaign_id", "status")),
    }
    return rows


def _forget(since: int) -> None:
    WebhookDelivery.objects.all().delete()
    Response.objects.all().delete()
    Respondent.objects.all().delete()
    AnalyticsSnapshot.objects.all().delete()
    AuditEvent.objects.filter(id__gt=since).delete()


@pytest.fixture
def partner_round(post_round: Round) -> Round:
    now = timezone.now()
    return round_open(
        actor=None,
        activity=post_round.activity,
        kind=Round.Kind.PARTNER,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )


@pytest.fixture
def subscribed(post_round: Round) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        organisation_id=post_round.activity.host_organisation_id,
        url="https://hooks.example.org/in",
        events=[WebhookEvent.RESPONSE_RECEIVED],
        secret="s" * 64,
    )


def _run(
    path: Callable[..., service.Submission],
    post_round: Round,
    partner_round: Round,
    since: int,
    monkeypatch: pytest.MonkeyPatch,
    capture: Any,
) -> tuple[list[Any], dict[str, Any]]:
    with monkeypatch.context() as patch:
        patch.setattr(service, "_store", path)
        with capture(execute=True):
            outcomes = scenario(post_round, partner_round)
    return outcomes, dump(since)


def test_plain_statements_store_what_the_orm_stored(
    post_round: Round,
    partner_round: Round,
    subscribed: WebhookSubscription,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = DUMMY_TASKS
    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    args = (post_round, partner_round, since, monkeypatch, django_capture_on_commit_callbacks)
    orm_outcomes, orm_rows = _run(orm_store, *args)
    _forget(since)
    outcomes, rows = _run(service._store, *args)
    assert outcomes == orm_outcomes
    assert outcomes == [
        (201, True),
        (200, False),
        (409, None),
        (200, False),
        (201, True),
        (400, None),
        (201, True),
        ("refused", "matching_code"),
        (400, None),
    ]
    assert rows == orm_rows
    # what the comparison covers: two people (one withdrawn), three responses (one replaced
    # in place), an audit event per write, one delivery per new response, the queued refresh
    assert len(rows["respondents"]) == 2
    assert rows["respondents"][1][3] == "set"
    assert len(rows["responses"]) == 3
    assert [event[2] for event in rows["audit"]] == [
        "impact.response_submit",
        "impact.response_replace",
        "impact.response_submit",
        "impact.response_submit",
        "impact.respondent_withdraw",
    ]
    assert len(rows["deliveries"]) == 3
    assert rows["snapshots"] == [(post_round.activity.campaign_id, "queued")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("webhook", [False, True], ids=["no-webhook", "webhook"])
def test_one_statement_for_a_new_respondent_stores_what_the_orm_stored(
    post_round: Round,
    partner_round: Round,
    webhook: bool,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Outside a transaction (as a server runs), PostgreSQL stores a new respondent's
    submission by one statement (``submission_rows.first_response_write``) unless the host
    subscribes to new responses; either way the rows and answers are the ORM's."""
    if connection.vendor != "postgresql":
        pytest.skip("one statement on PostgreSQL; SQLite writes in its queued transaction")
    settings.TASKS = DUMMY_TASKS
    if webhook:
        WebhookSubscription.objects.create(
            organisation_id=post_round.activity.host_organisation_id,
            url="https://hooks.example.org/in",
            events=[WebhookEvent.RESPONSE_RECEIVED],
            secret="s" * 64,
        )
    # another organisation's subscription, and one to other events, deliver nothing
    WebhookSubscription.objects.create(
        organisation_id=post_round.activity.host_organisation_id,
        url="https://hooks.example.org/other",
        events=["report.published"],
        secret="s" * 64,
    )
    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    args = (post_round, partner_round, since, monkeypatch, django_capture_on_commit_callbacks)
    orm_outcomes, orm_rows = _run(orm_store, *args)
    _forget(since)
    done: list[tuple[bool, bool]] = []
    real = submission_rows.first_response_write

    def recorded(*given: Any, **named: Any) -> Any:
        first = real(*given, **named)
        done.append((first.known is not None, first.response is not None))
        return first

    monkeypatch.setattr(submission_rows, "first_response_write", recorded)
    outcomes, rows = _run(service._store, *args)
    assert outcomes == orm_outcomes
    assert rows == orm_rows
    assert len(rows["responses"]) == 3
    assert len(rows["deliveries"]) == (3 if webhook else 0)
    # (a known submission id, stored by the statement) for each submission of a respondent to
    # the open round: new, identical copy, conflicting copy, the same person again, another
    # person, the import's row, the withdrawn code (the invalid one never gets this far)
    new = not webhook
    assert done == [
        (False, new),
        (True, False),
        (True, False),
        (False, False),
        (False, new),
        (False, False),
        (False, False),
    ]


def test_the_returned_response_is_the_stored_row(post_round: Round) -> None:
    stored = response_submit(
        survey_round=post_round,
        submission_id=uuid.uuid4(),
        language="fr",
        answers={"t4_conflict": 4},
        matching_code="AB12CD",
        consent_version=post_round.instrument.consent_version,
    ).response
    fresh = Response.objects.get(pk=stored.pk)
    for field in Response._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(fresh, field.attname), field.name
    assert not stored._state.adding


# -- concurrent identical submissions, each thread with its own connection ---------------


@pytest.fixture
def open_round(campaign: Any, make_activity: Callable[..., Any]) -> Round:
    from peaceworks.impact.services import framework_install_default

    framework_install_default(actor=None, campaign=campaign)
    now = timezone.now()
    return round_open(
        actor=None,
        activity=make_activity(),
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )


def _race(survey_round: Round, bodies: list[dict[str, Any]]) -> list[Any]:
    """Send ``bodies`` at once, one thread (and connection) each; their answers."""
    url = f"{API}/public/rounds/{survey_round.token}/responses"
    barrier = threading.Barrier(len(bodies))
    answers: list[Any] = [None] * len(bodies)

    def send(index: int) -> None:
        try:
            barrier.wait()
            answer = Client().post(url, bodies[index], content_type="application/json")
            answers[index] = answer.status_code
        except Exception as error:  # noqa: BLE001 -- every failure in a thread is reported
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submissions_store_one(open_round: Round, settings: Any) -> None:
    settings.TASKS = DUMMY_TASKS
    body = _body(open_round, str(uuid.uuid4()), "AB12CD")
    answers = _race(open_round, [body] * 12)
    assert sorted(answers) == [200] * 11 + [201]
    assert Response.objects.count() == 1
    assert Respondent.objects.count() == 1
    assert AuditEvent.objects.filter(action="impact.response_submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_conflicting_copies_store_one_and_answer_409(
    open_round: Round, settings: Any
) -> None:
    settings.TASKS = DUMMY_TASKS
    submission_id = str(uuid.uuid4())
    bodies = [
        _body(open_round, submission_id, "AB12CD", t4_conflict=1 + index % 2) for index in range(8)
    ]
    answers = _race(open_round, bodies)
    assert answers.count(201) == 1
    assert set(answers) <= {200, 201, 409}
    stored = Response.objects.get()
    winner = stored.answers["t4_conflict"]
    # every copy with the winner's content was 200 or 201, every other one 409
    assert answers.count(409) == sum(
        1 for body in bodies if body["answers"]["t4_conflict"] != winner
    )
    assert Respondent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_person_leave_one_response(
    open_round: Round, settings: Any
) -> None:
    settings.TASKS = DUMMY_TASKS
    bodies = [
        _body(open_round, str(uuid.uuid4()), "AB12CD", t4_conflict=1 + n % 5) for n in range(8)
    ]
    answers = _race(open_round, bodies)
    assert answers.count(201) == 1
    assert answers.count(200) == 7
    # the latest wins: one response for the person, replaced in place by each later copy
    assert Response.objects.count() == 1
    assert Respondent.objects.count() == 1
    assert AuditEvent.objects.filter(action="impact.response_replace").count() == 7
