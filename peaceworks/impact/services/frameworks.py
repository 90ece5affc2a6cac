"""Writes on frameworks, indicators, targets and instrument versions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.campaigns.models import Campaign
from peaceworks.core.audit import audit_record
from peaceworks.core.bulk import db_value, insert_rows
from peaceworks.core.errors import DomainError, Forbidden
from peaceworks.impact import default_framework as shipped
from peaceworks.impact.models import (
    SURVEY_LANGUAGES,
    Framework,
    Indicator,
    Instrument,
    Outcome,
    Question,
    Target,
)

ROLE_KEYS = {
    Instrument.Role.V_PRE: "pre",
    Instrument.Role.V_POST: "post",
    Instrument.Role.V_FU: "fu",
    Instrument.Role.P_POST: "partner",
}


def _require_network_staff(actor: Actor) -> None:
    """Frameworks and instruments are network-wide: network staff change them (pages and the
    API refuse others first). ``None`` is the system: the install command and the demo."""
    if actor is not None and not viewer_for(actor).is_network_staff:
        raise Forbidden


@transaction.atomic
def framework_install_default(*, actor: Actor, campaign: Campaign) -> Framework:
    """Give ``campaign`` the shipped framework and published v1 instruments.

    Idempotent: a campaign that already has a framework keeps it unchanged. Theme modules
    are attached to the campaign's themes numbered 1-5; a missing theme drops its module.
    """
    _require_network_staff(actor)
    existing = Framework.objects.filter(campaign=campaign).first()
    if existing is not None:
        return existing
    themes = {theme.number: theme for theme in campaign.themes.all()}
    framework = Framework(
        campaign=campaign, name=_("Impact framework: %(name)s") % {"name": campaign.name}
    )
    framework.source = shipped.SOURCE
    framework.full_clean()
    framework.save()
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            framework=framework,
            block=spec["block"],
            theme=themes.get(spec["theme"]) if spec["theme"] else None,
            code=spec["code"],
            name=spec["name"],
            order=order,
        )
        for order, spec in enumerate(shipped.OUTCOMES)
        if not spec["theme"] or spec["theme"] in themes  # a missing theme drops its module
    )
    shipped_rows = _shipped_rows(connection.vendor)
    indicators = [
        (framework.pk, outcome.pk, *row)
        for outcome in outcomes
        for row in shipped_rows.indicators[outcome.code]
    ]
    insert_rows(Indicator, INDICATOR_COLUMNS, indicators)
    now = timezone.now()
    instruments = Instrument.objects.bulk_create(
        Instrument(
            framework=framework,
            role=role,
            version=1,
            status=Instrument.Status.PUBLISHED,
            published_at=now,
            title=shipped.TITLES[role],
            consent_version=shipped.CONSENT_VERSION,
            consent_text=shipped.CONSENT,
            sensitive_consent_text=shipped.SENSITIVE_CONSENT,
            languages=list(SURVEY_LANGUAGES),
        )
        for role in ROLE_KEYS
    )
    theme_ids = {number: theme.pk for number, theme in themes.items()}
    insert_rows(
        Question,
        QUESTION_COLUMNS,
        [
            (instrument.pk, theme_ids.get(number) if number else None, *row)
            for instrument in instruments
            for number, row in shipped_rows.questions[ROLE_KEYS[Instrument.Role(instrument.role)]]
            if not number or number in theme_ids
        ],
    )
    audit_record(
        actor=actor,
        action="impact.framework_install_default",
        target=framework,
        changes={"campaign": campaign.code, "indicators": len(indicators)},
    )
    return framework


#: the columns of the shipped framework's indicators and questions that
#: :func:`framework_install_default` inserts; the first two are the framework and outcome (an
#: indicator's), the instrument and theme (a question's), the rest :func:`_shipped_rows`'.
INDICATOR_COLUMNS = (
    *("framework", "outcome", "code", "name", "kind", "unit", "direction", "aggregation"),
    *("source_questions", "output_key", "disaggregations", "order"),
)
QUESTION_COLUMNS = (
    *("instrument", "theme", "code", "order", "block", "kind", "text", "choices", "scale"),
    *("is_sensitive", "in_retrospective", "relevant", "is_harm_report", "min_value", "max_value"),
)


@dataclass(frozen=True)
class _ShippedRows:
    """The shipped framework's indicators (by their outcome's code) and questions (by role
    key, each with its theme's number), as database values without their first two columns."""

    indicators: dict[str, list[tuple[Any, ...]]]
    questions: dict[str, list[tuple[int | None, tuple[Any, ...]]]]


@cache
def _shipped_rows(vendor: str) -> _ShippedRows:
    """The shipped framework in the database's form, prepared once a process and database
    (every campaign gets the same rows; building and preparing 130 model instances was most
    of an install). ``vendor`` keys the cache: the values are the adapter's."""

    def prepared(
        model: type[models.Model], columns: tuple[str, ...], values: Any
    ) -> tuple[Any, ...]:
        return tuple(
            db_value(model, name, value) for name, value in zip(columns, values, strict=True)
        )

    indicators: dict[str, list[tuple[Any, ...]]] = {}
    for order, spec in enumerate(shipped.OUTCOMES):
        indicators[spec["code"]] = [
            prepared(
                Indicator,
                INDICATOR_COLUMNS[2:],
                (
                    item["code"],
                    item["name"],
                    item.get("kind", Indicator.Kind.OUTCOME),
                    item["unit"],
                    item.get("direction", Indicator.Direction.INCREASE),
                    item["aggregation"],
                    item["source_questions"],
                    item.get("output_key", ""),
                    item.get("disaggregations", shipped.DISAGGREGATIONS),
                    order * 100 + position,
                ),
            )
            for position, item in enumerate(spec["indicators"])
        ]
    questions: dict[str, list[tuple[int | None, tuple[Any, ...]]]] = {}
    for key in ROLE_KEYS.values():
        questions[key] = [
            (
                spec["theme"],
                prepared(
                    Question,
                    QUESTION_COLUMNS[2:],
                    (
                        spec["code"],
                        order,
                        spec["block"],
                        spec["kind"],
                        spec["text"],
                        spec.get("choices", []),
                        spec.get("scale", ""),
                        spec.get("sensitive", False),
                        bool(spec.get("then")) and key == "post",
                        spec.get("relevant", {}),
                        spec.get("harm", False),
                        spec.get("min_value"),
                        spec.get("max_value"),
                    ),
                ),
            )
            for order, spec in enumerate(shipped.QUESTIONS)
            if key in spec["roles"]
        ]
    return _ShippedRows(indicators=indicators, questions=questions)


@transaction.atomic
def indicator_save(
    *,
    actor: Actor,
    framework: Framework,
    code: str,
    name: dict[str, str],
    kind: str,
    aggregation: str,
    unit: str = "",
    direction: str = Indicator.Direction.INCREASE,
    outcome: Outcome | None = None,
    source_questions: list[str] | None = None,
    output_key: str = "",
    baseline: Decimal | None = None,
    disaggregations: list[str] | None = None,
) -> Indicator:
    """Create or update (by ``code``) an indicator of ``framework``."""
    _require_network_staff(actor)
    indicator = Indicator.objects.filter(framework=framework, code=code).first() or Indicator(
        framework=framework, code=code
    )
    indicator.name = name
    indicator.kind = kind
    indicator.aggregation = aggregation
    indicator.unit = unit
    indicator.direction = direction
    indicator.outcome = outcome
    indicator.source_questions = source_questions or []
    indicator.output_key = output_key
    indicator.baseline = baseline
    indicator.disaggregations = disaggregations or []
    if indicator.kind == Indicator.Kind.OUTCOME and not indicator.source_questions:
        raise DomainError(
            _("An outcome indicator needs at least one source question."),
            field="source_questions",
        )
    if indicator.kind == Indicator.Kind.OUTPUT and not indicator.output_key:
        raise DomainError(_("An output indicator needs an output key."), field="output_key")
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action="impact.indicator_save", target=indicator)
    return indicator


