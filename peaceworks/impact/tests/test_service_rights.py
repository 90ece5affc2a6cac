"""The impact services check the actor themselves: a task, a command or a later app calling
them directly is refused as a page would be (docs/architecture.md, "Who checks permissions")."""

from __future__ import annotations

import uuid

import pytest

from peaceworks.accounts.models import User
from peaceworks.core.errors import Forbidden, NotFound
from peaceworks.impact.models import AnalyticsSnapshot, Framework, Response, Round
from peaceworks.impact.services import analytics_refresh_request, harm_review, response_submit
from peaceworks.impact.services.response_batches import (
    SubmissionColumns,
    responses_submit_columns,
)


def _flagged(survey_round: Round) -> Response:
    return response_submit(
        survey_round=survey_round,
        submission_id=uuid.uuid4(),
        language="en",
        answers={"i_harm": "yes", "i_harm_text": "A volunteer was mocked."},
        matching_code="HH01HH",
        consent_version=survey_round.instrument.consent_version,
    ).response


def test_harm_review_is_for_the_hosts_coordinators_and_network_staff(
    post_round: Round, org_member: User, outsider: User, org_coordinator: User
) -> None:
    response = _flagged(post_round)
    with pytest.raises(NotFound):
        harm_review(actor=outsider, response=response, note="x")
    with pytest.raises(Forbidden):
        harm_review(actor=org_member, response=response, note="x")
    response.refresh_from_db()
    assert response.harm_status == Response.HarmStatus.PENDING
    harm_review(actor=org_coordinator, response=response, note="Talked to the group.")
    response.refresh_from_db()
    assert response.harm_status == Response.HarmStatus.REVIEWED


def test_a_full_refresh_is_asked_by_staff_or_a_coordinator_only(
    framework: Framework, org_member: User, analyst: User, org_coordinator: User
) -> None:
    campaign = framework.campaign
    for reader in (org_member, analyst):
        with pytest.raises(Forbidden):
            analytics_refresh_request(actor=reader, campaign=campaign)
    assert not AnalyticsSnapshot.objects.filter(
        campaign=campaign, full_refresh_queued_at__isnull=False
    ).exists()
    assert analytics_refresh_request(actor=org_coordinator, campaign=campaign) is True


def _no_rows() -> SubmissionColumns:
    return SubmissionColumns(
        numbers=[],
        submission_ids=[],
        languages=[],
        consent_versions=[],
        sensitive_consents=[],
        matching_codes=[],
        submitted_at=[],
        answers={},
        then_answers={},
    )


def test_answer_columns_are_stored_by_who_may_write_to_the_round_only(
    post_round: Round, org_member: User, outsider: User, org_coordinator: User
) -> None:
    for actor, refused in ((outsider, NotFound), (org_member, Forbidden)):
        with pytest.raises(refused):
            responses_submit_columns(
                survey_round=post_round, data=_no_rows(), source="import", actor=actor
            )
    result = responses_submit_columns(
        survey_round=post_round, data=_no_rows(), source="import", actor=org_coordinator
    )
    assert (result.created, result.errors) == (0, [])
