# ruff: noqa: E501 -- respondent-facing wording in three languages; typographic dashes are intended
"""The questions of the shipped framework, by theme and always-asked block."""

from __future__ import annotations

from typing import Any

from peaceworks.impact.default_framework.texts import Texts, t


def q(
    code: str,
    block: str,
    theme: int | None,
    kind: str,
    roles: str,
    text: Texts,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "code": code,
        "block": block,
        "theme": theme,
        "kind": kind,
        "roles": roles.split(),
        "text": text,
        **extra,
    }


def choices(*items: tuple[str, Texts] | tuple[str, Texts, bool]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        choice: dict[str, Any] = {"value": item[0], "label": item[1]}
        if len(item) > 2 and item[2]:
            choice["sensitive"] = True
        out.append(choice)
    return out


YES_NO = choices(("yes", t("Yes", "Oui", "Sí")), ("no", t("No", "Non", "No")))

A = "agreement"
THEME_QUESTIONS: list[dict[str, Any]] = [
    # Theme 1: migrant and refugee rights
    q(
        "t1_knowledge",
        "theme",
        1,
        A,
        "pre post fu",
        t(
            "I know the main rights of migrants and refugees and where they can find support.",
            "Je connais les principaux droits des personnes migrantes et réfugiées et où elles "
            "peuvent trouver du soutien.",
            "Conozco los principales derechos de las personas migrantes y refugiadas y dónde pueden "
            "encontrar apoyo.",
        ),
        then=True,
    ),
    q(
        "t1_equal_rights",
        "theme",
        1,
        A,
        "pre post fu",
        t(
            "Everyone should have the same civil rights, whatever their residence status.",
            "Tout le monde devrait avoir les mêmes droits civils, quel que soit son statut de séjour.",
            "Todas las personas deberían tener los mismos derechos civiles, sea cual sea su situación "
            "de residencia.",
        ),
        then=True,
    ),
    q(
        "t1_confidence",
        "theme",
        1,
        A,
        "pre post",
        t(
            "I feel confident working alongside people with a migrant or refugee background.",
            "Je me sens à l'aise pour travailler avec des personnes issues de la migration ou "
            "réfugiées.",
            "Me siento con confianza para trabajar junto a personas de origen migrante o refugiado.",
        ),
        then=True,
    ),
    q(
        "p_t1_inclusion",
        "partner",
        1,
        A,
        "partner",
        t(
            "Thanks to the project, people with a migrant or refugee background took a fuller part "
            "in community life.",
            "Grâce au projet, les personnes migrantes ou réfugiées ont davantage pris part à la vie "
            "de la communauté.",
            "Gracias al proyecto, las personas migrantes o refugiadas participaron más en la vida de "
            "la comunidad.",
        ),
    ),
    # Theme 2: food, housing and a dignified life
    q(
        "t2_needs_rights",
        "theme",
        2,
        A,
        "pre post fu",
        t(
            "Food and housing are rights, not favours.",
            "L'alimentation et le logement sont des droits, pas des faveurs.",
            "La alimentación y la vivienda son derechos, no favores.",
        ),
        then=True,
    ),
    q(
        "t2_sustainable",
        "theme",
        2,
        A,
        "pre post fu",
        t(
            "In my daily life I make choices that respect people and the planet (food, energy, "
            "waste).",
            "Au quotidien, je fais des choix qui respectent les personnes et la planète "
            "(alimentation, énergie, déchets).",
            "En mi vida diaria tomo decisiones que respetan a las personas y al planeta "
            "(alimentación, energía, residuos).",
        ),
        then=True,
    ),
    q(
        "t2_behaviour",
        "theme",
        2,
        "single",
        "fu",
        t(
            "Since the project, have you changed a daily habit for a more sustainable one?",
            "Depuis le projet, avez-vous changé une habitude quotidienne pour une plus durable ?",
            "Desde el proyecto, ¿has cambiado algún hábito diario por otro más sostenible?",
        ),
        choices=YES_NO,
    ),
    q(
        "p_t2_access",
        "partner",
        2,
        A,
        "partner",
        t(
            "The project improved local people's access to food, housing or other basic needs.",
            "Le projet a amélioré l'accès des habitants à l'alimentation, au logement ou à d'autres "
            "besoins essentiels.",
            "El proyecto mejoró el acceso de la población local a la alimentación, la vivienda u "
            "otras necesidades básicas.",
        ),
    ),
    q(
        "p_t2_people_reached",
        "partner",
        2,
        "number",
        "partner",
        t(
            "How many local people benefited directly from this work?",
            "Combien d'habitants ont directement bénéficié de ce travail ?",
            "¿Cuántas personas de la zona se beneficiaron directamente de este trabajo?",
        ),
        min_value=0,
        max_value=100000,
    ),
    # Theme 3: gender and bodily autonomy
    q(
        "t3_recognise",
        "theme",
        3,
        A,
        "pre post fu",
        t(
            "I can recognise discrimination or violence based on gender when I see it.",
            "Je sais reconnaître une discrimination ou une violence fondée sur le genre quand j'en "
            "vois une.",
            "Sé reconocer la discriminación o la violencia por motivos de género cuando la veo.",
        ),
        then=True,
    ),
    q(
        "t3_speak_up",
        "theme",
        3,
        A,
        "pre post fu",
        t(
            "I would feel able to speak up if someone were treated unfairly because of their gender.",
            "Je me sentirais capable de réagir si quelqu'un était traité injustement à cause de son "
            "genre.",
            "Me sentiría capaz de alzar la voz si alguien fuera tratado injustamente por su género.",
        ),
        then=True,
    ),
    q(
        "t3_bodily_autonomy",
        "theme",
        3,
        A,
        "pre post",
        t(
            "Every person should decide freely about their own body.",
            "Chaque personne devrait décider librement de ce qui concerne son propre corps.",
            "Cada persona debería decidir libremente sobre su propio cuerpo.",
        ),
        then=True,
        switchable=True,
    ),
    q(
        "t3_fair_tasks",
        "theme",
        3,
        A,
        "post",
        t(
            "In our group, tasks were shared fairly whatever people's gender.",
            "Dans notre groupe, les tâches ont été réparties équitablement quel que soit le genre.",
            "En nuestro grupo, las tareas se repartieron de forma justa sin importar el género.",
        ),
    ),
    # Theme 4: peace
    q(
        "t4_conflict",
        "theme",
        4,
        A,
        "pre post fu",
        t(
            "When a disagreement arises, I listen to the other side before answering.",
            "Quand un désaccord apparaît, j'écoute l'autre avant de répondre.",
            "Cuando surge un desacuerdo, escucho a la otra parte antes de responder.",
        ),
        then=True,
    ),
    q(
        "t4_ics_enjoy",
        "theme",
        4,
        A,
        "pre post fu",
        t(
            "I enjoy spending time with people from other cultures.",
            "J'aime passer du temps avec des personnes d'autres cultures.",
            "Disfruto pasando tiempo con personas de otras culturas.",
        ),
        then=True,
        scale="t4_intercultural",
    ),
    q(
        "t4_ics_respect",
        "theme",
        4,
        A,
        "pre post fu",
        t(
            "I respect the way people from other cultures behave, even when it differs from mine.",
            "Je respecte la manière d'agir des personnes d'autres cultures, même quand elle diffère "
            "de la mienne.",
            "Respeto la forma de actuar de personas de otras culturas, aunque sea distinta de la mía.",
        ),
        then=True,
        scale="t4_intercultural",
    ),
    q(
        "t4_ics_patience",
        "theme",
        4,
        A,
        "pre post fu",
        t(
            "I am patient when talking with people whose culture I do not know well.",
            "Je suis patient·e quand je parle avec des personnes dont je connais mal la culture.",
            "Tengo paciencia al hablar con personas cuya cultura no conozco bien.",
        ),
        then=True,
        scale="t4_intercultural",
    ),
    q(
        "t4_coexist",
        "theme",
        4,
        A,
        "pre post fu",
        t(
            "Different groups in a society can live together peacefully.",
            "Des groupes différents peuvent vivre ensemble en paix dans une société.",
            "Distintos grupos de una sociedad pueden convivir en paz.",
        ),
        then=True,
    ),
    q(
        "p_t4_relations",
        "partner",
        4,
        A,
        "partner",
        t(
            "The project improved relations between different groups in the community.",
            "Le projet a amélioré les relations entre les différents groupes de la communauté.",
            "El proyecto mejoró las relaciones entre los distintos grupos de la comunidad.",
        ),
    ),
    # Theme 5: participation
    q(
        "t5_efficacy",
        "theme",
        5,
        A,
        "pre post fu",
        t(
            "People like me can change things in our community.",
            "Des personnes comme moi peuvent faire changer les choses dans notre communauté.",
            "Personas como yo pueden cambiar cosas en nuestra comunidad.",
        ),
        then=True,
    ),
    q(
        "t5_intention",
        "theme",
        5,
        A,
        "pre post",
        t(
            "In the coming year I intend to take part in a civic action or campaign.",
            "Dans l'année qui vient, j'ai l'intention de participer à une action citoyenne ou à une "
            "campagne.",
            "En el próximo año tengo intención de participar en una acción ciudadana o campaña.",
        ),
        then=True,
    ),
    q(
        "t5_actions",
        "theme",
        5,
        "multiple",
        "fu",
        t(
            "Since the project, which of these have you done?",
            "Depuis le projet, qu'avez-vous fait parmi ces actions ?",
            "Desde el proyecto, ¿cuáles de estas cosas has hecho?",
        ),
        choices=choices(
            (
                "volunteered",
                t("Volunteered again", "Refait du volontariat", "Volví a hacer voluntariado"),
            ),
            (
                "petition",
                t(
                    "Signed or started a petition",
                    "Signé ou lancé une pétition",
                    "Firmé o inicié una petición",
                ),
            ),
            ("event", t("Organised an event", "Organisé un événement", "Organicé un evento")),
            (
                "association",
                t("Joined an association", "Rejoint une association", "Me uní a una asociación"),
            ),
            ("none", t("None of these", "Aucune de ces actions", "Ninguna de estas")),
        ),
    ),
    q(
        "p_t5_local_part",
        "partner",
        5,
        A,
        "partner",
        t(
            "Local people took an active part in the project.",
            "Les habitants ont pris une part active au projet.",
            "La población local participó activamente en el proyecto.",
        ),
    ),
]
