from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from peaceworks.campaigns.models import Activity
from peaceworks.core.errors import Conflict, DomainError
from peaceworks.impact.models import Framework, Instrument, Question, Respondent, Response, Round
from peaceworks.impact.pseudonyms import build_code, code_hash
from peaceworks.impact.routing import routed_questions
from peaceworks.impact.services import (
    design_rule,
    framework_install_default,
    instrument_publish,
    question_save,
    respondent_withdraw,
    response_submit,
    rounds_open_default,
)

CODE = "MA07LY"


def submit(survey_round: Round, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "survey_round": survey_round,
        "submission_id": uuid.uuid4(),
        "language": "fr",
        "answers": {"t1_knowledge": 4, "c_teamwork": 5},
        "matching_code": CODE,
        "consent_version": survey_round.instrument.consent_version,
    }
    values.update(overrides)
    return response_submit(**values)


def test_default_framework_has_every_theme_block_and_three_languages(framework: Framework) -> None:
    assert framework.outcomes.count() == 8
    codes = set(framework.indicators.values_list("code", flat=True))
    assert {"i1_knowledge", "i4_intercultural", "ic_self_efficacy", "volunteers"} <= codes
    post = framework.instruments.get(role=Instrument.Role.V_POST)
    assert post.is_published
    for question in post.questions.all():
        assert set(question.text) == {"en", "fr", "es"}, question.code
    demographic = set(post.questions.values_list("code", flat=True))
    assert {"gender", "age_band", "fewer_opportunities", "role", "attribution"} <= demographic


def test_installing_twice_keeps_one_framework(framework: Framework) -> None:
    assert framework_install_default(actor=None, campaign=framework.campaign) == framework
    assert Framework.objects.count() == 1


def test_design_rule_gives_pre_post_to_long_and_retrospective_to_short(
    framework: Framework, make_activity: Callable[..., Activity]
) -> None:
    long, short = make_activity(days=14), make_activity(days=3)
    assert [kind for kind, _ in design_rule(long)] == ["pre", "post", "partner"]
    assert design_rule(short) == [("post", True), ("partner", False)]
    rounds = rounds_open_default(actor=None, activity=short)
    post = next(r for r in rounds if r.kind == Round.Kind.POST)
    assert post.uses_retrospective
    assert rounds_open_default(actor=None, activity=short) == []


def test_same_submission_posted_twice_stores_one_response(post_round: Round) -> None:
    submission_id = uuid.uuid4()
    first = submit(post_round, submission_id=submission_id)
    second = submit(post_round, submission_id=submission_id)
    assert first.created
    assert not second.created
    assert second.response.pk == first.response.pk
    assert Response.objects.count() == 1


def test_conflicting_resubmission_is_refused(post_round: Round) -> None:
    submission_id = uuid.uuid4()
    submit(post_round, submission_id=submission_id)
    with pytest.raises(Conflict):
        submit(post_round, submission_id=submission_id, answers={"t1_knowledge": 2})
    assert Response.objects.get().answers["t1_knowledge"] == 4


def test_response_outside_round_dates_is_refused(post_round: Round) -> None:
    with pytest.raises(DomainError, match="not open"):
        submit(post_round, submitted_at=post_round.closes_at + timedelta(minutes=1))
    assert not Response.objects.exists()


def test_round_never_asks_modules_of_themes_the_activity_lacks(post_round: Round) -> None:
    questions = routed_questions(
        post_round.instrument.questions.all(),
        theme_ids=post_round.activity.themes.values_list("pk", flat=True),
    )
    codes = {q.code for q in questions}
    assert "t1_knowledge" in codes
    assert "t4_conflict" in codes
    assert not any(code.startswith(("t2_", "t3_", "t5_")) for code in codes)
    with pytest.raises(DomainError, match="t3_recognise"):
        submit(post_round, answers={"t3_recognise": 4})


def test_sensitive_items_are_not_stored_without_their_consent(post_round: Round) -> None:
    answers = {"fewer_opportunities": ["disability", "economic"], "gender": "woman"}
    without = submit(post_round, answers=answers).response
    assert without.answers["fewer_opportunities"] == ["economic"]
    with_consent = submit(
        post_round, answers=answers, sensitive_consent=True, matching_code="XX01YY"
    ).response
    assert with_consent.answers["fewer_opportunities"] == ["disability", "economic"]


def test_withdrawn_respondent_disappears_from_counts(post_round: Round) -> None:
    submit(post_round)
    submit(post_round, matching_code="ZZ12QQ")
    assert Response.objects.counted().count() == 2
    respondent_withdraw(activity=post_round.activity, matching_code="ma-07 ly")
    assert Response.objects.counted().count() == 1
    assert Respondent.objects.active().count() == 1
    with pytest.raises(DomainError):
        submit(post_round)


