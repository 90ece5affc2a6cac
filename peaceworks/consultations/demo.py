"""The demo's finished consultation, "Raising Peace: the next two years": about 400
contributions in English, French and Spanish from the demo organisations on five planted
topics, and 120 participants voting on 60 statements in three planted opinion groups.

Deterministic (its own seeded random generator) and idempotent (nothing is added when the
consultation exists). The synthesis runs after the data is in, when the engine is installed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from peaceworks.consultations.analysis import draft_markdown, engine_available
from peaceworks.consultations.models import (
    Consultation,
    Contribution,
    Draft,
    Moderation,
    Participant,
    Prompt,
    Statement,
    SynthesisRun,
    Vote,
)
from peaceworks.consultations.services import synthesis_execute
from peaceworks.directory.models import Organisation

SLUG = "raising-peace-next-two-years"
SEED = 16
CONTRIBUTIONS = 400
PARTICIPANTS = 120
UNSEEN = 0.3

# topic → language → (openings, cores, details); sentences are put together from the parts.
TOPICS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "housing": {
        "en": (
            ("In our city,", "Our volunteers see that", "Every year"),
            (
                "young migrants cannot find decent housing",
                "rents push refugees and young people out of the neighbourhood",
                "homeless people are left without shelter in winter",
            ),
            (
                "and the network should campaign for the right to housing.",
                "so workcamps could renovate empty homes.",
                "which makes integration impossible.",
            ),
        ),
        "fr": (
            ("Dans notre ville,", "Nos bénévoles constatent que", "Chaque année,"),
            (
                "les jeunes migrants ne trouvent pas de logement digne",
                "les loyers chassent les réfugiés et les jeunes du quartier",
                "les personnes sans abri restent dehors en hiver",
            ),
            (
                "et le réseau devrait défendre le droit au logement.",
                "donc des chantiers pourraient rénover des logements vides.",
                "ce qui rend l'intégration impossible.",
            ),
        ),
        "es": (
            ("En nuestra ciudad,", "Nuestros voluntarios ven que", "Cada año,"),
            (
                "los jóvenes migrantes no encuentran una vivienda digna",
                "los alquileres expulsan a refugiados y jóvenes del barrio",
                "las personas sin hogar se quedan en la calle en invierno",
            ),
            (
                "y la red debería defender el derecho a la vivienda.",
                "así que los campos de trabajo podrían renovar casas vacías.",
                "lo que hace imposible la integración.",
            ),
        ),
    },
    "gender": {
        "en": (
            ("We believe", "Our members insist that", "From our experience,"),
            (
                "women must lead projects as often as men",
                "gender equality should be part of every training",
                "violence against women is still hidden in many communities",
            ),
            (
                "and the strategy should set targets for it.",
                "so coordinators need support on it.",
                "and volunteers can help change that.",
            ),
        ),
        "fr": (
            ("Nous pensons que", "Nos membres insistent :", "D'après notre expérience,"),
            (
                "les femmes doivent diriger autant de projets que les hommes",
                "l'égalité entre les femmes et les hommes doit faire partie de chaque formation",
                "les violences faites aux femmes restent cachées dans beaucoup de communautés",
            ),
            (
                "et la stratégie devrait fixer des objectifs.",
                "donc les coordinateurs ont besoin de soutien.",
                "et les bénévoles peuvent aider à changer cela.",
            ),
        ),
        "es": (
            ("Creemos que", "Nuestros miembros insisten en que", "Según nuestra experiencia,"),
            (
                "las mujeres deben dirigir tantos proyectos como los hombres",
                "la igualdad de género debe formar parte de cada formación",
                "la violencia contra las mujeres sigue oculta en muchas comunidades",
            ),
            (
                "y la estrategia debería fijar metas.",
                "así que los coordinadores necesitan apoyo.",
                "y los voluntarios pueden ayudar a cambiarlo.",
            ),
        ),
    },
    "volunteering": {
        "en": (
            ("For young people,", "Long-term volunteers say", "Our sending branch finds that"),
            (
                "volunteering abroad is becoming too expensive",
                "visa refusals stop volunteers from the South from travelling",
                "short workcamps need better preparation and follow-up",
            ),
            (
                "so the network should fund travel for those with fewer opportunities.",
                "and partners should share the costs.",
                "which the next strategy must address.",
            ),
        ),
        "fr": (
            (
                "Pour les jeunes,",
                "Les volontaires long terme disent que",
                "Notre branche d'envoi constate que",
            ),
            (
                "le volontariat à l'étranger devient trop cher",
                "les refus de visa empêchent les volontaires du Sud de voyager",
                "les chantiers courts demandent une meilleure préparation et un meilleur suivi",
            ),
            (
                "donc le réseau devrait financer les voyages des personnes"
                " ayant moins d'opportunités.",
                "et les partenaires devraient partager les coûts.",
                "ce que la prochaine stratégie doit traiter.",
            ),
        ),
        "es": (
            (
                "Para la gente joven,",
                "Los voluntarios de largo plazo dicen que",
                "Nuestra rama de envío ve que",
            ),
            (
                "el voluntariado en el extranjero es cada vez más caro",
                "las denegaciones de visado impiden viajar a los voluntarios del Sur",
                "los campos de trabajo cortos necesitan mejor preparación y seguimiento",
            ),
            (
                "así que la red debería financiar viajes para quienes tienen menos oportunidades.",
                "y los socios deberían compartir los costes.",
                "algo que la próxima estrategia debe abordar.",
            ),
        ),
    },
    "climate": {
        "en": (
            ("Our communities feel that", "After the floods,", "Members in the Sahel report that"),
            (
                "climate change is destroying harvests and livelihoods",
                "environmental projects bring villages and volunteers together",
                "the network should cut its own travel emissions",
            ),
            (
                "and peace depends on it.",
                "so more workcamps should plant trees and protect water.",
                "even if it means fewer flights.",
            ),
        ),
        "fr": (
            (
                "Nos communautés sentent que",
                "Après les inondations,",
                "Les membres du Sahel rapportent que",
            ),
            (
                "le changement climatique détruit les récoltes et les moyens de vivre",
                "les projets environnementaux rassemblent villages et bénévoles",
                "le réseau devrait réduire ses propres émissions liées aux voyages",
            ),
            (
                "et la paix en dépend.",
                "donc plus de chantiers devraient planter des arbres et protéger l'eau.",
                "même si cela veut dire moins de vols.",
            ),
        ),
        "es": (
            (
                "Nuestras comunidades sienten que",
                "Después de las inundaciones,",
                "Los miembros del Sahel cuentan que",
            ),
            (
                "el cambio climático destruye las cosechas y los medios de vida",
                "los proyectos ambientales unen a pueblos y voluntarios",
                "la red debería reducir sus propias emisiones de viajes",
            ),
            (
                "y la paz depende de ello.",
                "así que más campos de trabajo deberían plantar árboles y proteger el agua.",
                "aunque eso signifique menos vuelos.",
            ),
        ),
    },
    "education": {
        "en": (
            ("In schools,", "Teachers we work with say", "We have learned that"),
            (
                "peace education prevents conflict between young people",
                "learning about human rights changes how pupils see refugees",
                "non-violent communication workshops reduce bullying",
            ),
            (
                "and the network should train more trainers.",
                "so it belongs in every campaign.",
                "which we want to share across the network.",
            ),
        ),
        "fr": (
            (
                "Dans les écoles,",
                "Les enseignants avec qui nous travaillons disent que",
                "Nous avons appris que",
            ),
            (
                "l'éducation à la paix prévient les conflits entre jeunes",
                "apprendre les droits humains change le regard des élèves sur les réfugiés",
                "les ateliers de communication non violente réduisent le harcèlement",
            ),
            (
                "et le réseau devrait former plus de formateurs.",
                "donc elle a sa place dans chaque campagne.",
                "ce que nous voulons partager dans le réseau.",
            ),
        ),
        "es": (
            (
                "En las escuelas,",
                "Los docentes con quienes trabajamos dicen que",
                "Hemos aprendido que",
            ),
            (
                "la educación para la paz previene conflictos entre jóvenes",
                "aprender sobre derechos humanos cambia la mirada del alumnado"
                " sobre los refugiados",
                "los talleres de comunicación no violenta reducen el acoso escolar",
            ),
            (
                "y la red debería formar a más formadores.",
                "así que tiene su lugar en cada campaña.",
                "algo que queremos compartir en la red.",
            ),
        ),
    },
}

PROMPTS = (
    {
        "en": "What should the network work on in the next two years?",
        "fr": "Sur quoi le réseau devrait-il travailler ces deux prochaines années ?",
        "es": "¿En qué debería trabajar la red en los próximos dos años?",
    },
    {
        "en": "What have you seen change in your community?",
        "fr": "Qu'avez-vous vu changer dans votre communauté ?",
        "es": "¿Qué cambios ha visto en su comunidad?",
    },
)

# Statements: 20 most agree with, 20 group A supports and group B opposes, 20 the reverse.
CONSENSUS = (
    "Volunteering should be open to people with fewer opportunities.",
    "Peace education belongs in every campaign.",
    "The network should share training materials in English, French and Spanish.",
    "Member organisations should meet in person at least once a year.",
    "Every project should consult the local community first.",
    "Gender equality should be part of every training.",
    "The network should publish what it learns each year.",
    "Young people should sit on the network's board.",
    "Visa refusals for volunteers from the South are unfair.",
    "Coordinators need more support to prevent burn-out.",
    "Workcamps should include reflection on their impact.",
    "Host communities should be partners, not beneficiaries.",
    "The network should welcome new members from Africa and Asia.",
    "Safeguarding rules should be the same for every member.",
    "Volunteers should be prepared before they travel.",
    "Local volunteers matter as much as international ones.",
    "Our campaigns should speak about human rights.",
    "Members should be able to contribute in their own language.",
    "The network should defend civic space for NGOs.",
    "Peace starts with how we treat each other in the network.",
)
SIDE_A = tuple(
    f"The network should {text}."
    for text in (
        "cut flights and favour regional exchanges",
        "take public positions on wars and occupations",
        "campaign for the right to housing",
        "join climate marches as a network",
        "refuse funding from arms-producing companies",
        "lobby the EU on migration policy",
        "put climate first in its strategy",
        "support conscientious objectors",
        "run campaigns with social movements",
        "make every camp carbon-neutral",
        "speak out against border violence",
        "favour long-term volunteering over short camps",
        "set quotas for members from the South",
        "ban projects that require long-haul flights",
        "work with trade unions",
        "campaign against military spending",
        "host volunteers in squats and community centres",
        "spend reserves on advocacy",
        "publish statements on national elections",
        "prioritise activism over service",
    )
)
SIDE_B = tuple(
    f"The network should {text}."
    for text in (
        "stay neutral on political questions",
        "focus on workcamps and leave advocacy to others",
        "grow through partnerships with companies",
        "keep international flights for cultural exchange",
        "accept any legal funding that keeps fees low",
        "concentrate on European programmes",
        "measure success by the number of volunteers sent",
        "keep campaigns apart from party politics",
        "professionalise its coordination",
        "prioritise short camps that more people can join",
        "avoid statements that could divide members",
        "work closely with governments",
        "keep membership fees the same for everyone",
        "let each member decide its own priorities",
        "invest in fundraising before advocacy",
        "focus on service rather than protest",
        "use hotels and hostels for safety",
        "keep reserves for hard times",
        "stay out of national elections",
        "grow volunteer numbers before anything else",
    )
)


def _text(rng: random.Random, topic: str, language: str) -> str:
    openings, cores, details = TOPICS[topic][language]
    return f"{rng.choice(openings)} {rng.choice(cores)} {rng.choice(details)}"


def seed(organisations: Sequence[Organisation]) -> Consultation | None:
    """Create the consultation with its contributions and votes (once)."""
    if Consultation.objects.filter(slug=SLUG).exists():
        return None
    rng = random.Random(SEED)
    consultation = Consultation.objects.create(
        title="Raising Peace: the next two years",
        slug=SLUG,
        description=(
            "The network asked its members what it should work on next. "
            "Contributions came in English, French and Spanish; the synthesis below "
            "feeds the next strategy."
        ),
        audience=Consultation.Audience.ALL_MEMBERS,
        allows_anonymous=True,
        languages=["en", "fr", "es"],
        phase=Consultation.Phase.CLOSED,
        opens_on=date(2026, 3, 1),
        deliberation_on=date(2026, 4, 15),
        synthesis_on=date(2026, 5, 15),
        closes_on=date(2026, 6, 30),
    )
    prompts = [
        Prompt.objects.create(consultation=consultation, number=n, texts=texts)
        for n, texts in enumerate(PROMPTS, start=1)
    ]
    members = [o for o in organisations if not o.is_secretariat] or list(organisations)
    topics = sorted(TOPICS)
    rows = []
    for index in range(CONTRIBUTIONS):
        topic = topics[index % len(topics)]
        language = rng.choices(("en", "fr", "es"), weights=(4, 3, 3))[0]
        anonymous = rng.random() < 0.1
        rows.append(
            Contribution(
                prompt=prompts[index % 2 if rng.random() < 0.3 else 0],
                text=_text(rng, topic, language),
                language=language,
                organisation=None if anonymous or not members else rng.choice(members),
                anonymous=anonymous,
                quote_consent=rng.random() < 0.7,
                moderation=Moderation.REJECTED if index % 97 == 96 else Moderation.APPROVED,
            )
        )
    Contribution.objects.bulk_create(rows)
    statements = Statement.objects.bulk_create(
        [
            Statement(
                consultation=consultation,
                text=text,
                language="en",
                origin=Statement.Origin.FACILITATOR,
                moderation=Moderation.APPROVED,
            )
            for text in (*CONSENSUS, *SIDE_A, *SIDE_B)
        ]
    )
    if any(s.pk is None for s in statements):
        statements = list(consultation.statements.order_by("pk"))
    participants = Participant.objects.bulk_create(
        [
            Participant(consultation=consultation, external_id=f"demo-{n:03d}")
            for n in range(1, PARTICIPANTS + 1)
        ]
    )
    if any(p.pk is None for p in participants):
        participants = list(consultation.participants.order_by("pk"))
    votes = []
    for n, participant in enumerate(participants):
        group = n % 3  # 0: side A, 1: side B, 2: consensus-minded, split on the rest
        for j, statement in enumerate(statements):
            if rng.random() < UNSEEN:
                continue  # unseen
            if j < len(CONSENSUS):
                agree = 0.85
            elif j < len(CONSENSUS) + len(SIDE_A):
                agree = (0.85, 0.1, 0.35)[group]
            else:
                agree = (0.1, 0.85, 0.35)[group]
            draw = rng.random()
            value = 1 if draw < agree else (0 if draw < agree + 0.1 else -1)
            votes.append(Vote(participant=participant, statement=statement, value=value))
    Vote.objects.bulk_create(votes, batch_size=2000)
    return consultation


def run_synthesis(consultation: Consultation) -> bool:
    """Work out themes and groups and write the draft; False when the engine is missing."""
    if not engine_available():
        return False
    for kind in (SynthesisRun.Kind.THEMES, SynthesisRun.Kind.GROUPS):
        run = SynthesisRun.objects.create(consultation=consultation, kind=kind, seed=0)
        synthesis_execute(run_id=run.pk)
    Draft.objects.update_or_create(
        consultation=consultation,
        defaults={"title": consultation.title, "body": draft_markdown(consultation)},
    )
    return True
