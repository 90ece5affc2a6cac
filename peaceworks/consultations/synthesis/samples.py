"""Seeded generated consultations: vote matrices with planted opinion groups, and contributions in
English, French and Spanish with planted topics. Used by the tests, the benchmark and demo data;
the same seed always gives the same sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .themes import Text


@dataclass(frozen=True)
class PlantedVotes:
    votes: npt.NDArray[np.float64]  # participants x statements, NaN unseen
    participant_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    groups: tuple[int, ...]  # the planted group of each participant


def planted_votes(
    participants: int,
    statements: int,
    groups: int,
    *,
    seed: int = 0,
    unseen: float = 0.3,
    fidelity: float = 0.8,
    spread: float = 0.2,
) -> PlantedVotes:
    """Votes from a two-axis opinion model (as ideal-point models of voting have it): each
    planted group sits at its own point of an opinion plane (evenly around a unit circle,
    members scattered around it with standard deviation ``spread``), each statement has a
    direction in that plane and an offset, and a member agrees when its position along the
    statement's direction is clearly positive, disagrees when clearly negative, passes in
    between. With probability ``1 - fidelity`` a vote
    is replaced by a random one, and a share ``unseen`` of the cells is left unseen. Group sizes
    differ (up to 2:1)."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(1.0, 2.0, size=groups)
    membership = rng.choice(groups, size=participants, p=weights / weights.sum())
    membership[:groups] = np.arange(groups)  # every group has a member
    turn = rng.uniform(0, 2 * np.pi)
    angles = turn + 2 * np.pi * np.arange(groups) / groups
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    positions = centres[membership] + rng.normal(0, spread, size=(participants, 2))
    heading = rng.uniform(0, 2 * np.pi, size=statements)
    directions = np.stack([np.cos(heading), np.sin(heading)], axis=0)  # 2 x statements
    leaning = positions @ directions + rng.normal(0, 0.3, size=statements)
    votes = np.where(leaning > 0.2, 1.0, np.where(leaning < -0.2, -1.0, 0.0))
    noise = rng.random((participants, statements)) > fidelity
    votes[noise] = rng.choice([1.0, -1.0, 0.0], size=int(noise.sum()))
    votes[rng.random((participants, statements)) < unseen] = np.nan
    return PlantedVotes(
        votes=votes,
        participant_ids=tuple(f"p{i:05d}" for i in range(participants)),
        statement_ids=tuple(f"s{j:04d}" for j in range(statements)),
        groups=tuple(int(g) for g in membership),
    )