def test_only_a_keyed_hash_of_the_code_is_stored(post_round: Round) -> None:
    submit(post_round)
    respondent = Respondent.objects.get()
    assert CODE not in respondent.code_hash
    assert respondent.code_hash == code_hash(activity_id=post_round.activity_id, code=CODE)
    assert build_code(parent_letters="Mä", birth_day="7", place_letters="ly") == "MA07LY"


def test_invalid_agreement_value_is_refused(post_round: Round) -> None:
    with pytest.raises(DomainError, match="t1_knowledge"):
        submit(post_round, answers={"t1_knowledge": 9})


def test_retrospective_answers_are_kept_only_in_retrospective_rounds(
    framework: Framework, make_activity: Callable[..., Activity]
) -> None:
    short = make_activity(days=3)
    rounds = rounds_open_default(actor=None, activity=short)
    post = next(r for r in rounds if r.kind == Round.Kind.POST)
    post.opens_at = timezone.now() - timedelta(days=1)
    post.save()
    result = submit(post, then_answers={"t1_knowledge": 2}, answers={"t1_knowledge": 4})
    assert result.response.then_answers == {"t1_knowledge": 2}


def test_only_agreement_questions_are_asked_again_in_the_retrospective_block(
    post_round: Round,
) -> None:
    fields: dict[str, Any] = {
        "actor": None,
        "instrument": post_round.instrument,
        "block": Question.Block.COMPETENCE,
        "text": {"en": "Before the camp"},
        "in_retrospective": True,
    }
    with pytest.raises(DomainError, match="retrospective") as refused:
        question_save(code="c_story", kind=Question.Kind.TEXT, **fields)
    assert refused.value.field == "in_retrospective"
    question = question_save(code="c_before", kind=Question.Kind.AGREEMENT, **fields)
    assert question.in_retrospective


def test_editing_a_published_instrument_creates_a_new_version(post_round: Round) -> None:
    instrument = post_round.instrument
    question = question_save(
        actor=None,
        instrument=instrument,
        code="c_extra",
        kind=Question.Kind.AGREEMENT,
        block=Question.Block.COMPETENCE,
        text={"en": "New", "fr": "Nouveau", "es": "Nuevo"},
    )
    assert question.instrument.version == 2
    assert not instrument.questions.filter(code="c_extra").exists()
    instrument_publish(actor=None, instrument=question.instrument)
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.RETIRED


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_copies_store_one_response(
    campaign: Any, make_activity: Callable[..., Activity], settings: Any
) -> None:
    # Idempotency is under test, not the analytics refresh each commit queues: with the
    # immediate backend twenty refreshes would run in the threads and fight for the tables.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    framework_install_default(actor=None, campaign=campaign)
    activity = make_activity()
    now = timezone.now()
    from peaceworks.impact.services import round_open

    survey_round = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    submission_id = uuid.uuid4()
    barrier = threading.Barrier(20)
    results: list[Any] = []
    errors: list[Exception] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(submit(survey_round, submission_id=submission_id))
        except Exception as error:  # noqa: BLE001 -- every failure in a thread is reported
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(1 for result in results if result.created) == 1
    assert Response.objects.filter(submission_id=submission_id).count() == 1
    assert Respondent.objects.count() == 1


def test_install_command_gives_a_campaign_the_default_framework(campaign: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("impact_install_framework", campaign.code, stdout=out)
    assert "indicators" in out.getvalue()
    assert Framework.objects.filter(campaign=campaign).exists()
    with pytest.raises(CommandError):
        call_command("impact_install_framework", "nope", stdout=out)


def test_switched_off_items_are_never_asked_nor_stored(
    framework: Framework, make_activity: Callable[..., Activity]
) -> None:
    from peaceworks.impact.services import round_open

    activity = make_activity(themes=(3,))
    now = timezone.now()
    survey_round = round_open(
        actor=None,
        activity=activity,
        kind=Round.Kind.POST,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        omitted_questions=["t3_bodily_autonomy", Round.NO_SENSITIVE_ITEMS],
    )
    with pytest.raises(DomainError, match="t3_bodily_autonomy"):
        submit(survey_round, answers={"t3_bodily_autonomy": 5})
    stored = submit(
        survey_round,
        answers={"t3_recognise": 4, "fewer_opportunities": ["health", "social"]},
        sensitive_consent=True,
    ).response
    assert stored.answers["fewer_opportunities"] == ["social"]
    assert stored.sensitive_consent is False
    with pytest.raises(DomainError, match="nope"):
        round_open(actor=None, activity=activity, kind=Round.Kind.PRE, omitted_questions=["nope"])
