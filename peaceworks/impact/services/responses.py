"""The idempotent submission, withdrawal, and the harm review of free-text answers."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, user_of
from peaceworks.campaigns.models import Activity
from peaceworks.core.audit import audit_record, audit_record_targets, audit_target_values
from peaceworks.core.errors import Conflict, DomainError
from peaceworks.core.text import forbidden_character
from peaceworks.core.writers import sqlite_writer
from peaceworks.directory.models import WebhookEvent
from peaceworks.directory.services.webhooks import webhook_emit
from peaceworks.impact import submission_rows as rows
from peaceworks.impact.models import (
    FollowUpContact,
    Question,
    QuotableAnswer,
    Respondent,
    Response,
    ResponseAttachment,
    Round,
)
from peaceworks.impact.pseudonyms import check_code, code_hash
from peaceworks.impact.relevance import (
    MAX_REPEAT_INSTANCES,
    OTHER,
    OTHER_SUFFIX,
    accepts_other,
    relevance_holds,
    repeat_of,
)
from peaceworks.impact.routing import instrument_questions, routed_questions
from peaceworks.impact.selectors import activity_theme_ids, harm_review_check
from peaceworks.impact.services.analytics import analytics_refresh_soon

MAX_TEXT = 2000
#: a time of day as browsers and ODK Collect send it (``14:05``, ``14:05:00.000+03:00``)
TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$")
#: (every question of the round's instrument, the questions it asks) for one sensitive consent
Routing = tuple[list[Question], list[Question]]


@dataclass(frozen=True)
class Submission:
    response: Response
    #: False when an identical earlier submission was returned instead
    created: bool
    #: True when the respondent's earlier answers to the round were replaced (latest wins)
    replaced: bool = False


def clean_value(question: Question, value: Any, *, sensitive_consent: bool) -> Any:
    """The stored form of one answer, or DomainError naming the question."""
    if value is None or value == "" or value == []:
        return None
    kind = question.kind

    def bad() -> DomainError:
        return DomainError(
            _("The answer to %(code)s is not valid.") % {"code": question.code},
            field=question.code,
        )

    if kind == Question.Kind.AGREEMENT:
        if isinstance(value, str) and value in {"dk", "na"}:
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise bad() from None
        if isinstance(value, float | bool) or not 1 <= number <= 5:
            raise bad()
        return number
    if kind == Question.Kind.NUMBER:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise bad() from None
        if isinstance(value, bool):
            raise bad()
        low = question.min_value if question.min_value is not None else -(10**9)
        high = question.max_value if question.max_value is not None else 10**9
        if not low <= number <= high:
            raise bad()
        return number
    allowed = {
        str(choice["value"])
        for choice in question.choices
        if sensitive_consent or not choice.get("sensitive", False)
    }
    if accepts_other(question):
        allowed.add(OTHER)
    sensitive_values = {str(c["value"]) for c in question.choices if c.get("sensitive", False)}
    if kind == Question.Kind.SINGLE:
        if str(value) in sensitive_values and not sensitive_consent:
            return None
        if str(value) not in allowed:
            raise bad()
        return str(value)
    if kind == Question.Kind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        kept = []
        for item in values:
            if str(item) in sensitive_values and not sensitive_consent:
                continue  # not stored without its own consent
            if str(item) not in allowed:
                raise bad()
            if str(item) not in kept:
                kept.append(str(item))
        return kept or None
    text = str(value).strip()
    if len(text) > MAX_TEXT or forbidden_character(text) is not None:
        raise bad()
    if question.code == "residence_country":
        text = text.upper()
        if len(text) != 2 or not text.isalpha():
            raise bad()
    if text and not _well_formed(kind, text):
        raise bad()
    return text or None


def _well_formed(kind: str, text: str) -> bool:
    """Whether a date, time or date-and-time answer reads as one (other kinds: True)."""
    if kind == Question.Kind.DATE:
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
        return True
    if kind == Question.Kind.TIME:
        return TIME.match(text) is not None
    if kind == Question.Kind.DATETIME:
        try:
            return parse_datetime(text) is not None
        except ValueError:  # well formed but impossible, like 2027-02-30T10:00
            return False
    return True


def clean_answers(
    *,
    questions: list[Question],
    answers: dict[str, Any],
    sensitive_consent: bool,
    all_questions: list[Question] | None = None,
) -> dict[str, Any]:
    """Validated answers for the routed ``questions``.

    Codes of questions the round does not ask are refused; sensitive questions and choices
    are dropped silently without their consent; skip logic drops answers not asked.
    """
    by_code = {question.code: question for question in questions}
    # the text of an "other" choice (XLSForm ``or_other``): ``<code>_other``
    others = {
        question.code + OTHER_SUFFIX: question.code
        for question in questions
        if accepts_other(question) and question.code + OTHER_SUFFIX not in by_code
    }
    # sensitive questions left out for lack of consent are skipped, not refused
    skipped = {
        question.code
        for question in all_questions or []
        if question.is_sensitive and not sensitive_consent
    }
    # every instance of an XLSForm repeat (from ODK Collect): ``<repeat name>: [{code: …}]``
    repeats: dict[str, dict[str, Question]] = {}
    for question in questions:
        name = repeat_of(question)
        if name and name not in by_code:
            repeats.setdefault(name, {})[question.code] = question
    cleaned: dict[str, Any] = {}
    for code in answers:
        if (
            code not in by_code
            and code not in skipped
            and code not in others.keys() | repeats.keys()
        ):
            raise DomainError(
                _("The question %(code)s is not asked in this survey.") % {"code": code},
                field=code,
            )
    for code, question in by_code.items():
        if question.is_sensitive and not sensitive_consent:
            continue
        cleaned[code] = clean_value(
            question, answers.get(code), sensitive_consent=sensitive_consent
        )
    for code, question in by_code.items():
        if not relevance_holds(question.relevant, cleaned):
            cleaned[code] = None
    for name, members in repeats.items():
        if name in answers:
            instances = _instances(
                name, answers[name], members, sensitive_consent=sensitive_consent
            )
            if instances:
                cleaned[name] = instances
    for other, code in others.items():
        chosen = cleaned.get(code)
        text = _other_text(other, answers.get(other))
        if text and (chosen == OTHER or (isinstance(chosen, list) and OTHER in chosen)):
            cleaned[other] = text
    return {code: value for code, value in cleaned.items() if code in answers or value is not None}


def _instances(
    name: str, value: Any, members: dict[str, Question], *, sensitive_consent: bool
) -> list[dict[str, Any]]:
    """The instances of the repeat ``name``, each answer checked as its question's."""
    if not isinstance(value, list) or len(value) > MAX_REPEAT_INSTANCES:
        raise DomainError(_("The answers to %(code)s are not valid.") % {"code": name}, field=name)
    instances = []
    for instance in value:
        if not isinstance(instance, dict):
            raise DomainError(
                _("The answers to %(code)s are not valid.") % {"code": name}, field=name
            )
        kept: dict[str, Any] = {}
        for code, answer in instance.items():
            question = members.get(code)
            if question is None:
                raise DomainError(
                    _("The question %(code)s is not asked in this survey.") % {"code": code},
                    field=name,
                )
            if question.is_sensitive and not sensitive_consent:
                continue
            kept[code] = clean_value(question, answer, sensitive_consent=sensitive_consent)
        kept = {code: answer for code, answer in kept.items() if answer is not None}
        if kept:
            instances.append(kept)
    return instances


