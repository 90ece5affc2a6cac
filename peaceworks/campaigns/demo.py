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

#: the demo's network-written texts in French and Spanish, by their English original
TRANSLATIONS: dict[str, tuple[str, str]] = {
    "Raising Peace Programme": ("Programme Raising Peace", "Programa Raising Peace"),
    "The network's programme for peace and human rights, 2025-2028.": (
        "Le programme du réseau pour la paix et les droits humains, 2025-2028.",
        "El programa de la red por la paz y los derechos humanos, 2025-2028.",
    ),
    "Raising Peace Campaign": ("Campagne Raising Peace", "Campaña Raising Peace"),
    (
        "Member organisations run workcamps, trainings and local actions around five "
        "rights, and measure together what changes."
    ): (
        "Les organisations membres mènent des chantiers, des formations et des actions locales "
        "autour de cinq droits, et mesurent ensemble ce qui change.",
        "Las organizaciones miembro organizan campos de trabajo, formaciones y acciones locales "
        "en torno a cinco derechos, y miden juntas lo que cambia.",
    ),
    "#IVS4Peace": ("#IVS4Peace", "#IVS4Peace"),
    "A three-year upscaling project on social inclusion in voluntary service.": (
        "Un projet de trois ans pour étendre l'inclusion sociale dans le volontariat.",
        "Un proyecto de tres años para ampliar la inclusión social en el voluntariado.",
    ),
    "Build Peace": ("Construire la paix", "Construir la paz"),
    "Peacebuilding trainings and dialogue between communities.": (
        "Des formations à la construction de la paix et le dialogue entre communautés.",
        "Formaciones en construcción de paz y diálogo entre comunidades.",
    ),
    "Rights of migrants and refugees, free movement and equal civil rights for all": (
        "Droits des personnes migrantes et réfugiées, liberté de circulation et égalité des "
        "droits civils pour toutes et tous",
        "Derechos de las personas migrantes y refugiadas, libre circulación e igualdad de "
        "derechos civiles para todas las personas",
    ),
    "Food and housing for everyone, and a sustainable life in dignity": (
        "Se nourrir et se loger pour toutes et tous, et une vie durable dans la dignité",
        "Alimentación y vivienda para todas las personas, y una vida sostenible y digna",
    ),
    "Gender equality and the right to decide over one's own body": (
        "L'égalité de genre et le droit de décider de son propre corps",
        "La igualdad de género y el derecho a decidir sobre el propio cuerpo",
    ),
    "Living in peace, from the neighbourhood to the international level": (
        "Vivre en paix, du quartier à l'échelle internationale",
        "Vivir en paz, del barrio al ámbito internacional",
    ),
    "People taking part freely in human-rights and peace work": (
        "Participer librement à l'action pour les droits humains et la paix",
        "Participar libremente en el trabajo por los derechos humanos y la paz",
    ),
    "Volunteering open to people with fewer opportunities": (
        "Un volontariat ouvert aux personnes ayant moins d'opportunités",
        "Un voluntariado abierto a las personas con menos oportunidades",
    ),
    "Belonging and equity within volunteer groups": (
        "Appartenance et équité au sein des groupes de volontaires",
        "Pertenencia y equidad dentro de los grupos de voluntariado",
    ),
    "Dialogue between communities in tension": (
        "Le dialogue entre communautés en tension",
        "El diálogo entre comunidades en tensión",
    ),
    "Peacebuilding skills for young people": (
        "Des compétences de construction de la paix pour les jeunes",
        "Competencias de construcción de paz para jóvenes",
    ),
    "Raising Peace strategy": ("Stratégie Raising Peace", "Estrategia Raising Peace"),
    "Grow the campaign across every region": (
        "Étendre la campagne à toutes les régions",
        "Extender la campaña a todas las regiones",
    ),
    "Double the number of workcamps tagged with the campaign themes": (
        "Doubler le nombre de chantiers liés aux thèmes de la campagne",
        "Duplicar el número de campos de trabajo vinculados a los temas de la campaña",
    ),
    "Bring new member organisations into the campaign": (
        "Faire entrer de nouvelles organisations membres dans la campagne",
        "Incorporar nuevas organizaciones miembro a la campaña",
    ),
    "Hold a Human Rights Week in every region": (
        "Organiser une Semaine des droits humains dans chaque région",
        "Celebrar una Semana de los Derechos Humanos en cada región",
    ),
    "Open volunteering to people with fewer opportunities": (
        "Ouvrir le volontariat aux personnes ayant moins d'opportunités",
        "Abrir el voluntariado a las personas con menos oportunidades",
    ),
    "Reach a third of participants with fewer opportunities": (
        "Atteindre un tiers de participants ayant moins d'opportunités",
        "Llegar a un tercio de participantes con menos oportunidades",
    ),
    "Train camp leaders in inclusive group work": (
        "Former les responsables de chantier au travail de groupe inclusif",
        "Formar a responsables de campo en el trabajo en grupo inclusivo",
    ),
    "Offer support measures in every hosting country": (
        "Proposer des mesures de soutien dans chaque pays d'accueil",
        "Ofrecer medidas de apoyo en cada país de acogida",
    ),
    "Show and tell the campaign's impact": (
        "Montrer et raconter l'impact de la campagne",
        "Mostrar y contar el impacto de la campaña",
    ),
    "Measure change with short before-and-after surveys": (
        "Mesurer le changement par de courtes enquêtes avant et après",
        "Medir el cambio con breves encuestas antes y después",
    ),
    "Publish a yearly impact report with partners": (
        "Publier chaque année un rapport d'impact avec les partenaires",
        "Publicar cada año un informe de impacto con los socios",
    ),
    "Agree a shared workcamp calendar with the campaign themes": (
        "Convenir d'un calendrier commun des chantiers avec les thèmes de la campagne",
        "Acordar un calendario común de campos de trabajo con los temas de la campaña",
    ),
    "Tag every 2027 workcamp with one to five themes": (
        "Associer chaque chantier de 2027 à un à cinq thèmes",
        "Asociar cada campo de trabajo de 2027 a entre uno y cinco temas",
    ),
    "Run a theme workshop for camp leaders in each region": (
        "Animer un atelier thématique pour les responsables de chantier dans chaque région",
        "Organizar un taller temático para responsables de campo en cada región",
    ),
    "Report workcamp figures in the platform every quarter": (
        "Saisir les chiffres des chantiers dans la plateforme chaque trimestre",
        "Registrar las cifras de los campos de trabajo en la plataforma cada trimestre",
    ),
    "Invite candidate members to co-organise an activity": (
        "Inviter les membres candidats à co-organiser une activité",
        "Invitar a los miembros candidatos a coorganizar una actividad",
    ),
    "Pair each new member with an experienced host organisation": (
        "Associer chaque nouveau membre à une organisation d'accueil expérimentée",
        "Emparejar a cada nuevo miembro con una organización de acogida con experiencia",
    ),
    "Welcome new members at the regional meetings": (
        "Accueillir les nouveaux membres aux réunions régionales",
        "Dar la bienvenida a los nuevos miembros en las reuniones regionales",
    ),
    "Prepare a Human Rights Week toolkit in three languages": (
        "Préparer une boîte à outils de la Semaine des droits humains en trois langues",
        "Preparar un kit de la Semana de los Derechos Humanos en tres idiomas",
    ),
    "Support regional coordinators to plan their week": (
        "Aider les coordinations régionales à préparer leur semaine",
        "Apoyar a las coordinaciones regionales en la preparación de su semana",
    ),
    "Collect stories from every Human Rights Week event": (
        "Recueillir des récits de chaque événement de la Semaine des droits humains",
        "Recoger relatos de cada evento de la Semana de los Derechos Humanos",
    ),
    "Set inclusion targets with each #IVS4Peace partner": (
        "Fixer des objectifs d'inclusion avec chaque partenaire de #IVS4Peace",
        "Fijar metas de inclusión con cada socio de #IVS4Peace",
    ),
    "Budget travel support for participants with fewer opportunities": (
        "Budgéter une aide au voyage pour les participants ayant moins d'opportunités",
        "Presupuestar ayudas de viaje para participantes con menos oportunidades",
    ),
    "Review inclusion figures after each season": (
        "Revoir les chiffres de l'inclusion après chaque saison",
        "Revisar las cifras de inclusión después de cada temporada",
    ),
    "Write an inclusive group-work module for trainings": (
        "Rédiger un module de travail de groupe inclusif pour les formations",
        "Redactar un módulo de trabajo en grupo inclusivo para las formaciones",
    ),
    "Train multipliers to run the inclusion module": (
        "Former des multiplicateurs à l'animation du module d'inclusion",
        "Formar a multiplicadores para impartir el módulo de inclusión",
    ),
    "Add inclusion sessions to every camp leader training": (
        "Ajouter des séances sur l'inclusion à chaque formation de responsables de chantier",
        "Añadir sesiones sobre inclusión a cada formación de responsables de campo",
    ),
    "Map local support services in each hosting country": (
        "Recenser les services de soutien locaux dans chaque pays d'accueil",
        "Mapear los servicios de apoyo locales en cada país de acogida",
    ),
    "Agree support measures with host communities": (
        "Convenir des mesures de soutien avec les communautés d'accueil",
        "Acordar medidas de apoyo con las comunidades de acogida",
    ),
    "Publish a guide to support measures": (
        "Publier un guide des mesures de soutien",
        "Publicar una guía de las medidas de apoyo",
    ),
    "Translate the short surveys into the campaign languages": (
        "Traduire les courtes enquêtes dans les langues de la campagne",
        "Traducir las breves encuestas a los idiomas de la campaña",
    ),
    "Send survey links for every activity of seven days or more": (
        "Envoyer les liens d'enquête pour chaque activité de sept jours ou plus",
        "Enviar los enlaces de encuesta para cada actividad de siete días o más",
    ),
    "Train coordinators to read the paired results": (
        "Former les coordinations à la lecture des résultats appariés",
        "Formar a las coordinaciones en la lectura de los resultados emparejados",
    ),
    "Draft the 2027 impact report with partners": (
        "Rédiger le rapport d'impact 2027 avec les partenaires",
        "Redactar el informe de impacto de 2027 con los socios",
    ),
    "Present the impact report to an external stakeholder": (
        "Présenter le rapport d'impact à une partie prenante externe",
        "Presentar el informe de impacto a una parte interesada externa",
    ),
    # the strategy plan's reflections
    "Short local actions reached many people but were rarely followed up.": (
        "Les actions locales courtes ont touché beaucoup de monde mais ont rarement eu de suite.",
        "Las acciones locales cortas llegaron a mucha gente pero rara vez tuvieron seguimiento.",
    ),
    "Travel costs and visas keep people with fewer opportunities out of workcamps.": (
        "Les frais de voyage et les visas tiennent les personnes ayant moins d'opportunités "
        "à l'écart des chantiers.",
        "Los gastos de viaje y los visados dejan fuera de los campos de trabajo a las personas "
        "con menos oportunidades.",
    ),
    "Members want a shared way to show change in volunteers and host communities.": (
        "Les membres veulent une manière commune de montrer le changement chez les volontaires "
        "et dans les communautés d'accueil.",
        "Los miembros quieren una forma común de mostrar el cambio en el voluntariado y en las "
        "comunidades de acogida.",
    ),
    "Publish the impact figures on the public campaign page": (
        "Publier les chiffres d'impact sur la page publique de la campagne",
        "Publicar las cifras de impacto en la página pública de la campaña",
    ),
}


