"""The demo programme, campaign, projects, ~150 activities and the 2027-2028 strategy.

Deterministic (driven by the given ``random.Random``) and idempotent (rows are matched by
code, number or title), like the other apps' demo seeds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from peaceworks.campaigns.models import (
    FEWER_OPPORTUNITY_FIELDS,
    Action,
    Activity,
    Campaign,
    Goal,
    InclusionTarget,
    Objective,
    OutputIndicator,
    Plan,
    Programme,
    Reflection,
    Theme,
)
from peaceworks.directory.models import Organisation, Partnership

RPC_THEMES = [
    (
        "movement",
        "Rights of migrants and refugees, free movement and equal civil rights for all",
    ),
    ("basic-needs", "Food and housing for everyone, and a sustainable life in dignity"),
    ("gender", "Gender equality and the right to decide over one's own body"),
    ("peace", "Living in peace, from the neighbourhood to the international level"),
    ("participation", "People taking part freely in human-rights and peace work"),
]
PROJECT_THEMES = {
    "ivs4peace": [
        ("inclusion", "Volunteering open to people with fewer opportunities"),
        ("belonging", "Belonging and equity within volunteer groups"),
    ],
    "build-peace": [
        ("dialogue", "Dialogue between communities in tension"),
        ("skills", "Peacebuilding skills for young people"),
    ],
}
_TYPES = [
    Activity.Type.WORKCAMP,
    Activity.Type.WORKCAMP,
    Activity.Type.WORKCAMP,
    Activity.Type.WORKCAMP,
    Activity.Type.MLTV,
    Activity.Type.TRAINING,
    Activity.Type.SEMINAR,
    Activity.Type.STUDY_SESSION,
    Activity.Type.AWARENESS,
    Activity.Type.AWARENESS,
    Activity.Type.HUMAN_RIGHTS_WEEK,
    Activity.Type.ADVOCACY_MEETING,
    Activity.Type.ONLINE_ACTION,
]
_TITLES = {
    Activity.Type.WORKCAMP: "Workcamp",
    Activity.Type.MLTV: "Long-term placement",
    Activity.Type.TRAINING: "Training for camp leaders",
    Activity.Type.SEMINAR: "Seminar",
    Activity.Type.STUDY_SESSION: "Study session",
    Activity.Type.AWARENESS: "Awareness day",
    Activity.Type.HUMAN_RIGHTS_WEEK: "Human Rights Week event",
    Activity.Type.ADVOCACY_MEETING: "Meeting with local authorities",
    Activity.Type.ONLINE_ACTION: "Online action",
}

PLAN_TREE: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Grow the campaign across every region",
        [
            ("Double the number of workcamps tagged with the campaign themes", 4),
            ("Bring new member organisations into the campaign", 3),
            ("Hold a Human Rights Week in every region", 3),
        ],
    ),
    (
        "Open volunteering to people with fewer opportunities",
        [
            ("Reach a third of participants with fewer opportunities", 3),
            ("Train camp leaders in inclusive group work", 3),
            ("Offer support measures in every hosting country", 3),
        ],
    ),
    (
        "Show and tell the campaign's impact",
        [
            ("Measure change with short before-and-after surveys", 3),
            ("Publish a yearly impact report with partners", 3),
        ],
    ),
]
_LINKED = [
    (OutputIndicator.ACTIVITIES, Decimal(120)),
    (OutputIndicator.NEW_PARTNERS, Decimal(10)),
    (OutputIndicator.HOSTING_COUNTRIES, Decimal(25)),
    (OutputIndicator.FEWER_OPPORTUNITIES_SHARE, Decimal(33)),
    (OutputIndicator.VOLUNTEER_HOURS, Decimal(60000)),
    (OutputIndicator.EDUCATION_SESSIONS, Decimal(40)),
]


ACTION_TITLES = [
    "Agree a shared workcamp calendar with the campaign themes",
    "Tag every 2027 workcamp with one to five themes",
    "Run a theme workshop for camp leaders in each region",
    "Report workcamp figures in the platform every quarter",
    "Invite candidate members to co-organise an activity",
    "Pair each new member with an experienced host organisation",
    "Welcome new members at the regional meetings",
    "Prepare a Human Rights Week toolkit in three languages",
    "Support regional coordinators to plan their week",
    "Collect stories from every Human Rights Week event",
    "Set inclusion targets with each #IVS4Peace partner",
    "Budget travel support for participants with fewer opportunities",
    "Review inclusion figures after each season",
    "Write an inclusive group-work module for trainings",
    "Train multipliers to run the inclusion module",
    "Add inclusion sessions to every camp leader training",
    "Map local support services in each hosting country",
    "Agree support measures with host communities",
    "Publish a guide to support measures",
    "Translate the short surveys into the campaign languages",
    "Send survey links for every activity of seven days or more",
    "Train coordinators to read the paired results",
    "Draft the 2027 impact report with partners",
    "Present the impact report to an external stakeholder",
    "Publish the impact figures on the public campaign page",
]


@dataclass(frozen=True)
class CampaignsDemo:
    programme: Programme
    campaign: Campaign
    projects: list[Campaign]
    plan: Plan


def _themes(campaign: Campaign, entries: list[tuple[str, str]]) -> list[Theme]:
    return [
        Theme.objects.update_or_create(
            campaign=campaign, number=number, defaults={"code": code, "name": name}
        )[0]
        for number, (code, name) in enumerate(entries, start=1)
    ]


def _activity(
    rng: random.Random,
    *,
    index: int,
    campaign: Campaign,
    themes: list[Theme],
    organisations: list[Organisation],
    today: date,
) -> None:
    host = organisations[rng.randrange(len(organisations))]
    year = 2025 + index % 3
    activity_type = rng.choice(_TYPES)
    long_kinds = {Activity.Type.WORKCAMP, Activity.Type.MLTV}
    days = rng.randint(10, 21) if activity_type in long_kinds else rng.randint(1, 6)
    start = date(year, 1, 1) + timedelta(days=rng.randrange(0, 340))
    end = start + timedelta(days=days - 1)
    group_kinds = {Activity.Type.TRAINING, Activity.Type.SEMINAR, Activity.Type.STUDY_SESSION}
    if activity_type in long_kinds:
        volunteers = rng.randint(10, 20)  # a typical workcamp group
    elif activity_type in group_kinds:
        volunteers = rng.randint(14, 30)  # a training or seminar group
    else:
        volunteers = rng.randint(2, 10)  # the organisers of a local action
    local_participants = rng.randint(20, 80)
    participants = volunteers + local_participants
    hours: Decimal | None = None
    if activity_type != Activity.Type.WORKCAMP or rng.random() < 0.4:
        hours = Decimal(rng.choice([3, 4, 5, 6, 7]))
    counts = dict.fromkeys(FEWER_OPPORTUNITY_FIELDS, 0)
    total_fewer = 0
    if participants and rng.random() < 0.6:
        total_fewer = rng.randint(1, max(1, participants // 3))
        for name in rng.sample(FEWER_OPPORTUNITY_FIELDS, k=rng.randint(1, 3)):
            counts[name] = rng.randint(1, total_fewer)
    status = (
        Activity.Status.COMPLETED
        if end < today
        else Activity.Status.RUNNING
        if start <= today
        else rng.choice([Activity.Status.PLANNED, Activity.Status.OPEN])
    )
    if rng.random() < 0.03:
        status = Activity.Status.CANCELLED
    international = volunteers * 2 // 3
    activity, _created = Activity.objects.update_or_create(
        code=f"{campaign.code}-{year}-{index + 1:03d}",
        defaults={
            "campaign": campaign,
            "host_organisation": host,
            "title": f"{_TITLES[activity_type]} in {host.city or host.country}",
            "activity_type": activity_type,
            "status": status,
            "start_date": start,
            "end_date": end,
            "country": host.country,
            "place": host.city,
            "language": "en",
            "international_volunteers": international,
            "local_volunteers": volunteers - international,
            "local_participants": local_participants,
            "hours_per_day": hours
            if hours is not None
            else Decimal(Activity.DEFAULT_WORKCAMP_HOURS)
            if activity_type == Activity.Type.WORKCAMP
            else None,
            "hours_per_day_defaulted": hours is None and activity_type == Activity.Type.WORKCAMP,
            "fewer_opportunities_total": total_fewer,
            **counts,
        },
    )
    activity.themes.set(rng.sample(themes, k=rng.randint(1, min(3, len(themes)))))
    co_organisers = []
    if rng.random() < 0.3:
        co_organisers = [
            organisation
            for organisation in rng.sample(organisations, k=2)
            if organisation.pk != host.pk
        ][:1]
    activity.co_organisers.set(co_organisers)


def seed(
    rng: random.Random, organisations: list[Organisation], *, today: date | None = None
) -> CampaignsDemo:
    """Seed the campaigns demo over the directory demo's member organisations (the first
    one is the demo organisation coordinator's)."""
    today = today or date(2026, 11, 29)
    programme, _created = Programme.objects.update_or_create(
        code="raising-peace",
        defaults={
            "name": "Raising Peace Programme",
            "description": "The network's programme for peace and human rights, 2025-2028.",
            "start_date": date(2025, 1, 1),
            "end_date": date(2028, 12, 31),
        },
    )
    lead = organisations[0]
    campaign, _created = Campaign.objects.update_or_create(
        code="rpc",
        defaults={
            "programme": programme,
            "kind": Campaign.Kind.CAMPAIGN,
            "name": "Raising Peace Campaign",
            "description": (
                "Member organisations run workcamps, trainings and local actions around five "
                "rights, and measure together what changes."
            ),
            "start_date": date(2025, 1, 1),
            "end_date": date(2028, 12, 31),
            "lead_organisation": lead,
            "is_published": True,
            "published_summary": (
                "The Raising Peace Campaign brings volunteers and host communities together "
                "around five rights. These figures are counted from the activities member "
                "organisations register."
            ),
        },
    )
    campaign.partner_organisations.set(organisations[1:6])
    rpc_themes = _themes(campaign, RPC_THEMES)
    projects: list[Campaign] = []
    for code, name, description, start, end in [
        (
            "ivs4peace",
            "#IVS4Peace",
            "A three-year upscaling project on social inclusion in voluntary service.",
            date(2025, 1, 1),
            date(2027, 12, 31),
        ),
        (
            "build-peace",
            "Build Peace",
            "Peacebuilding trainings and dialogue between communities.",
            date(2026, 1, 1),
            date(2027, 12, 31),
        ),
    ]:
        project, _created = Campaign.objects.update_or_create(
            code=code,
            defaults={
                "programme": programme,
                "kind": Campaign.Kind.PROJECT,
                "name": name,
                "description": description,
                "start_date": start,
                "end_date": end,
                "lead_organisation": organisations[len(projects) + 1],
            },
        )
        project.partner_organisations.set(
            organisations[6 + len(projects) * 4 : 10 + len(projects) * 4]
        )
        projects.append(project)
    for year, share in ((2025, "20"), (2026, "25"), (2027, "30")):
        InclusionTarget.objects.update_or_create(
            campaign=projects[0], year=year, defaults={"share_fewer_opportunities": Decimal(share)}
        )
    project_themes = {
        project.code: _themes(project, PROJECT_THEMES[project.code]) for project in projects
    }

    for index in range(150):
        if index % 10 == 7:
            target, themes = projects[0], project_themes["ivs4peace"]
        elif index % 10 == 9:
            target, themes = projects[1], project_themes["build-peace"]
        else:
            target, themes = campaign, rpc_themes
        _activity(
            rng,
            index=index,
            campaign=target,
            themes=themes,
            organisations=organisations,
            today=today,
        )
    _link_partnerships(campaign=campaign, projects=projects)
    return CampaignsDemo(
        programme=programme,
        campaign=campaign,
        projects=projects,
        plan=_plan(rng, campaign=campaign, organisations=organisations, today=today),
    )