def _other_text(code: str, value: Any) -> str | None:
    """The text given with an "other" choice, checked as a text answer."""
    if value is None or isinstance(value, list | dict):
        return None
    text = str(value).strip()
    if len(text) > MAX_TEXT or forbidden_character(text) is not None:
        raise DomainError(_("The answer to %(code)s is not valid.") % {"code": code}, field=code)
    return text or None


def asks_retrospective(survey_round: Round, matching_code: str) -> bool:
    """Whether the round asks the "then" block of this respondent.

    Rounds of short activities always do; the post round of a longer activity does for a
    volunteer who missed the pre survey, so their baseline is the retrospective one (flagged
    by the analytics as such).
    """
    if survey_round.uses_retrospective:
        return True
    if survey_round.kind != Round.Kind.POST or not matching_code:
        return False
    hashed = code_hash(activity_id=survey_round.activity_id, code=matching_code)
    return rows.pre_survey_missed(activity_id=survey_round.activity_id, code_hash=hashed)


def _payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _existing(submission_id: uuid.UUID, payload_hash: str) -> Submission | None:
    return _copy_or_conflict(rows.known_submission(submission_id), payload_hash)


def _copy_or_conflict(known: tuple[int, str] | None, payload_hash: str) -> Submission | None:
    """The answer to a submission whose id was stored before as ``known`` (id, payload hash):
    the stored response for an identical copy, Conflict for other content; None if unknown."""
    if known is None:
        return None
    if known[1] != payload_hash:
        raise _conflict()
    return Submission(Response.objects.get(pk=known[0]), created=False)


