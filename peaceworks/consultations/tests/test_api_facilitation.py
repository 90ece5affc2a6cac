"""The facilitators' API: moderating statements, promoting contributions, linking statements
and themes to the strategy, and importing a Pol.is export through the shared upload mechanism.
Each with the three personas (network coordinator, member organisation coordinator, someone
outside the network), a bad input answered with problem+json, and Idempotency-Key on creates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from peaceworks.campaigns.hooks import strategy_links
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Moderation,
    Statement,
    StrategyLink,
    SynthesisRun,
    Vote,
)
from peaceworks.consultations.tests.test_polis import COMMENTS, EXPECTED, VOTES
from peaceworks.consultations.tests.test_polis import _zip as polis_zip
from peaceworks.core.models import PendingUpload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/consultations"
JSON = "application/json"


def _problem(response, status: int, code: str) -> Any:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    return body


# --- statement moderation -------------------------------------------------------------------


def test_facilitator_approves_a_submitted_statement_and_members_then_vote_on_it(
    make_consultation, network_coordinator, org_coordinator, stakeholder, client_for
):
    consultation = make_consultation()
    member = client_for(org_coordinator)
    submitted = member.post(
        f"{BASE}/consultations/{consultation.slug}/statements",
        {"text": "Every member should host a volunteer."},
        content_type=JSON,
    ).json()
    assert submitted["moderation"] == "pending"
    url = f"{BASE}/consultations/{consultation.slug}/statements/{submitted['id']}/moderation"
    _problem(member.post(url, {"state": "approved"}, content_type=JSON), 403, "forbidden")
    _problem(
        client_for(stakeholder).post(url, {"state": "approved"}, content_type=JSON),
        404,
        "not_found",
    )
    assert Statement.objects.get(pk=submitted["id"]).moderation == Moderation.PENDING
    staff = client_for(network_coordinator)
    body = _problem(staff.post(url, {"state": "maybe"}, content_type=JSON), 422, "invalid")
    assert body["field"] == "state"
    approved = staff.post(url, {"state": "approved"}, content_type=JSON)
    assert approved.status_code == 200
    assert approved.json()["moderation"] == "approved"
    voted = member.post(
        f"{BASE}/consultations/{consultation.slug}/votes",
        {"statement_id": submitted["id"], "value": 1},
        content_type=JSON,
    )
    assert voted.status_code == 200
    rejected = staff.post(url, {"state": "rejected"}, content_type=JSON)
    assert rejected.json()["moderation"] == "rejected"
    other = make_consultation()
    wrong = f"{BASE}/consultations/{other.slug}/statements/{submitted['id']}/moderation"
    _problem(staff.post(wrong, {"state": "approved"}, content_type=JSON), 404, "not_found")


# --- promotion -----------------------------------------------------------------------------


def _contribution(consultation: Consultation, moderation: str) -> Contribution:
    return Contribution.objects.create(
        prompt=consultation.prompts.get(),
        text="Housing cooperatives keep volunteers in the towns they serve.",
        language="en",
        moderation=moderation,
    )


def test_facilitator_promotes_a_contribution_once_per_idempotency_key(
    make_consultation, network_coordinator, org_coordinator, stakeholder, client_for
):
    consultation = make_consultation()
    contribution = _contribution(consultation, Moderation.PENDING)
    url = f"{BASE}/consultations/{consultation.slug}/contributions/{contribution.pk}/statements"
    before = Statement.objects.count()
    _problem(client_for(org_coordinator).post(url, {}, content_type=JSON), 403, "forbidden")
    _problem(client_for(stakeholder).post(url, {}, content_type=JSON), 404, "not_found")
    assert Statement.objects.count() == before
    staff = client_for(network_coordinator)
    first = staff.post(url, {}, content_type=JSON, headers={"Idempotency-Key": "promote-1"})
    assert first.status_code == 201
    again = staff.post(url, {}, content_type=JSON, headers={"Idempotency-Key": "promote-1"})
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    statement = Statement.objects.get(pk=first.json()["id"])
    assert statement.origin == Statement.Origin.PROMOTED
    assert statement.moderation == Moderation.APPROVED
    assert statement.source == contribution
    assert statement.text == contribution.text
    assert Statement.objects.count() == before + 1
    contribution.refresh_from_db()
    assert contribution.moderation == Moderation.APPROVED  # promoting approves it
    shorter = staff.post(url, {"text": "Housing keeps volunteers."}, content_type=JSON)
    assert shorter.json()["text"] == "Housing keeps volunteers."


def test_a_rejected_contribution_cannot_be_promoted(
    make_consultation, network_coordinator, client_for
):
    consultation = make_consultation()
    contribution = _contribution(consultation, Moderation.REJECTED)
    url = f"{BASE}/consultations/{consultation.slug}/contributions/{contribution.pk}/statements"
    before = Statement.objects.count()
    body = _problem(
        client_for(network_coordinator).post(url, {}, content_type=JSON), 400, "bad_request"
    )
    assert body["field"] == "contribution"
    assert "rejected" in body["detail"]
    assert Statement.objects.count() == before


# --- links into the strategy --------------------------------------------------------------


def _themes_run(consultation: Consultation, actor) -> None:
    SynthesisRun.objects.create(
        consultation=consultation,
        kind=SynthesisRun.Kind.THEMES,
        state=SynthesisRun.State.DONE,
        requested_by=actor,
        result={
            "themes": [{"key": "housing+volunteering", "labels": {"en": "Housing · Volunteering"}}],
            "near_duplicates": [],
        },
    )


def test_statement_and_theme_become_strategy_items_linked_both_ways(
    make_consultation,
    network_coordinator,
    org_coordinator,
    stakeholder,
    client_for,
    reflection,
):
    consultation = make_consultation()
    _themes_run(consultation, network_coordinator)
    statement = consultation.statements.first()
    url = f"{BASE}/consultations/{consultation.slug}/strategy-links"
    payload = {"statement_id": statement.pk, "target": "reflection", "target_id": reflection.pk}
    _problem(client_for(org_coordinator).post(url, payload, content_type=JSON), 403, "forbidden")
    _problem(client_for(stakeholder).post(url, payload, content_type=JSON), 404, "not_found")
    assert not StrategyLink.objects.exists()
    staff = client_for(network_coordinator)
    created = staff.post(url, payload, content_type=JSON, headers={"Idempotency-Key": "link-1"})
    assert created.status_code == 201
    replay = staff.post(url, payload, content_type=JSON, headers={"Idempotency-Key": "link-1"})
    assert replay.json() == created.json()
    assert StrategyLink.objects.count() == 1
    assert created.json()["target"] == "reflection"
    assert created.json()["target_id"] == reflection.pk
    theme = staff.post(
        url,
        {"theme_key": "housing+volunteering", "target": "reflection", "target_id": reflection.pk},
        content_type=JSON,
    )
    assert theme.status_code == 201
    assert theme.json()["theme_label"] == "Housing · Volunteering"
    labels = [link.label for link in strategy_links(user=org_coordinator, item=reflection)]
    assert labels == [
        f"{consultation.title} / {statement.text}",
        f"{consultation.title} / Housing · Volunteering",
    ]
    listed = staff.get(url).json()
    assert [row["id"] for row in listed] == [created.json()["id"], theme.json()["id"]]
    _problem(client_for(org_coordinator).get(url), 403, "forbidden")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"theme_key": "nowhere"}, "theme_key"),
        ({}, "source"),
        ({"theme_key": "housing+volunteering", "statement_id": "first"}, "source"),
    ],
)
def test_bad_strategy_link_names_the_field_and_stores_nothing(
    make_consultation, network_coordinator, client_for, reflection, payload, field
):
    consultation = make_consultation()
    _themes_run(consultation, network_coordinator)
    if payload.get("statement_id") == "first":
        payload = {**payload, "statement_id": consultation.statements.first().pk}
    response = client_for(network_coordinator).post(
        f"{BASE}/consultations/{consultation.slug}/strategy-links",
        {**payload, "target": "reflection", "target_id": reflection.pk},
        content_type=JSON,
    )
    assert _problem(response, 400, "bad_request")["field"] == field
    assert not StrategyLink.objects.exists()


def test_link_to_a_missing_strategy_item_is_refused(
    make_consultation, network_coordinator, client_for
):
    consultation = make_consultation()
    response = client_for(network_coordinator).post(
        f"{BASE}/consultations/{consultation.slug}/strategy-links",
        {
            "statement_id": consultation.statements.first().pk,
            "target": "objective",
            "target_id": 999_999,
        },
        content_type=JSON,
    )
    assert _problem(response, 400, "bad_request")["field"] == "target"
    assert not StrategyLink.objects.exists()


# --- the Pol.is import ----------------------------------------------------------------------


def _zip(files: dict[str, str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("polis.zip", polis_zip(files), content_type="application/zip")


def test_polis_export_is_previewed_then_imported_once(
    network_coordinator, org_coordinator, stakeholder, client_for
):
    staff = client_for(network_coordinator)
    export = polis_zip({"comments.csv": COMMENTS, "votes.csv": VOTES})

    def upload() -> Any:
        return staff.post(
            f"{BASE}/imports",
            {"file": SimpleUploadedFile("polis.zip", export), "slug": "from-polis"},
            headers={"Idempotency-Key": "polis-1"},
        )

    created = upload()
    assert created.status_code == 201, created.content
    preview = created.json()
    assert preview["status"] == "previewed"
    assert preview["summary"] == {"created": 3}
    assert preview["errors"] == []
    assert not Consultation.objects.filter(slug="from-polis").exists()
    replay = upload()  # the same file again with the same key: the first answer
    assert replay.status_code == 201, replay.content
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == preview
    assert PendingUpload.objects.count() == 1
    detail = f"{BASE}/imports/{preview['id']}"
    assert staff.get(detail).json() == preview
    for outsider, status, code in (
        (org_coordinator, 404, "not_found"),
        (stakeholder, 404, "not_found"),
    ):
        _problem(client_for(outsider).post(f"{detail}/confirm"), status, code)
    confirmed = staff.post(f"{detail}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "imported"
    assert confirmed.json()["consultation"] == "from-polis"
    consultation = Consultation.objects.get(slug="from-polis")
    for comment_id, (agree, disagree, passes) in EXPECTED.items():
        votes = Vote.objects.filter(
            statement__consultation=consultation, statement__external_id=comment_id
        )
        assert sorted(v.value for v in votes) == sorted(
            [1] * agree + [-1] * disagree + [0] * passes
        )
    _problem(staff.post(f"{detail}/confirm"), 409, "conflict")
    assert Consultation.objects.filter(slug="from-polis").count() == 1


def test_malformed_polis_export_names_file_row_and_column_and_imports_nothing(
    network_coordinator, client_for
):
    staff = client_for(network_coordinator)
    bad_votes = "timestamp,comment-id,voter-id,vote\n1,10,a,1\n2,10,b,yes\n"
    created = staff.post(
        f"{BASE}/imports",
        {"file": _zip({"comments.csv": COMMENTS, "votes.csv": bad_votes}), "slug": "broken"},
    )
    assert created.status_code == 201
    errors = created.json()["errors"]
    assert any(
        e["row"] == 3 and e["column"] == "vote" and e["message"].startswith("votes.csv")
        for e in errors
    ), errors
    confirmed = staff.post(f"{BASE}/imports/{created.json()['id']}/confirm")
    assert confirmed.json()["status"] == "failed"
    assert not Consultation.objects.filter(slug="broken").exists()
    not_zip = staff.post(
        f"{BASE}/imports",
        {"file": SimpleUploadedFile("polis.zip", b"not a zip"), "slug": "not-zip"},
    )
    assert _problem(not_zip, 400, "bad_request")["field"] == "file"
    bad_slug = staff.post(
        f"{BASE}/imports",
        {"file": _zip({"comments.csv": COMMENTS, "votes.csv": VOTES}), "slug": "no spaces"},
    )
    assert _problem(bad_slug, 422, "invalid")["field"] == "slug"
    assert PendingUpload.objects.filter(state=PendingUpload.State.PENDING).count() == 0


def test_polis_upload_is_for_facilitators(org_coordinator, stakeholder, client_for):
    upload = {"file": _zip({"comments.csv": COMMENTS, "votes.csv": VOTES}), "slug": "nope"}
    _problem(client_for(org_coordinator).post(f"{BASE}/imports", upload), 403, "forbidden")
    upload["file"].seek(0)
    _problem(client_for(stakeholder).post(f"{BASE}/imports", upload), 404, "not_found")
    upload["file"].seek(0)
    _problem(client_for(None).post(f"{BASE}/imports", upload), 401, "unauthenticated")
    assert not PendingUpload.objects.exists()