@transaction.atomic
def target_set(*, actor: Actor, indicator: Indicator, period: str, value: Decimal) -> Target:
    _require_network_staff(actor)
    target, _created = Target.objects.update_or_create(
        indicator=indicator, period=period, defaults={"value": value}
    )
    target.full_clean()
    audit_record(actor=actor, action="impact.target_set", target=target, changes={"value": value})
    return target


def _copy_instrument(instrument: Instrument) -> Instrument:
    latest = (
        Instrument.objects.filter(framework=instrument.framework, role=instrument.role)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    ) or instrument.version
    draft = Instrument.objects.create(
        framework=instrument.framework,
        role=instrument.role,
        version=latest + 1,
        status=Instrument.Status.DRAFT,
        title=instrument.title,
        intro=instrument.intro,
        consent_version=instrument.consent_version,
        consent_text=instrument.consent_text,
        sensitive_consent_text=instrument.sensitive_consent_text,
        languages=instrument.languages,
    )
    copies = []
    for question in instrument.questions.all():
        question.pk = None
        question.id = None
        question.instrument = draft
        copies.append(question)
    Question.objects.bulk_create(copies)
    return draft


@transaction.atomic
def instrument_edit(*, actor: Actor, instrument: Instrument) -> Instrument:
    """The draft to edit: ``instrument`` itself if a draft, else a new version copied from it.

    A published version is never changed, so answers keep the wording they were given in.
    """
    _require_network_staff(actor)
    if instrument.status == Instrument.Status.DRAFT:
        return instrument
    existing = Instrument.objects.filter(
        framework=instrument.framework, role=instrument.role, status=Instrument.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    draft = _copy_instrument(instrument)
    audit_record(
        actor=actor,
        action="impact.instrument_new_version",
        target=draft,
        changes={"from_version": instrument.version},
    )
    return draft


@transaction.atomic
def question_save(
    *,
    actor: Actor,
    instrument: Instrument,
    code: str,
    kind: str,
    block: str,
    text: dict[str, str],
    choices: list[dict[str, Any]] | None = None,
    order: int | None = None,
    theme_id: int | None = None,
    is_sensitive: bool = False,
    in_retrospective: bool = False,
    relevant: dict[str, Any] | None = None,
) -> Question:
    """Add or change (by ``code``) a question; on a published instrument, in a new version."""
    _require_network_staff(actor)
    draft = instrument_edit(actor=actor, instrument=instrument)
    question = Question.objects.filter(instrument=draft, code=code).first() or Question(
        instrument=draft, code=code
    )
    if order is None and question.pk is None:
        order = (draft.questions.count() + 1) * 10
    if order is not None:
        question.order = order
    question.kind = kind
    question.block = block
    question.text = {lang: value for lang, value in text.items() if value}
    question.choices = choices or []
    question.theme_id = theme_id
    question.is_sensitive = is_sensitive
    question.in_retrospective = in_retrospective
    question.relevant = relevant or {}
    if not question.text.get("en"):
        raise DomainError(_("A question needs at least its English text."), field="text")
    if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and not question.choices:
        raise DomainError(_("A choice question needs at least one choice."), field="choices")
    if in_retrospective and kind != Question.Kind.AGREEMENT:
        # the retrospective block rates the scales' items again ("think back to before"); it
        # is also what bounds a public submission's size (impact.api.largest_honest_submission)
        raise DomainError(
            _("Only agreement (1-5) questions can be asked again in the retrospective block."),
            field="in_retrospective",
        )
    question.full_clean()
    question.save()
    audit_record(actor=actor, action="impact.question_save", target=question)
    return question


@transaction.atomic
def question_delete(*, actor: Actor, instrument: Instrument, code: str) -> Instrument:
    _require_network_staff(actor)
    draft = instrument_edit(actor=actor, instrument=instrument)
    deleted, _rows = Question.objects.filter(instrument=draft, code=code).delete()
    if not deleted:
        raise DomainError(_("This version has no question %(code)s.") % {"code": code})
    audit_record(actor=actor, action="impact.question_delete", target=draft, changes={"code": code})
    return draft


@transaction.atomic
def instrument_publish(*, actor: Actor, instrument: Instrument) -> Instrument:
    """Publish a draft; earlier published versions of the role are retired (rounds keep them)."""
    _require_network_staff(actor)
    if instrument.status != Instrument.Status.DRAFT:
        raise DomainError(_("Only a draft can be published."))
    if not instrument.questions.exists():
        raise DomainError(_("An instrument needs at least one question before publishing."))
    Instrument.objects.filter(
        framework=instrument.framework, role=instrument.role, status=Instrument.Status.PUBLISHED
    ).update(status=Instrument.Status.RETIRED)
    instrument.status = Instrument.Status.PUBLISHED
    instrument.published_at = timezone.now()
    instrument.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="impact.instrument_publish", target=instrument)
    return instrument