def _conflict() -> Conflict:
    return Conflict(
        _(
            "These answers were already sent with different content. Reload the survey "
            "to start a new submission."
        )
    )


def answered_already() -> DomainError:
    return DomainError(
        _(
            "This respondent has already answered this round: a file may hold one response "
            "per respondent and round."
        ),
        field="matching_code",
    )


def _withdrawn() -> DomainError:
    return DomainError(
        _("Answers given with this code were withdrawn; no more can be added."),
        field="matching_code",
    )


@dataclass(frozen=True)
class _Prepared:
    """One submission checked and cleaned, not yet stored (see :func:`_prepare`)."""

    survey_round: Round
    questions: list[Question]
    submission_id: uuid.UUID
    payload_hash: str
    hashed: str
    language: str
    cleaned: dict[str, Any]
    then_cleaned: dict[str, Any]
    consent_version: str
    sensitive_consent: bool
    quote_consent: bool = False


def round_routing(survey_round: Round, *, sensitive_consent: bool) -> Routing:
    """(every question of the round's instrument, the questions it asks) for one consent."""
    all_questions = instrument_questions(survey_round.instrument)
    theme_ids = activity_theme_ids(survey_round.activity)
    asked = routed_questions(
        all_questions,
        theme_ids=theme_ids,
        sensitive_consent=sensitive_consent,
        omitted=survey_round.omitted_questions,
    )
    return all_questions, asked


