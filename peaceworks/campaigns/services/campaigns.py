"""Writes for programmes, campaigns, themes, inclusion targets and activities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.campaigns.models import (
    Activity,
    Campaign,
    InclusionTarget,
    Programme,
    Theme,
)
from peaceworks.campaigns.services.base import require_staff, write_record
from peaceworks.campaigns.services.co_organisers import co_organiser_ids_named, co_organisers_apply
from peaceworks.core.audit import audit_record
from peaceworks.core.errors import DomainError
from peaceworks.core.records import (
    apply_changes,
    assign_changes,
    save_changed,
    validate,
)
from peaceworks.directory.models import Organisation

MIN_THEMES = 1
MAX_THEMES = 5
PROGRAMME_FIELDS = frozenset(
    {"name", "code", "description", "start_date", "end_date", "translations"}
)
CAMPAIGN_FIELDS = frozenset(
    {
        "name",
        "code",
        "kind",
        "description",
        "start_date",
        "end_date",
        "lead_organisation",
        "translations",
    }
)
THEME_FIELDS = frozenset({"number", "code", "name", "description", "translations"})


# Programmes, campaigns, themes -------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: Actor,
    name: str,
    code: str,
    description: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Programme:
    require_staff(actor)
    programme = Programme()
    apply_changes(
        programme,
        {
            "name": name,
            "code": code,
            "description": description,
            "start_date": start_date,
            "end_date": end_date,
            "translations": translations or {},
        },
        allowed=PROGRAMME_FIELDS,
    )
    audit_record(actor=actor, action="programme.create", target=programme)
    return programme


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    programme: Programme,
    name: str,
    code: str,
    kind: str = Campaign.Kind.CAMPAIGN,
    description: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    lead_organisation: Organisation | None = None,
    partner_organisations: Iterable[Organisation] = (),
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Campaign:
    require_staff(actor)
    if start_date and end_date and end_date < start_date:
        raise DomainError(_("The end date is before the start date."), field="end_date")
    campaign = Campaign(programme=programme)
    apply_changes(
        campaign,
        {
            "name": name,
            "code": code,
            "kind": kind,
            "description": description,
            "start_date": start_date,
            "end_date": end_date,
            "lead_organisation": lead_organisation,
            "translations": translations or {},
        },
        allowed=CAMPAIGN_FIELDS,
    )
    campaign.partner_organisations.set(list(partner_organisations))
    audit_record(actor=actor, action="campaign.create", target=campaign)
    return campaign


def _check_dates(record: Programme | Campaign) -> None:
    if record.start_date and record.end_date and record.end_date < record.start_date:
        raise DomainError(_("The end date is before the start date."), field="end_date")


@transaction.atomic
def programme_update(
    *, actor: Actor, programme: Programme, changes: Mapping[str, Any]
) -> Programme:
    """Change the fields of ``changes`` (only :data:`PROGRAMME_FIELDS`; others are refused
    naming the field); network staff only, audited with the values before and after."""
    require_staff(actor)
    return write_record(
        programme,
        actor=actor,
        action="programme.update",
        changes=changes,
        allowed=PROGRAMME_FIELDS,
        check=_check_dates,
    )


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, changes: Mapping[str, Any]) -> Campaign:
    """Change a campaign's or project's fields of ``changes`` (only :data:`CAMPAIGN_FIELDS`;
    the programme is fixed); network staff only, audited with the values before and after."""
    require_staff(actor)
    return write_record(
        campaign,
        actor=actor,
        action="campaign.update",
        changes=changes,
        allowed=CAMPAIGN_FIELDS,
        check=_check_dates,
    )


@transaction.atomic
def campaign_publish(
    *, actor: Actor, campaign: Campaign, is_published: bool, published_summary: str
) -> Campaign:
    """Publish (or withdraw) the public campaign page with its summary."""
    require_staff(actor)
    if is_published and not published_summary.strip():
        raise DomainError(
            _("Write a summary before publishing the campaign."), field="published_summary"
        )
    apply_changes(
        campaign,
        {"is_published": is_published, "published_summary": published_summary.strip()},
        allowed={"is_published", "published_summary"},
    )
    audit_record(
        actor=actor,
        action="campaign.publish" if is_published else "campaign.unpublish",
        target=campaign,
    )
    return campaign


def _check_theme(theme: Theme) -> None:
    """The campaign's other themes have neither the number nor the code of ``theme`` (the
    model's two constraints, in one query, each with its message naming the field)."""
    same_number = ExpressionWrapper(Q(number=theme.number), output_field=BooleanField())
    clashes = set(
        Theme.objects.filter(campaign_id=theme.campaign_id)
        .exclude(pk=theme.pk)
        .filter(Q(number=theme.number) | Q(code=theme.code))
        .values_list(same_number, flat=True)
    )
    if True in clashes:
        raise DomainError(_("Another theme of the campaign has this number."), field="number")
    if clashes:
        raise DomainError(_("Another theme of the campaign has this code."), field="code")


