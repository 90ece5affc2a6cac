"""Writes on frameworks, indicators, targets and instrument versions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.campaigns.models import Campaign
from peaceworks.core.audit import audit_record
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
    indicators: list[Indicator] = []
    for order, spec in enumerate(shipped.OUTCOMES):
        theme = themes.get(spec["theme"]) if spec["theme"] else None
        if spec["theme"] and theme is None:
            continue
        outcome = Outcome.objects.create(
            framework=framework,
            block=spec["block"],
            theme=theme,
            code=spec["code"],
            name=spec["name"],
            order=order,
        )
        for position, item in enumerate(spec["indicators"]):
            indicators.append(
                Indicator(
                    framework=framework,
                    outcome=outcome,
                    code=item["code"],
                    name=item["name"],
                    kind=item.get("kind", Indicator.Kind.OUTCOME),
                    unit=item["unit"],
                    direction=item.get("direction", Indicator.Direction.INCREASE),
                    aggregation=item["aggregation"],
                    source_questions=item["source_questions"],
                    output_key=item.get("output_key", ""),
                    disaggregations=item.get("disaggregations", shipped.DISAGGREGATIONS),
                    order=order * 100 + position,
                )
            )
    Indicator.objects.bulk_create(indicators)
    now = timezone.now()
    for role, key in ROLE_KEYS.items():
        instrument = Instrument.objects.create(
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
        questions = []
        for order, spec in enumerate(shipped.QUESTIONS):
            if key not in spec["roles"]:
                continue
            theme = themes.get(spec["theme"]) if spec["theme"] else None
            if spec["theme"] and theme is None:
                continue
            questions.append(
                Question(
                    instrument=instrument,
                    code=spec["code"],
                    order=order,
                    block=spec["block"],
                    theme=theme,
                    kind=spec["kind"],
                    text=spec["text"],
                    choices=spec.get("choices", []),
                    scale=spec.get("scale", ""),
                    is_sensitive=spec.get("sensitive", False),
                    in_retrospective=bool(spec.get("then")) and key == "post",
                    relevant=spec.get("relevant", {}),
                    is_harm_report=spec.get("harm", False),
                    min_value=spec.get("min_value"),
                    max_value=spec.get("max_value"),
                )
            )
        Question.objects.bulk_create(questions)
    audit_record(
        actor=actor,
        action="impact.framework_install_default",
        target=framework,
        changes={"campaign": campaign.code, "indicators": len(indicators)},
    )
    return framework


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