def _prepare(
    *,
    survey_round: Round,
    submission_id: uuid.UUID,
    language: str,
    answers: dict[str, Any],
    then_answers: dict[str, Any] | None,
    matching_code: str,
    consent_version: str,
    sensitive_consent: bool,
    routing: dict[bool, Routing] | None = None,
    quote_consent: bool = False,
) -> _Prepared:
    """Every check of a submission that needs no write; DomainError names the field.

    ``routing`` caches the round's questions per sensitive consent across the rows of an import.
    """
    instrument = survey_round.instrument
    if consent_version != instrument.consent_version:
        raise DomainError(
            _("Please read and accept the current consent text first."), field="consent_version"
        )
    if language not in (instrument.languages or ["en"]):
        raise DomainError(_("This survey is not available in that language."), field="language")
    # a round that asks no sensitive item stores none, whatever the respondent ticked
    sensitive_consent = sensitive_consent and survey_round.asks_sensitive_items
    routed = routing.get(sensitive_consent) if routing is not None else None
    if routed is None:
        routed = round_routing(survey_round, sensitive_consent=sensitive_consent)
        if routing is not None:
            routing[sensitive_consent] = routed
    all_questions, questions = routed
    cleaned = clean_answers(
        questions=questions,
        answers=answers,
        sensitive_consent=sensitive_consent,
        all_questions=all_questions,
    )
    then_cleaned: dict[str, Any] = {}
    if then_answers:
        if not asks_retrospective(survey_round, matching_code):
            raise DomainError(_("This round has no retrospective block."), field="then_answers")
        then_cleaned = clean_answers(
            questions=[q for q in questions if q.in_retrospective],
            answers=then_answers,
            sensitive_consent=sensitive_consent,
        )
    is_partner = survey_round.kind == Round.Kind.PARTNER
    hashed = ""
    if not is_partner:
        check_code(matching_code)
        hashed = code_hash(activity_id=survey_round.activity_id, code=matching_code)
    payload: dict[str, Any] = {
        "round": survey_round.pk,
        "respondent": hashed,
        "language": language,
        "answers": cleaned,
        "then": then_cleaned,
        "consent": consent_version,
        "sensitive": sensitive_consent,
    }
    if quote_consent:  # only when given, so submissions stored before keep their hash
        payload["quote"] = True
    payload_hash = _payload_hash(payload)
    return _Prepared(
        survey_round=survey_round,
        questions=questions,
        submission_id=submission_id,
        payload_hash=payload_hash,
        hashed=hashed,
        language=language,
        cleaned=cleaned,
        then_cleaned=then_cleaned,
        consent_version=consent_version,
        sensitive_consent=sensitive_consent,
        quote_consent=quote_consent,
    )


def response_submit(
    *,
    survey_round: Round,
    submission_id: uuid.UUID,
    language: str,
    answers: dict[str, Any],
    then_answers: dict[str, Any] | None = None,
    matching_code: str = "",
    consent_version: str,
    sensitive_consent: bool = False,
    source: str = Response.Source.WEB,
    submitted_at: datetime | None = None,
    enforce_dates: bool = True,
    actor: Actor = None,
    routing: dict[bool, Routing] | None = None,
    replaces: bool = True,
    quote_consent: bool = False,
) -> Submission:
    """Store one submission exactly once.

    Identical resubmission (same ``submission_id`` and content) returns the stored response
    with ``created=False``; different content under the same id raises Conflict (409).
    A respondent answers a round once: a new submission (another id) with a code that already
    answered the round replaces those answers in place — the latest wins, as the analytics
    pair the latest answers — and returns ``created=False, replaced=True``; with
    ``replaces=False`` (imports: a file holds one response per respondent and round) it
    raises DomainError instead.
    Raises DomainError for a closed round, missing consent, a bad matching code, a withdrawn
    code or an invalid answer. Sensitive items are dropped without ``sensitive_consent``.
    ``quote_consent``: the respondent agreed that their written answers may be quoted in
    reports (without name or code); a replacement drops the earlier answers' quotable marks.
    ``routing`` is the round's routing already computed by the caller (keyed by sensitive
    consent). On SQLite the write waits its turn in :func:`sqlite_writer`'s queue; a database
    still busy after that raises OperationalError (answered 503 with Retry-After).
    """
    prepared = _prepare(
        survey_round=survey_round,
        submission_id=submission_id,
        language=language,
        answers=answers,
        then_answers=then_answers,
        matching_code=matching_code,
        consent_version=consent_version,
        sensitive_consent=sensitive_consent,
        routing=routing,
        quote_consent=quote_consent,
    )
    return _store(
        prepared,
        source=source,
        submitted_at=submitted_at,
        enforce_dates=enforce_dates,
        actor=actor,
        replaces=replaces,
    )


def _is_harm(prepared: _Prepared) -> bool:
    return any(
        q.is_harm_report and q.kind == Question.Kind.TEXT and prepared.cleaned.get(q.code)
        for q in prepared.questions
    )