# Planted topics: per topic and language, clauses a contributor might write. Each text takes two
# or three clauses of its topic, a place, and often a generic opening or closing sentence.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "housing_migration": {
        "en": (
            "Refugees arriving in {place} cannot find decent housing",
            "the rent for a small flat is far too high for migrants",
            "asylum seekers wait months in overcrowded shelters",
            "we should open our homes and offer accommodation to displaced families",
            "homelessness among newcomers is growing every winter",
            "our members could help migrants with the search for a home",
            "families who fled the war end up evicted from their apartments",
        ),
        "fr": (
            "les réfugiés qui arrivent à {place} ne trouvent pas de logement digne",
            "le loyer d'un petit appartement est bien trop cher pour les migrants",
            "les demandeurs d'asile attendent des mois dans des hébergements surchargés",
            "nous devrions ouvrir nos maisons et offrir un abri aux familles déplacées",
            "le nombre de sans-abri parmi les exilés augmente chaque hiver",
            "nos membres pourraient aider les migrants à chercher un logement",
            "des familles qui ont fui la guerre sont expulsées de leur appartement",
        ),
        "es": (
            "las personas refugiadas que llegan a {place} no encuentran una vivienda digna",
            "el alquiler de un piso pequeño es demasiado caro para los migrantes",
            "los solicitantes de asilo esperan meses en albergues saturados",
            "deberíamos abrir nuestras casas y ofrecer alojamiento a las familias desplazadas",
            "cada invierno hay más personas sin hogar entre los recién llegados migrantes",
            "nuestros socios podrían ayudar a los migrantes a buscar vivienda",
            "familias que huyeron de la guerra sufren el desalojo de sus apartamentos",
        ),
    },
    "climate_environment": {
        "en": (
            "the workcamps in {place} should focus on climate action",
            "volunteers planted trees and cleaned the river near {place}",
            "global warming and drought are destroying the forests",
            "we must cut the carbon emissions of our flights to workcamps",
            "plastic waste on the beach shocked every participant",
            "protecting biodiversity should be part of every camp programme",
            "climate change already hurts the communities we work with",
        ),
        "fr": (
            "les chantiers à {place} devraient se consacrer au climat",
            "les volontaires ont planté des arbres et nettoyé la rivière près de {place}",
            "le réchauffement et la sécheresse détruisent les forêts",
            "nous devons réduire les émissions de carbone de nos vols vers les chantiers",
            "les déchets plastiques sur la plage ont choqué chaque participant",
            "protéger la biodiversité devrait faire partie de chaque chantier international",
            "le changement climatique frappe déjà les populations avec qui nous travaillons",
        ),
        "es": (
            "los campos de trabajo en {place} deberían centrarse en el clima",
            "los voluntarios plantaron árboles y limpiaron el río cerca de {place}",
            "el calentamiento global y la sequía están destruyendo los bosques",
            "debemos reducir las emisiones de carbono de nuestros vuelos a los campos de trabajo",
            "los residuos de plástico en la playa impactaron a cada participante",
            "proteger la biodiversidad debería formar parte de cada campo de trabajo",
            "el cambio climático ya golpea a las poblaciones con las que trabajamos",
        ),
    },
    "gender_discrimination": {
        "en": (
            "women in {place} still face sexism in public life",
            "racism and xenophobia are rising in our towns",
            "we need training on gender equality for camp leaders",
            "hate speech against minorities spreads without answer",
            "girls are less often chosen as team coordinators",
            "stereotypes and prejudice shape how volunteers treat each other",
            "discrimination against women must be named and stopped",
        ),
        "fr": (
            "les femmes à {place} subissent encore le sexisme dans la vie publique",
            "le racisme et la xénophobie progressent dans nos villes",
            "il faut une formation à l'égalité de genre pour les animateurs de chantier",
            "les discours de haine contre les minorités se répandent sans réponse",
            "les filles sont moins souvent choisies pour coordonner les équipes",
            "les stéréotypes et les préjugés pèsent sur les relations entre volontaires",
            "la discrimination envers les femmes doit être nommée et arrêtée",
        ),
        "es": (
            "las mujeres en {place} todavía sufren sexismo en la vida pública",
            "el racismo y la xenofobia crecen en nuestras ciudades",
            "necesitamos formación en igualdad de género para quienes coordinan los campos",
            "el discurso de odio contra las minorías se difunde sin respuesta",
            "las niñas son elegidas con menos frecuencia para coordinar equipos",
            "los estereotipos y los prejuicios marcan el trato entre voluntarios",
            "la discriminación contra las mujeres debe nombrarse y detenerse",
        ),
    },
    "youth_education": {
        "en": (
            "young people in {place} want a real say in decisions",
            "schools should welcome non-formal education by volunteers",
            "youth participation is more than a seat at the table",
            "students learn citizenship best through practical projects",
            "teachers asked us for workshops on democracy",
            "a youth council could vote on the priorities of the network",
            "learning by doing keeps young volunteers engaged",
        ),
        "fr": (
            "les jeunes à {place} veulent vraiment participer aux décisions",
            "les écoles devraient accueillir l'éducation non formelle des volontaires",
            "la participation des jeunes ne se limite pas à une chaise autour de la table",
            "les étudiants apprennent mieux la citoyenneté par des projets concrets",
            "des enseignants nous ont demandé des ateliers sur la démocratie",
            "un conseil de jeunesse pourrait voter les priorités du réseau",
            "apprendre en faisant garde les jeunes volontaires motivés",
        ),
        "es": (
            "los jóvenes de {place} quieren participar de verdad en las decisiones",
            "las escuelas deberían acoger la educación no formal de los voluntarios",
            "la participación juvenil es más que una silla en la mesa",
            "los estudiantes aprenden mejor la ciudadanía con proyectos prácticos",
            "algunos docentes nos pidieron talleres sobre democracia",
            "un consejo de juventud podría votar las prioridades de la red",
            "aprender haciendo mantiene motivados a los jóvenes voluntarios",
        ),
    },
    "funding_partnership": {
        "en": (
            "our branch in {place} depends on a single grant",
            "funding from donors has fallen for three years",
            "partnerships with local organisations would share the budget",
            "the network should raise money together instead of competing",
            "small partners cannot fill in complex grant applications",
            "cooperation with other networks could open new funds",
            "a shared fundraising plan would make every partner stronger",
        ),
        "fr": (
            "notre branche à {place} dépend d'une seule subvention",
            "le financement des bailleurs baisse depuis trois ans",
            "des partenariats avec des associations locales partageraient le budget",
            "le réseau devrait chercher de l'argent ensemble au lieu de se concurrencer",
            "les petits partenaires ne peuvent pas remplir des demandes de subvention complexes",
            "la coopération avec d'autres réseaux pourrait ouvrir de nouveaux fonds",
            "un plan commun de collecte de fonds renforcerait chaque partenaire",
        ),
        "es": (
            "nuestra sede en {place} depende de una sola subvención",
            "la financiación de los donantes lleva tres años bajando",
            "las alianzas con organizaciones locales compartirían el presupuesto",
            "la red debería recaudar dinero en conjunto en lugar de competir",
            "los socios pequeños no pueden completar solicitudes de subvención complejas",
            "la cooperación con otras redes podría abrir nuevos fondos",
            "un plan común de recaudación de fondos fortalecería a cada socio",
        ),
    },
}
OPENINGS = {
    "en": ("Thank you for asking.", "In my view,", "From our experience,", "Honestly,", ""),
    "fr": ("Merci de poser la question.", "À mon avis,", "D'après notre expérience,", "", ""),
    "es": ("Gracias por preguntar.", "En mi opinión,", "Según nuestra experiencia,", "", ""),
}
CLOSINGS = {
    "en": ("That is what I hope we change.", "Let us talk about it at the assembly.", ""),
    "fr": ("C'est ce que j'espère voir changer.", "Parlons-en à l'assemblée.", ""),
    "es": ("Eso es lo que espero que cambiemos.", "Hablemos de ello en la asamblea.", ""),
}
# How a contributor frames a clause, and a sentence about themselves: variety, no topic.
FRAMES = {
    "en": (
        "{c}", "{c}", "I believe {c}", "it is clear that {c}", "many of us feel {c}",
        "in my branch {c}", "{c}, and this worries me", "{c}, as we saw last year",
    ),
    "fr": (
        "{c}", "{c}", "je crois que {c}", "il est clair que {c}",
        "beaucoup d'entre nous pensent que {c}", "dans ma branche, {c}",
        "{c}, et cela m'inquiète", "{c}, comme nous l'avons vu l'an dernier",
    ),
    "es": (
        "{c}", "{c}", "creo que {c}", "está claro que {c}", "muchos pensamos que {c}",
        "en mi sede, {c}", "{c}, y eso me preocupa", "{c}, como vimos el año pasado",
    ),
}  # fmt: skip
DETAILS = {
    "en": (
        "I have been a member for {n} years.",
        "We are a group of {n} people in {other}.",
        "Our branch opened in {year}.",
        "I am writing from {other}.",
        "",
    ),
    "fr": (
        "Je suis membre depuis {n} ans.",
        "Nous sommes un groupe de {n} personnes à {other}.",
        "Notre branche a ouvert en {year}.",
        "J'écris depuis {other}.",
        "",
    ),
    "es": (
        "Soy miembro desde hace {n} años.",
        "Somos un grupo de {n} personas en {other}.",
        "Nuestra sede abrió en {year}.",
        "Escribo desde {other}.",
        "",
    ),
}
PLACES = (
    "Accra", "Bogotá", "Dakar", "Lyon", "Nairobi", "Quito", "Kathmandu", "Lisbon", "Yaoundé",
    "Manila", "Sarajevo", "Lima", "Tunis", "Hanoi", "Bilbao", "Montréal", "Cusco", "Kampala",
)  # fmt: skip


