"""Output indicators computed from activity records: pure functions over compact records.

The selector :func:`peaceworks.campaigns.selectors.output_records` reads one value row per
activity (plus its theme and co-organiser ids and every organisation's first year of
activity) in a handful of queries; the functions here group those records and return frozen
dataclasses. They never touch the database, so the same numbers come out of pages, the API
and tests.

Rules:

* volunteers = international + local volunteers (counts, the records hold no identities);
* volunteer hours = volunteers * days * hours per day; activities whose hours were defaulted
  are counted in ``hours_defaulted_activities`` and activities without hours are left out of
  the sum and counted in ``activities_without_hours``;
* % with fewer opportunities = Σ people with fewer opportunities / Σ participants * 100 — a
  ratio of sums, never an average of per-activity percentages;
* a new partner is an organisation (host or co-organiser) whose first activity anywhere in
  the records falls in the activity's year;
* education sessions are activities of the educational types (training, seminar, study
  session, awareness action, human-rights-week event);
* grouped by theme, an activity counts once in each of its themes, so theme groups add up to
  more than the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from peaceworks.campaigns.models import Activity, OutputIndicator
from peaceworks.directory import geography

EDUCATION_TYPES = frozenset(
    {
        Activity.Type.TRAINING,
        Activity.Type.SEMINAR,
        Activity.Type.STUDY_SESSION,
        Activity.Type.AWARENESS,
        Activity.Type.HUMAN_RIGHTS_WEEK,
    }
)


#: the dimensions outputs can be grouped by
def _region_of(country_code: str) -> str:
    """The UN M49 region code of a country ("" when unknown)."""
    found = geography.country(country_code)
    return found.region if found else ""


DIMENSIONS = ("campaign", "theme", "country", "region", "organisation", "year")


@dataclass(frozen=True)
class ActivityRecord:
    """What the indicators need from one activity (no names, no free text)."""

    id: int
    campaign_id: int
    host_organisation_id: int
    activity_type: str
    start_date: date
    end_date: date
    country: str
    international_volunteers: int
    local_volunteers: int
    local_participants: int
    fewer_opportunities: int
    hours_per_day: Decimal | None
    hours_per_day_defaulted: bool
    theme_ids: tuple[int, ...] = ()
    co_organiser_ids: tuple[int, ...] = ()

    @property
    def year(self) -> int:
        return self.start_date.year

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def volunteers(self) -> int:
        return self.international_volunteers + self.local_volunteers

    @property
    def participants(self) -> int:
        return self.volunteers + self.local_participants

    @property
    def organisation_ids(self) -> tuple[int, ...]:
        return (self.host_organisation_id, *self.co_organiser_ids)


@dataclass(frozen=True)
class Outputs:
    """The output indicators of one group of activities."""

    activities: int = 0
    activities_by_type: tuple[tuple[str, int], ...] = ()
    volunteers: int = 0
    international_volunteers: int = 0
    local_volunteers: int = 0
    local_participants: int = 0
    participants: int = 0
    hosting_countries: int = 0
    active_organisations: int = 0
    new_partners: int = 0
    volunteer_hours: Decimal = Decimal(0)
    hours_defaulted_activities: int = 0
    activities_without_hours: int = 0
    fewer_opportunities: int = 0
    fewer_opportunities_share: Decimal | None = None
    education_sessions: int = 0
    education_sessions_by_theme: tuple[tuple[int, int], ...] = ()

    @property
    def activities_by_type_labelled(self) -> tuple[tuple[str, int], ...]:
        """Activities per type with the type's (translated) label, for pages."""
        return tuple(
            (str(Activity.Type(key).label) if key in Activity.Type.values else key, count)
            for key, count in self.activities_by_type
        )

    @property
    def hours_include_defaults(self) -> bool:
        return self.hours_defaulted_activities > 0

    def value(self, indicator: str) -> Decimal:
        """The value of one :class:`OutputIndicator` key (for strategy targets)."""
        if indicator == OutputIndicator.FEWER_OPPORTUNITIES_SHARE:
            return self.fewer_opportunities_share or Decimal(0)
        if indicator not in OutputIndicator.values:
            raise KeyError(indicator)
        return Decimal(getattr(self, indicator))