def _link_partnerships(*, campaign: Campaign, projects: list[Campaign]) -> None:
    """Tie the directory demo's partnerships to what they serve (when they exist)."""
    links = {"ivs4peace-funding": [projects[0]], "valencia-human-rights-week": [campaign]}
    for partnership in Partnership.objects.filter(code__in=links):
        partnership.campaigns.set(links[partnership.code])


def _plan(
    rng: random.Random, *, campaign: Campaign, organisations: list[Organisation], today: date
) -> Plan:
    plan, _created = Plan.objects.update_or_create(
        campaign=campaign,
        title="Raising Peace strategy",
        defaults={"start_year": 2027, "end_year": 2028, "is_published": True},
    )
    for kind, text, source in [
        (
            Reflection.Kind.EXPERIENCE,
            "Short local actions reached many people but were rarely followed up.",
            "Network Coordinators Meeting, Paris: decision 3",
        ),
        (
            Reflection.Kind.CHALLENGES,
            "Travel costs and visas keep people with fewer opportunities out of workcamps.",
            "",
        ),
        (
            Reflection.Kind.FUTURE,
            "Members want a shared way to show change in volunteers and host communities.",
            "Members' consultation: synthesis, theme 2",
        ),
    ]:
        Reflection.objects.update_or_create(
            plan=plan, kind=kind, defaults={"text": text, "source_reference": source}
        )
    # Some actions belong to the demo organisation coordinator's organisation (the first).
    owners = [organisations[0], *organisations[1:8]]
    counter = 0
    for goal_number, (goal_title, objectives) in enumerate(PLAN_TREE, start=1):
        goal, _created = Goal.objects.update_or_create(
            plan=plan, number=goal_number, defaults={"title": goal_title}
        )
        for objective_number, (objective_title, actions) in enumerate(objectives, start=1):
            objective, _created = Objective.objects.update_or_create(
                goal=goal, number=objective_number, defaults={"title": objective_title}
            )
            for _step in range(actions):
                counter += 1
                start = date(2026, 9, 1) + timedelta(days=rng.randrange(0, 420))
                due = start + timedelta(days=rng.randrange(60, 360))
                if counter % 7 == 1:
                    # Preparation work that should already be finished: some of it is late.
                    start = date(2026, 4, 1) + timedelta(days=rng.randrange(0, 60))
                    due = start + timedelta(days=rng.randrange(120, 180))
                status = rng.choice(
                    [
                        Action.Status.NOT_STARTED,
                        Action.Status.IN_PROGRESS,
                        Action.Status.IN_PROGRESS,
                        Action.Status.BLOCKED,
                        Action.Status.DONE,
                    ]
                )
                if start > today:
                    status = Action.Status.NOT_STARTED
                progress = {
                    Action.Status.NOT_STARTED: 0,
                    Action.Status.DONE: 100,
                }.get(status, rng.randrange(5, 95, 5))
                indicator, target = (
                    _LINKED[counter % len(_LINKED)] if counter % 3 == 0 else ("", None)
                )
                Action.objects.update_or_create(
                    objective=objective,
                    title=ACTION_TITLES[counter - 1],
                    defaults={
                        "owner_organisation": owners[counter % len(owners)],
                        "start_date": start,
                        "due_date": due,
                        "status": status,
                        "progress": progress,
                        "indicator": indicator,
                        "target": target,
                    },
                )
    return plan