def _response(
    prepared: _Prepared, *, respondent: Respondent | None, at: datetime, source: str
) -> Response:
    return Response(
        round=prepared.survey_round,
        respondent=respondent,
        submission_id=prepared.submission_id,
        instrument_version=prepared.survey_round.instrument,
        language=prepared.language,
        submitted_at=at,
        answers=prepared.cleaned,
        then_answers=prepared.then_cleaned,
        payload_hash=prepared.payload_hash,
        consent_version=prepared.consent_version,
        sensitive_consent=prepared.sensitive_consent,
        quote_consent=prepared.quote_consent,
        source=source,
        harm_status=Response.HarmStatus.PENDING if _is_harm(prepared) else Response.HarmStatus.NONE,
    )


def _store(
    prepared: _Prepared,
    *,
    source: str,
    submitted_at: datetime | None,
    enforce_dates: bool,
    actor: Actor,
    replaces: bool,
) -> Submission:
    """Write a checked submission (``submission_rows``): on PostgreSQL outside a transaction, a
    new respondent's by one statement; otherwise a few statements in one transaction."""
    survey_round = prepared.survey_round
    is_partner = survey_round.kind == Round.Kind.PARTNER
    submission_id, payload_hash = prepared.submission_id, prepared.payload_hash
    at = submitted_at or timezone.now()
    # PostgreSQL outside a transaction (as a server runs): most submissions, a new
    # respondent's, are checked and stored by one statement (submission_rows.first_response_write)
    one_statement = (
        not is_partner
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and (not enforce_dates or survey_round.is_open(at))
    )
    if not one_statement:
        earlier = _existing(submission_id, payload_hash)
        if earlier is not None:
            return earlier
    if enforce_dates and not survey_round.is_open(at):
        raise DomainError(
            _("This survey is not open at the moment: it runs from %(opens)s to %(closes)s.")
            % {
                "opens": survey_round.opens_at.date().isoformat(),
                "closes": survey_round.closes_at.date().isoformat(),
            }
        )
    response = _response(prepared, respondent=None, at=at, source=source)
    _check_fields(response)
    try:
        if one_statement:
            first = rows.first_response_write(
                response,
                activity_id=survey_round.activity_id,
                code_hash=prepared.hashed,
                at=at,
                organisation_id=survey_round.activity.host_organisation_id,
                audit=audit_target_values(
                    actor=actor,
                    action="impact.response_submit",
                    target_type=Response._meta.label_lower,
                    changes={"round": survey_round.pk, "source": source},
                ),
            )
            earlier = _copy_or_conflict(first.known, payload_hash)
            if earlier is not None:
                return earlier
            if first.response is not None:
                # the statement found no subscription to deliver to
                _announce(first.response, new=True, counted=True, webhooks=False)
                return Submission(first.response, created=True)
            # a known respondent, or a webhook to deliver: the transaction's way
        # on SQLite, wait for the turn to write in a queue rather than in the busy handler
        with sqlite_writer(), transaction.atomic():
            earlier_answers = None
            if not is_partner:
                # on PostgreSQL locked, so two submissions of one respondent take turns
                person = rows.respondent_claim(
                    activity_id=survey_round.activity_id, code_hash=prepared.hashed, at=at
                )
                if person.withdrawn:
                    raise _withdrawn()
                response.respondent_id = person.pk
                if not person.new:
                    earlier_answers = rows.earlier_response(
                        round_id=survey_round.pk, respondent_id=person.pk
                    )
            if earlier_answers is not None and earlier_answers.submission_id == (
                rows.submission_id_value(submission_id)
            ):
                # a concurrent copy of this very submission was stored while we waited
                if earlier_answers.payload_hash != payload_hash:
                    raise _conflict()
                return Submission(Response.objects.get(pk=earlier_answers.pk), created=False)
            if earlier_answers is not None and not replaces:
                raise answered_already()
            if earlier_answers is not None:
                # a coordinator marked the earlier words, with the earlier consent
                QuotableAnswer.objects.filter(response_id=earlier_answers.pk).delete()
            # the latest answers replace the earlier ones in place
            rows.response_write(response, replaces=earlier_answers.pk if earlier_answers else None)
            audit_record_targets(
                actor=actor,
                action="impact.response_replace" if earlier_answers else "impact.response_submit",
                target_type=Response._meta.label_lower,
                targets=[(response.pk, str(response))],
                changes={"round": survey_round.pk, "source": source},
            )
            _announce(response, new=earlier_answers is None, counted=not is_partner)
    except IntegrityError:
        # a concurrent copy of the same submission won the race
        earlier = _existing(submission_id, payload_hash)
        if earlier is None:
            raise
        return earlier
    if earlier_answers is not None:
        return Submission(response, created=False, replaced=True)
    return Submission(response, created=True)


