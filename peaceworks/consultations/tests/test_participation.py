"""Contributing and voting: audience and phase refusals store nothing; unseen is not a pass;
moderated contributions stay out of synthesis and drafts."""

from __future__ import annotations

import math

import pytest

from peaceworks.consultations import analysis, services
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    ContributionRevision,
    Moderation,
    Participant,
    Vote,
)
from peaceworks.core.errors import DomainError
from peaceworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Contribution.objects.count(),
        Vote.objects.count(),
        Participant.objects.count(),
        AuditEvent.objects.count(),
    )


def test_member_contributes_in_spanish_and_it_waits_for_moderation(make_consultation, org_member):
    consultation = make_consultation()
    prompt = consultation.prompts.get()
    contribution = services.contribution_submit(
        actor=org_member,
        prompt=prompt,
        text="La paz necesita vivienda digna para todos los voluntarios de la red.",
        quote_consent=True,
    )
    assert contribution.language == "es"
    assert contribution.moderation == Moderation.PENDING
    assert contribution.organisation_id == org_member.memberships.get().organisation_id
    assert AuditEvent.objects.filter(action="contribution.submit").count() == 1


@pytest.mark.parametrize(
    "phase",
    [Consultation.Phase.DELIBERATION, Consultation.Phase.SYNTHESIS, Consultation.Phase.CLOSED],
)
def test_contribution_outside_the_open_phase_is_refused_and_nothing_stored(
    make_consultation, org_member, phase
):
    consultation = make_consultation(phase=phase)
    before = _counts()
    with pytest.raises(DomainError, match="does not take contributions"):
        services.contribution_submit(actor=org_member, prompt=consultation.prompts.get(), text="Hi")
    assert _counts() == before


def test_contribution_and_vote_outside_the_audience_are_refused(make_consultation, outsider):
    # The outsider's organisation is in Peru (Americas); the audience is Africa.
    consultation = make_consultation(audience=Consultation.Audience.REGIONS, regions=["002"])
    before = _counts()
    with pytest.raises(DomainError, match="not part of it"):
        services.contribution_submit(actor=outsider, prompt=consultation.prompts.get(), text="Hi")
    statement = consultation.statements.first()
    with pytest.raises(DomainError, match="not part of it"):
        services.vote_cast(actor=outsider, statement=statement, value=1)
    assert _counts() == before


def test_member_in_the_chosen_region_takes_part(make_consultation, org_member):
    consultation = make_consultation(audience=Consultation.Audience.REGIONS, regions=["002"])
    services.contribution_submit(actor=org_member, prompt=consultation.prompts.get(), text="Yes")
    assert Contribution.objects.count() == 1


def test_vote_after_the_phase_closed_is_refused(make_consultation, org_member):
    consultation = make_consultation(phase=Consultation.Phase.SYNTHESIS)
    before = _counts()
    with pytest.raises(DomainError, match="does not take votes"):
        services.vote_cast(actor=org_member, statement=consultation.statements.first(), value=1)
    assert _counts() == before


def test_latest_vote_wins_and_unseen_is_never_a_pass(
    make_consultation, org_member, org_coordinator
):
    consultation = make_consultation()
    first, second, third = consultation.statements.order_by("pk")
    services.vote_cast(actor=org_member, statement=first, value=1)
    services.vote_cast(actor=org_member, statement=first, value=-1)
    services.vote_cast(actor=org_member, statement=second, value=0)
    services.vote_cast(actor=org_coordinator, statement=third, value=1)
    assert Vote.objects.count() == 3
    matrix, participants, _statements = analysis.vote_matrix(consultation)
    row = [p.user_id for p in participants].index(org_member.pk)
    assert matrix[row, 0] == -1
    assert matrix[row, 1] == 0  # a pass is a pass
    assert math.isnan(matrix[row, 2])  # never seen: not a pass


def test_invalid_vote_value_is_refused(make_consultation, org_member):
    consultation = make_consultation()
    with pytest.raises(DomainError):
        services.vote_cast(actor=org_member, statement=consultation.statements.first(), value=2)
    assert Vote.objects.count() == 0


def test_public_link_without_account(make_consultation):
    consultation = make_consultation(audience=Consultation.Audience.PUBLIC_LINK)
    with pytest.raises(DomainError):
        services.contribution_submit(actor=None, prompt=consultation.prompts.get(), text="x")
    contribution = services.contribution_submit(
        actor=None,
        prompt=consultation.prompts.get(),
        text="Peace now",
        token=consultation.public_token,
    )
    assert contribution.anonymous
    assert contribution.author is None
    services.vote_cast(
        actor=None,
        statement=consultation.statements.first(),
        value=1,
        token=consultation.public_token,
        participant_token="abc",
    )
    assert Participant.objects.get().token == "abc"


