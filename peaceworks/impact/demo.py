"""The impact part of the demo: the default framework, rounds for the demo campaign's
activities and synthetic responses with realistic rates and a small true effect per theme.

Deterministic (everything is drawn from the given ``random.Random``) and idempotent: a
campaign that already holds demo responses is left alone. Does nothing when the ``rpc``
campaign of the campaigns demo is absent.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.core.audit import audit_record
from peaceworks.impact.default_framework.blocks import STORY_QUESTION
from peaceworks.impact.models import (
    Framework,
    Question,
    QuotableAnswer,
    Respondent,
    Response,
    Round,
)
from peaceworks.impact.pseudonyms import code_hash
from peaceworks.impact.routing import routed_questions
from peaceworks.impact.services import framework_install_default, round_open, rounds_open_default

CAMPAIGN_CODE = "rpc"
#: true mean change (scale points) per theme number; None = competence block
EFFECTS: dict[int | None, float] = {1: 0.35, 2: 0.12, 3: 0.25, 4: 0.45, 5: 0.2, None: 0.3}
#: people overrate themselves before the project; the retrospective answer corrects it
PRE_OVERRATING = 0.25
FOLLOW_UP_SHARE = 0.4
#: what some respondents write in the free-text question; a few agree to being quoted and a
#: coordinator marked some of those, so the demo report has selected stories
STORIES = (
    "I had never spoken with a refugee before. Now two of them are my friends and we still "
    "write to each other every week.",
    "Building the playground with the neighbours showed me that people who disagree on "
    "everything can still share a shovel and a laugh.",
    "I learned to ask before I help. The women of the village knew exactly what they needed.",
    "Our group spoke five languages and we still found a way to decide together.",
    "I was shy at home. Leading the evening discussion about rights was the first time I "
    "spoke in front of forty people.",
    "The host community invited us back. That says more than any certificate.",
    "I understood that peace is also cleaning a river bank with people you did not choose.",
    "We were tired and hot, but the children's drawings on the new wall made every day worth it.",
)
STORY_SHARE = 0.15
QUOTE_CONSENT_SHARE = 0.7
MARKED_SHARE = 0.4


@dataclass(frozen=True)
class ImpactDemo:
    framework: Framework | None
    rounds: int
    responses: int


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _person(rng: random.Random) -> dict[str, Any]:
    fewer = rng.random() < 0.28
    categories = ["economic", "geographical", "social", "cultural", "education", "health"]
    return {
        "level": rng.gauss(3.0, 0.7),
        "gender": rng.choices(
            ["woman", "man", "non_binary", "self_describe", "prefer_not"], [55, 38, 4, 1, 2]
        )[0],
        "age_band": rng.choices(["under_18", "18_25", "26_30", "31_plus"], [8, 60, 20, 12])[0],
        "role": rng.choices(["international", "local", "camp_leader"], [62, 30, 8])[0],
        "residence_country": rng.choice(["FR", "ES", "DE", "IT", "KE", "PE", "MA", "UA", "GB"]),
        "first_experience": rng.choice(["yes", "yes", "no"]),
        "fewer_opportunities": rng.sample(categories, rng.randint(1, 2)) if fewer else ["none"],
        "sensitive_consent": rng.random() < 0.7,
        "fewer": fewer,
    }


def _answers(
    rng: random.Random,
    questions: list[Question],
    person: dict[str, Any],
    *,
    moment: str,
) -> dict[str, Any]:
    """Answers at ``moment`` (pre / then / post / fu / partner) for one person."""
    answers: dict[str, Any] = {}
    for question in questions:
        if question.kind == Question.Kind.AGREEMENT:
            if rng.random() < 0.04:
                answers[question.code] = None  # don't know
                continue
            theme = question.theme.number if question.theme else None
            effect = EFFECTS.get(theme, 0.0) * (0.7 if person["fewer"] else 1.0)
            level = person["level"] + rng.gauss(0, 0.6)
            if moment == "pre":
                level += PRE_OVERRATING
            elif moment in {"post", "fu", "partner"}:
                level += effect * (0.7 if moment == "fu" else 1.0) + rng.gauss(0, 0.3)
            if question.code == "attribution":
                level = 3.4 + rng.gauss(0, 0.9)
            answers[question.code] = _clamp(level)
        elif question.kind == Question.Kind.SINGLE:
            if question.code in person:
                answers[question.code] = person[question.code]
            elif question.code == "i_harm":
                answers[question.code] = "yes" if rng.random() < 0.03 else "no"
            else:
                answers[question.code] = rng.choice(question.choice_values())
        elif question.kind == Question.Kind.MULTIPLE:
            if question.code == "fewer_opportunities":
                values = [v for v in person[question.code] if v != "health"]
                if person["sensitive_consent"] and "health" in person[question.code]:
                    values.append("health")
                answers[question.code] = values or ["none"]
            else:
                choices = [v for v in question.choice_values() if v != "none"]
                answers[question.code] = rng.sample(choices, rng.randint(1, 2))
        elif question.kind == Question.Kind.NUMBER:
            answers[question.code] = rng.randint(5, 120)
        elif question.code == "residence_country":
            answers[question.code] = person["residence_country"]
        elif question.code == "i_harm_text" and answers.get("i_harm") == "yes":
            answers[question.code] = rng.choice(
                [
                    "Some jokes about accents in the group hurt a volunteer.",
                    "A neighbour complained that the work blocked the path to the school.",
                ]
            )
    return answers


def _add_stories(
    responses: list[Response], questions_by_instrument: dict[int, list[Question]]
) -> list[Response]:
    """Give some post and partner responses a written story (and some a consent to being
    quoted), drawn from each response's own generator so the figures' draws stay as they
    were; returns the responses a coordinator marked quotable."""
    asks_story = {
        instrument_id
        for instrument_id, questions in questions_by_instrument.items()
        if any(question.code == STORY_QUESTION for question in questions)
    }
    marked = []
    for response in responses:
        if response.round.instrument_id not in asks_story:
            continue
        own = random.Random(response.submission_id.int)
        if own.random() >= STORY_SHARE:
            continue
        response.answers[STORY_QUESTION] = own.choice(STORIES)
        response.quote_consent = own.random() < QUOTE_CONSENT_SHARE
        if response.quote_consent and own.random() < MARKED_SHARE:
            marked.append(response)
    return marked


def _at(rng: random.Random, survey_round: Round) -> datetime:
    """A moment inside the round (the demo campaign may lie in the future: it is a story)."""
    # most answers come in the first days of a round
    span = min((survey_round.closes_at - survey_round.opens_at).total_seconds(), 7 * 24 * 3600.0)
    return survey_round.opens_at + timedelta(seconds=rng.uniform(0, span))


def seed(rng: random.Random) -> ImpactDemo:
    campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
    if campaign is None:
        return ImpactDemo(framework=None, rounds=0, responses=0)
    framework = framework_install_default(actor=None, campaign=campaign)
    if Response.objects.filter(
        source=Response.Source.DEMO, round__activity__campaign=campaign
    ).exists():
        return ImpactDemo(
            framework, Round.objects.filter(instrument__framework=framework).count(), 0
        )
    activities = list(
        Activity.objects.filter(campaign=campaign)
        .exclude(status=Activity.Status.CANCELLED)
        .prefetch_related("themes")
        .order_by("code")
    )
    rounds_by_activity: dict[int, list[Round]] = {}
    for activity in activities:
        rounds = rounds_open_default(actor=None, activity=activity)
        if activity.duration_days >= 7 and rng.random() < FOLLOW_UP_SHARE:
            rounds.append(round_open(actor=None, activity=activity, kind=Round.Kind.FOLLOW_UP))
        rounds_by_activity[activity.pk] = list(
            Round.objects.filter(activity=activity).select_related("instrument")
        )
    questions_by_instrument: dict[int, list[Question]] = {}
    for question in Question.objects.filter(instrument__framework=framework).select_related(
        "theme"
    ):
        questions_by_instrument.setdefault(question.instrument_id, []).append(question)

    respondents: list[Respondent] = []
    pending: list[tuple[Respondent | None, Round, dict[str, Any], str]] = []
    for activity in activities:
        by_kind: dict[str, Round] = {r.kind: r for r in rounds_by_activity.get(activity.pk, [])}
        if not by_kind:
            continue
        theme_ids = [theme.pk for theme in activity.themes.all()]
        volunteers = activity.international_volunteers + activity.local_volunteers
        pre_rate = rng.uniform(0.3, 0.6)
        post_rate = rng.uniform(0.6, 0.9)
        # the volunteer surveys go to the registered volunteers only: local participants
        # (neighbours, pupils) speak through the partner form, so the response rate over the
        # registered volunteers stays a share (see docs/statistics.md, "Response rate")
        for number in range(volunteers):
            person = _person(rng)
            answered_pre = Round.Kind.PRE in by_kind and rng.random() < pre_rate
            # people who answered the pre survey answer the post one more often
            answered_post = Round.Kind.POST in by_kind and rng.random() < (
                min(0.97, post_rate + 0.15) if answered_pre else post_rate
            )
            answered_fu = Round.Kind.FOLLOW_UP in by_kind and rng.random() < 0.2
            if not (answered_pre or answered_post or answered_fu):
                continue
            respondent = Respondent(
                activity=activity,
                code_hash=code_hash(activity_id=activity.pk, code=f"DEMO{number:04d}"),
            )
            respondents.append(respondent)
            for kind, answered, moment in (
                (Round.Kind.PRE, answered_pre, "pre"),
                (Round.Kind.POST, answered_post, "post"),
                (Round.Kind.FOLLOW_UP, answered_fu, "fu"),
            ):
                if not answered:
                    continue
                survey_round = by_kind[kind]
                questions = routed_questions(
                    questions_by_instrument[survey_round.instrument_id],
                    theme_ids=theme_ids,
                    sensitive_consent=person["sensitive_consent"],
                )
                payload: dict[str, Any] = {
                    "answers": _answers(rng, questions, person, moment=moment),
                    "sensitive": person["sensitive_consent"],
                }
                if survey_round.uses_retrospective:
                    retro = [q for q in questions if q.in_retrospective]
                    payload["then"] = _answers(rng, retro, person, moment="then")
                pending.append((respondent, survey_round, payload, "en"))
        partner = by_kind.get(Round.Kind.PARTNER)
        if partner is not None and rng.random() < rng.uniform(0.5, 0.8):
            questions = routed_questions(
                questions_by_instrument[partner.instrument_id], theme_ids=theme_ids
            )
            person = _person(rng)
            payload = {"answers": _answers(rng, questions, person, moment="partner")}
            pending.append((None, partner, payload, "en"))
    Respondent.objects.bulk_create(respondents, batch_size=1000)
    responses = []
    for who, survey_round, payload, language in pending:
        answers = payload["answers"]
        harm = bool(answers.get("i_harm_text"))
        submission_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        responses.append(
            Response(
                round=survey_round,
                respondent=who,
                submission_id=submission_id,
                instrument_version=survey_round.instrument,
                language=rng.choice(["en", "en", "fr", "es"]) if who else language,
                submitted_at=_at(rng, survey_round),
                answers=answers,
                then_answers=payload.get("then", {}),
                payload_hash=hashlib.sha256(str(submission_id).encode()).hexdigest(),
                consent_version=survey_round.instrument.consent_version,
                sensitive_consent=bool(payload.get("sensitive", False)),
                source=Response.Source.DEMO,
                harm_status=Response.HarmStatus.PENDING if harm else Response.HarmStatus.NONE,
            )
        )
    marked = _add_stories(responses, questions_by_instrument)
    Response.objects.bulk_create(responses, batch_size=1000)
    QuotableAnswer.objects.bulk_create(
        [QuotableAnswer(response=response, question_code=STORY_QUESTION) for response in marked]
    )
    audit_record(
        actor=None,
        action="impact.demo_seed",
        target=framework,
        changes={"respondents": len(respondents), "responses": len(responses)},
    )
    round_count = Round.objects.filter(instrument__framework=framework).count()
    return ImpactDemo(framework=framework, rounds=round_count, responses=len(responses))