@dataclass(frozen=True)
class PlantedTexts:
    texts: tuple[Text, ...]
    topics: tuple[str, ...]  # the planted topic of each text


def planted_contributions(
    count: int,
    *,
    seed: int = 0,
    languages: tuple[str, ...] = ("en", "fr", "es"),
    topics: tuple[str, ...] | None = None,
    mixed: float = 0.1,
    first_id: int = 0,
) -> PlantedTexts:
    """``count`` contributions, each on one planted topic in one of ``languages`` (both drawn
    evenly), of two or three of the topic's clauses, each in a random frame ("I believe ..."),
    often with an opening, a closing and a sentence about the contributor; with probability
    ``mixed`` a clause of another topic is added (a contribution touching a second theme)."""
    rng = np.random.default_rng(seed)
    names = topics or tuple(TOPICS)
    texts, planted = [], []
    for number in range(count):
        topic = names[int(rng.integers(len(names)))]
        language = languages[int(rng.integers(len(languages)))]
        pool = TOPICS[topic][language]
        picked = [
            pool[int(i)] for i in rng.choice(len(pool), size=int(rng.integers(2, 4)), replace=False)
        ]
        if rng.random() < mixed:
            other = [n for n in TOPICS if n != topic][int(rng.integers(len(TOPICS) - 1))]
            extra = TOPICS[other][language]
            picked.append(extra[int(rng.integers(len(extra)))])
        place, other = (PLACES[int(i)] for i in rng.choice(len(PLACES), size=2, replace=False))
        clauses = [_framed(c.format(place=place), language, rng) for c in picked]
        body = "; ".join(clauses)
        opening = _pick(OPENINGS[language], rng)
        closing = _pick(CLOSINGS[language], rng)
        detail = _pick(DETAILS[language], rng).format(
            n=int(rng.integers(2, 40)), year=int(rng.integers(1980, 2026)), other=other
        )
        start = body[0].lower() if opening.endswith(",") else body[0].upper()
        parts = (opening, start + body[1:] + ".", detail, closing)
        text = " ".join(part for part in parts if part)
        texts.append(Text(id=f"c{first_id + number:06d}", text=text, language=language))
        planted.append(topic)
    return PlantedTexts(texts=tuple(texts), topics=tuple(planted))


def _pick(options: tuple[str, ...], rng: np.random.Generator) -> str:
    return options[int(rng.integers(len(options)))]


def _framed(clause: str, language: str, rng: np.random.Generator) -> str:
    frame = _pick(FRAMES[language], rng)
    if frame.startswith("{c}"):
        return frame.format(c=clause)
    lowered = clause[0].lower() + clause[1:]
    if language == "fr" and frame.endswith("que {c}") and lowered[0] in "aeiouéèêh":
        return frame.replace("que {c}", "qu'{c}").format(c=lowered)  # elision: qu'il, qu'une
    return frame.format(c=lowered)