def test_moderated_contributions_stay_out_of_synthesis_and_draft(
    make_consultation, org_member, network_coordinator, django_capture_on_commit_callbacks
):
    consultation = make_consultation()
    prompt = consultation.prompts.get()
    kept = services.contribution_submit(
        actor=org_member,
        prompt=prompt,
        text="Peace needs volunteers everywhere.",
        quote_consent=True,
    )
    rejected = services.contribution_submit(
        actor=org_member, prompt=prompt, text="Peace REJECTED-TEXT secret.", quote_consent=True
    )
    pending = services.contribution_submit(
        actor=org_member, prompt=prompt, text="Peace PENDING-TEXT.", quote_consent=True
    )
    services.contribution_moderate(actor=network_coordinator, contribution=kept, state="approved")
    services.contribution_moderate(
        actor=network_coordinator, contribution=rejected, state="rejected"
    )
    assert [c.pk for c in analysis.theme_inputs(consultation)] == [kept.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.synthesis_request(
            actor=network_coordinator, consultation=consultation, kind="themes"
        )
    run = consultation.synthesis_runs.get()
    assert run.state == "done", run.error
    members = {m for t in run.result["themes"] for m in t["members"]}
    assert members == {str(kept.pk)}
    draft = services.draft_generate(actor=network_coordinator, consultation=consultation)
    assert "Peace needs volunteers everywhere." in draft.body
    assert "REJECTED-TEXT" not in draft.body
    assert "PENDING-TEXT" not in draft.body
    assert pending.moderation == Moderation.PENDING


def test_edit_keeps_history_and_returns_to_moderation(
    make_consultation, org_member, network_coordinator
):
    consultation = make_consultation()
    contribution = services.contribution_submit(
        actor=org_member, prompt=consultation.prompts.get(), text="First text"
    )
    services.contribution_moderate(
        actor=network_coordinator, contribution=contribution, state="approved"
    )
    services.contribution_edit(actor=org_member, contribution=contribution, text="Second text")
    assert ContributionRevision.objects.get().text == "First text"
    contribution.refresh_from_db()
    assert contribution.moderation == Moderation.PENDING


def test_theme_edits_survive_a_rerun(
    make_consultation, org_member, network_coordinator, django_capture_on_commit_callbacks
):
    from peaceworks.consultations.tests.builders import approve_three_topics

    consultation = make_consultation()
    approve_three_topics(consultation, author=org_member, facilitator=network_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.synthesis_request(
            actor=network_coordinator, consultation=consultation, kind="themes"
        )
    first = consultation.synthesis_runs.get().result["themes"]
    assert len(first) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        services.theme_edit_add(
            actor=network_coordinator,
            consultation=consultation,
            kind="merge",
            theme_keys=[t["key"] for t in first[:2]],
            label="Homes and peace",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.synthesis_request(
            actor=network_coordinator, consultation=consultation, kind="themes", seed=0
        )
    latest = consultation.synthesis_runs.order_by("-pk").first()
    labels = [t["labels"]["en"] for t in latest.result["themes"]]
    assert "Homes and peace" in labels
    assert len(labels) == len(first) - 1


def test_same_seed_same_result(make_consultation, org_member, network_coordinator):
    consultation = make_consultation()
    for statement in consultation.statements.all():
        services.vote_cast(actor=org_member, statement=statement, value=1)
    first = analysis.run_groups(consultation, seed=3, progress=lambda _p: None)
    second = analysis.run_groups(consultation, seed=3, progress=lambda _p: None)
    assert first == second


def test_anonymous_contribution_keeps_no_name(make_consultation, org_member):
    consultation = make_consultation(allows_anonymous=True)
    contribution = services.contribution_submit(
        actor=org_member, prompt=consultation.prompts.get(), text="Quietly", anonymous=True
    )
    assert contribution.author is None
    assert contribution.organisation is None


def test_anonymous_contribution_refused_where_not_allowed(make_consultation, org_member):
    consultation = make_consultation(allows_anonymous=False)
    with pytest.raises(DomainError, match="anonymous"):
        services.contribution_submit(
            actor=org_member, prompt=consultation.prompts.get(), text="Quietly", anonymous=True
        )
    assert not Contribution.objects.exists()