#: the constraints of Theme that :func:`_check_theme` checks
THEME_CHECKED = frozenset({"campaigns_theme_number", "campaigns_theme_code"})


@transaction.atomic
def theme_create(
    *,
    actor: Actor,
    campaign: Campaign,
    number: int,
    code: str,
    name: str,
    description: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Theme:
    require_staff(actor)
    values = {"number": number, "code": code, "name": name, "description": description}
    return write_record(
        Theme(campaign=campaign),
        actor=actor,
        action="theme.create",
        changes={**values, "translations": translations or {}},
        allowed=THEME_FIELDS,
        check=_check_theme,
        checked=THEME_CHECKED,
    )


@transaction.atomic
def theme_update(*, actor: Actor, theme: Theme, changes: Mapping[str, Any]) -> Theme:
    """Change a theme's fields of ``changes`` (only :data:`THEME_FIELDS`; the campaign is
    fixed); network staff only, audited with the values before and after."""
    require_staff(actor)
    return write_record(
        theme,
        actor=actor,
        action="theme.update",
        changes=changes,
        allowed=THEME_FIELDS,
        check=_check_theme,
        checked=THEME_CHECKED,
    )


@transaction.atomic
def inclusion_target_set(
    *, actor: Actor, campaign: Campaign, year: int, share_fewer_opportunities: Decimal
) -> InclusionTarget:
    """Create or change a project's inclusion target for one year."""
    require_staff(actor)
    target = InclusionTarget.objects.filter(campaign=campaign, year=year).first()
    if target is None:
        target = InclusionTarget(campaign=campaign, year=year)
    apply_changes(
        target,
        {"share_fewer_opportunities": share_fewer_opportunities},
        allowed={"share_fewer_opportunities"},
    )
    audit_record(
        actor=actor,
        action="inclusion_target.set",
        target=target,
        changes={"year": year, "share": share_fewer_opportunities},
    )
    return target


# Activities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityData:
    """Everything an activity is registered with (pages, API and imports build one)."""

    code: str
    title: str
    activity_type: str
    start_date: date
    end_date: date
    country: str
    theme_ids: tuple[int, ...]
    status: str = Activity.Status.PLANNED
    place: str = ""
    language: str = "en"
    co_organiser_ids: tuple[int, ...] = ()
    international_volunteers: int = 0
    local_volunteers: int = 0
    local_participants: int = 0
    hours_per_day: Decimal | None = None
    fewer_opportunities_total: int = 0
    fo_disability: int = 0
    fo_health: int = 0
    fo_education: int = 0
    fo_cultural: int = 0
    fo_social: int = 0
    fo_economic: int = 0
    fo_discrimination: int = 0
    fo_geographical: int = 0

    @classmethod
    def from_activity(cls, activity: Activity) -> ActivityData:
        values = {
            spec.name: getattr(activity, spec.name)
            for spec in fields(cls)
            if spec.name not in {"theme_ids", "co_organiser_ids"}
        }
        return cls(
            **values,
            theme_ids=tuple(theme.pk for theme in activity.themes.all()),
            co_organiser_ids=co_organiser_ids_named(activity=activity),
        )


_RELATIONS = frozenset({"theme_ids", "co_organiser_ids"})
_SCALARS = tuple(spec.name for spec in fields(ActivityData) if spec.name not in _RELATIONS)
# What a page, the API or an import may change on an activity: the record's own fields and
# its themes and co-organisers (relations, set after saving). Campaign and host are fixed.
ACTIVITY_FIELDS = frozenset({*_SCALARS, *_RELATIONS})


def activity_check_themes(*, campaign: Campaign, theme_ids: Iterable[int]) -> list[Theme]:
    """The themes, or DomainError(field="themes") unless 1-5 themes of the campaign."""
    wanted = set(theme_ids)
    if not MIN_THEMES <= len(wanted) <= MAX_THEMES:
        raise DomainError(
            _("Choose between %(min)s and %(max)s themes of the campaign.")
            % {"min": MIN_THEMES, "max": MAX_THEMES},
            field="themes",
        )
    themes = list(Theme.objects.filter(campaign=campaign, pk__in=wanted))
    if len(themes) != len(wanted):
        raise DomainError(
            _("Every theme must belong to the campaign %(campaign)s.") % {"campaign": campaign},
            field="themes",
        )
    return themes


def _assign(
    activity: Activity, changes: Mapping[str, Any]
) -> tuple[list[Theme] | None, list[Organisation] | None]:
    """Set ``changes`` (checked against :data:`ACTIVITY_FIELDS`) on ``activity`` and validate
    it, without saving; returns the themes and co-organisers to set (None: unchanged).

    A workcamp left without hours per day (not given while defaulted, or cleared) gets the
    network's default, flagged so reports can say so.
    """
    scalars = dict(changes)
    relations = {name: tuple(scalars.pop(name) or ()) for name in _RELATIONS if name in scalars}
    for name, value in scalars.items():
        if value is None and name != "hours_per_day" and name in ACTIVITY_FIELDS:
            raise DomainError(_("This field cannot be empty."), field=name)
    if isinstance(scalars.get("country"), str):
        scalars["country"] = scalars["country"].upper()
    if "hours_per_day" not in scalars and activity.hours_per_day_defaulted:
        scalars["hours_per_day"] = None
    assign_changes(activity, scalars, allowed=ACTIVITY_FIELDS)
    if activity.hours_per_day is None and activity.activity_type == Activity.Type.WORKCAMP:
        activity.hours_per_day = Decimal(Activity.DEFAULT_WORKCAMP_HOURS)
        activity.hours_per_day_defaulted = True
    else:
        activity.hours_per_day_defaulted = False
    themes = None
    if "theme_ids" in relations:
        themes = activity_check_themes(campaign=activity.campaign, theme_ids=relations["theme_ids"])
    co_organisers = None
    if "co_organiser_ids" in relations:
        wanted = set(relations["co_organiser_ids"])
        co_organisers = list(Organisation.objects.filter(pk__in=wanted))
        if len(co_organisers) != len(wanted):
            raise DomainError(_("A co-organiser does not exist."), field="co_organisers")
        if activity.host_organisation_id in wanted:
            raise DomainError(
                _("The hosting organisation cannot also be a co-organiser."),
                field="co_organisers",
            )
    validate(activity)
    return themes, co_organisers


def _full(data: ActivityData) -> dict[str, Any]:
    """A whole record as changes (creating, or an import replacing a row)."""
    return {spec.name: getattr(data, spec.name) for spec in fields(data)}


def activity_validate(*, activity: Activity, data: ActivityData) -> None:
    """Apply ``data`` to an unsaved copy of ``activity`` and validate it, without saving
    (imports use it for their previews); raises DomainError naming the field."""
    _assign(activity, _full(data))


def _save(
    actor: Actor,
    activity: Activity,
    changes: Mapping[str, Any],
) -> dict[str, list[Any]]:
    """The one path of create and update: assign, validate, save, set the relations; returns
    the changed fields as [before, after]."""
    before = {name: getattr(activity, name) for name in (*_SCALARS, "hours_per_day_defaulted")}
    themes, co_organisers = _assign(activity, changes)
    changed = [name for name, value in before.items() if getattr(activity, name) != value]
    save_changed(activity, changed=changed)  # ``_assign`` validated it
    if themes is not None:
        activity.themes.set(themes)
    if co_organisers is not None:
        co_organisers_apply(actor=actor, activity=activity, organisations=co_organisers)
    return {name: [before[name], getattr(activity, name)] for name in changed if name in _SCALARS}


#: A code made from the title can be taken between the check and the insert by a registration
#: with the same title at the same instant; it is made again (``-2``, ``-3``…) this many times.
_CODE_ATTEMPTS = 5


def _activity_code_from_title(title: str) -> str:
    """A code made from ``title`` (``Workcamp in Lyon`` → ``workcamp-in-lyon``), cut to the
    code's length and made unique among activities with ``-2``, ``-3``…; ``activity`` when the
    title has no letter a web address keeps."""
    length = Activity._meta.get_field("code").max_length or 60
    base = slugify(title)[:length].strip("-") or "activity"
    taken = set(
        Activity.objects.filter(code__startswith=base[: length - 4]).values_list("code", flat=True)
    )
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = base[: length - len(suffix)].rstrip("-") + suffix
    return code


@transaction.atomic
def activity_create(
    *, actor: Actor, campaign: Campaign, host_organisation: Organisation, data: ActivityData
) -> Activity:
    """Register an activity for ``host_organisation``.

    Raises NotFound/Forbidden unless the actor is network staff or a coordinator of the
    hosting organisation, and DomainError (with a field) for invalid data: 1-5 themes of the
    campaign, dates in order, counts consistent. Workcamps without hours per day get 6,
    flagged as defaulted. An empty code is made from the title
    (:func:`_activity_code_from_title`); a given one is kept and must be unused.
    """
    viewer_for(actor).require_org(host_organisation.pk, write=True)
    generated = not data.code.strip()
    for attempt in range(1, _CODE_ATTEMPTS + 1):
        if generated:
            data = replace(data, code=_activity_code_from_title(data.title))
        activity = Activity(campaign=campaign, host_organisation=host_organisation)
        try:
            with transaction.atomic():  # a savepoint: a lost race on the code is tried again
                _save(actor, activity, _full(data))
        except IntegrityError:
            if not generated or attempt == _CODE_ATTEMPTS:
                raise
            continue
        break
    audit_record(actor=actor, action="activity.create", target=activity)
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, changes: Mapping[str, Any]) -> Activity:
    """Change the fields of ``changes`` (a partial mapping; only :data:`ACTIVITY_FIELDS`,
    others are refused naming the field) with the same rights and rules as
    :func:`activity_create`; themes and co-organisers change only when given."""
    viewer_for(actor).require_org(activity.host_organisation_id, write=True)
    changed = _save(actor, activity, changes)
    audit_record(actor=actor, action="activity.update", target=activity, changes=changed)
    return activity