def translations(**texts: str) -> dict[str, dict[str, str]]:
    """The French and Spanish versions of the demo texts ``texts`` (field → English)."""
    versions: dict[str, dict[str, str]] = {"fr": {}, "es": {}}
    for field, text in texts.items():
        if text:
            french, spanish = TRANSLATIONS[text]
            versions["fr"][field] = french
            versions["es"][field] = spanish
    return versions


@dataclass(frozen=True)
class CampaignsDemo:
    programme: Programme
    campaign: Campaign
    projects: list[Campaign]
    plan: Plan


def _themes(campaign: Campaign, entries: list[tuple[str, str]]) -> list[Theme]:
    return [
        Theme.objects.update_or_create(
            campaign=campaign,
            number=number,
            defaults={"code": code, "name": name, "translations": translations(name=name)},
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
    programme_texts = {
        "name": "Raising Peace Programme",
        "description": "The network's programme for peace and human rights, 2025-2028.",
    }
    campaign_texts = {
        "name": "Raising Peace Campaign",
        "description": (
            "Member organisations run workcamps, trainings and local actions around five "
            "rights, and measure together what changes."
        ),
    }
    programme, _created = Programme.objects.update_or_create(
        code="raising-peace",
        defaults={
            **programme_texts,
            "translations": translations(**programme_texts),
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
            **campaign_texts,
            "translations": translations(**campaign_texts),
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
                "translations": translations(name=name, description=description),
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
        defaults={
            "start_year": 2027,
            "end_year": 2028,
            "is_published": True,
            "translations": translations(title="Raising Peace strategy"),
        },
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
            plan=plan,
            kind=kind,
            defaults={
                "text": text,
                "source_reference": source,
                "translations": translations(text=text),
            },
        )
    # Some actions belong to the demo organisation coordinator's organisation (the first).
    owners = [organisations[0], *organisations[1:8]]
    counter = 0
    for goal_number, (goal_title, objectives) in enumerate(PLAN_TREE, start=1):
        goal, _created = Goal.objects.update_or_create(
            plan=plan,
            number=goal_number,
            defaults={"title": goal_title, "translations": translations(title=goal_title)},
        )
        for objective_number, (objective_title, actions) in enumerate(objectives, start=1):
            objective, _created = Objective.objects.update_or_create(
                goal=goal,
                number=objective_number,
                defaults={
                    "title": objective_title,
                    "translations": translations(title=objective_title),
                },
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
                        "translations": translations(title=ACTION_TITLES[counter - 1]),
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