@dataclass(frozen=True)
class OutputGroup:
    key: object
    outputs: Outputs


@dataclass(frozen=True)
class OutputTable:
    dimension: str
    groups: tuple[OutputGroup, ...] = field(default_factory=tuple)


def compute_outputs(
    records: Iterable[ActivityRecord], *, first_years: Mapping[int, int] | None = None
) -> Outputs:
    """The indicators over all ``records``; ``first_years`` maps an organisation id to the
    year of its first activity (needed for new partners; without it none are new)."""
    items = list(records)
    first = first_years or {}
    by_type: dict[str, int] = defaultdict(int)
    by_theme: dict[int, int] = defaultdict(int)
    countries: set[str] = set()
    organisations: set[int] = set()
    new_partners: set[int] = set()
    hours = Decimal(0)
    defaulted = without_hours = 0
    for record in items:
        by_type[record.activity_type] += 1
        countries.add(record.country)
        for organisation_id in record.organisation_ids:
            organisations.add(organisation_id)
            if first.get(organisation_id) == record.year:
                new_partners.add(organisation_id)
        if record.hours_per_day is None:
            without_hours += 1
        else:
            hours += record.volunteers * record.days * record.hours_per_day
            defaulted += int(record.hours_per_day_defaulted)
        if record.activity_type in EDUCATION_TYPES:
            for theme_id in record.theme_ids:
                by_theme[theme_id] += 1
    participants = sum(record.participants for record in items)
    fewer = sum(record.fewer_opportunities for record in items)
    share = (
        (Decimal(fewer) * 100 / Decimal(participants)).quantize(Decimal("0.1"))
        if participants
        else None
    )
    return Outputs(
        activities=len(items),
        activities_by_type=tuple(sorted(by_type.items())),
        volunteers=sum(record.volunteers for record in items),
        international_volunteers=sum(record.international_volunteers for record in items),
        local_volunteers=sum(record.local_volunteers for record in items),
        local_participants=sum(record.local_participants for record in items),
        participants=participants,
        hosting_countries=len(countries),
        active_organisations=len(organisations),
        new_partners=len(new_partners),
        volunteer_hours=hours,
        hours_defaulted_activities=defaulted,
        activities_without_hours=without_hours,
        fewer_opportunities=fewer,
        fewer_opportunities_share=share,
        education_sessions=sum(1 for record in items if record.activity_type in EDUCATION_TYPES),
        education_sessions_by_theme=tuple(sorted(by_theme.items())),
    )


def _keys(dimension: str) -> Callable[[ActivityRecord], tuple[object, ...]]:
    getters: dict[str, Callable[[ActivityRecord], tuple[object, ...]]] = {
        "campaign": lambda record: (record.campaign_id,),
        "theme": lambda record: record.theme_ids,
        "country": lambda record: (record.country,),
        "region": lambda record: (_region_of(record.country),),
        "organisation": lambda record: (record.host_organisation_id,),
        "year": lambda record: (record.year,),
    }
    if dimension not in getters:
        raise ValueError(f"Unknown dimension {dimension!r}; use one of {DIMENSIONS}.")
    return getters[dimension]


def group_outputs(
    records: Iterable[ActivityRecord],
    *,
    dimension: str,
    first_years: Mapping[int, int] | None = None,
) -> OutputTable:
    """The indicators per value of ``dimension`` (one of :data:`DIMENSIONS`), sorted by key."""
    keys_of = _keys(dimension)
    buckets: dict[object, list[ActivityRecord]] = defaultdict(list)
    for record in records:
        for key in keys_of(record):
            buckets[key].append(record)
    return OutputTable(
        dimension=dimension,
        groups=tuple(
            OutputGroup(key=key, outputs=compute_outputs(items, first_years=first_years))
            for key, items in sorted(buckets.items(), key=lambda item: str(item[0]))
        ),
    )