def _announce(response: Response, *, new: bool, counted: bool, webhooks: bool = True) -> None:
    """After a response is written: a refresh of the figures when it counts in them (pre and
    post rounds, a respondent), and the ``response.received`` webhook when it is new (unless
    ``webhooks`` is False: the write already found no subscription to it)."""
    survey_round = response.round
    if counted and survey_round.kind in ("pre", "post"):
        analytics_refresh_soon(campaign_id=survey_round.activity.campaign_id)
    if new and webhooks:
        webhook_emit(
            event=WebhookEvent.RESPONSE_RECEIVED,
            organisation_ids=[survey_round.activity.host_organisation_id],
            payload={
                "round_id": survey_round.pk,
                "round_kind": survey_round.kind,
                "activity_id": survey_round.activity_id,
                "submission_id": str(response.submission_id),
                "source": response.source,
            },
        )


def _check_fields(response: Response) -> None:
    """The model's own checks of the response's fields (lengths, choices) before the insert.

    The round, its instrument and the respondent were just read or written in this
    transaction: checking that they exist would be three more queries.
    """
    response.full_clean(
        exclude=["round", "respondent", "instrument_version"], validate_unique=False
    )


@transaction.atomic
def respondent_withdraw(*, activity: Activity | None, matching_code: str) -> Respondent | None:
    """Withdraw the respondent whose code this is: their answers leave every later figure.

    Returns None when the activity (None: unknown) has no such respondent. Both cases do the
    same work (a keyed hash and one query), so callers can answer them alike.
    """
    activity_id = activity.pk if activity is not None else 0
    hashed = code_hash(activity_id=activity_id, code=matching_code)
    respondent = (
        Respondent.objects.select_for_update()
        .filter(activity_id=activity_id, code_hash=hashed)
        .first()
    )
    if respondent is None or activity is None:
        return None
    if respondent.withdrawn_at is None:
        respondent.withdrawn_at = timezone.now()
        respondent.save(update_fields=["withdrawn_at"])
        # photos and recordings can show who answered: they go with the consent
        ResponseAttachment.objects.filter(response__respondent=respondent).delete()
        # an address given for a reminder goes with the consent too
        FollowUpContact.objects.filter(respondent=respondent).delete()
        audit_record(actor=None, action="impact.respondent_withdraw", target=respondent)
        analytics_refresh_soon(campaign_id=activity.campaign_id)
    return respondent


@transaction.atomic
def harm_review(*, actor: Actor, response: Response, note: str) -> Response:
    """Mark a flagged free-text answer as reviewed, with the reviewer's note (network staff
    and the host's coordinators: ``harm_review_check``)."""
    harm_review_check(user=actor, response=response)
    if response.harm_status != Response.HarmStatus.PENDING:
        raise DomainError(_("This answer is not waiting for review."))
    response.harm_status = Response.HarmStatus.REVIEWED
    response.harm_reviewed_at = timezone.now()
    response.harm_reviewed_by = user_of(actor)
    response.harm_note = note.strip()
    response.save(
        update_fields=["harm_status", "harm_reviewed_at", "harm_reviewed_by", "harm_note"]
    )
    audit_record(actor=actor, action="impact.harm_review", target=response)
    return response
