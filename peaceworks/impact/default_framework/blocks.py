# ruff: noqa: E501, RUF001 -- respondent-facing wording in three languages; typographic dashes are intended
"""Questions of the always-asked blocks: competences, inclusion, about you."""

from __future__ import annotations

from typing import Any

from peaceworks.impact.default_framework.questions import YES_NO, A, choices, q
from peaceworks.impact.default_framework.texts import t

#: Answer codes of the "fewer opportunities" question that the analytics read (``analytics.frame``
#: imports them: one place for the codes). The categories, in the order of the frame's bitmask.
FEWER_OPPORTUNITY_CATEGORIES: tuple[str, ...] = (
    "disability",
    "health",
    "education",
    "cultural",
    "social",
    "economic",
    "discrimination",
    "geographical",
)
#: "None of these": the only answer that makes a respondent count as "no".
NONE_OF_THESE = "none"
#: "I prefer not to say" (also the gender question's choice): never "no", always "not said".
PREFER_NOT = "prefer_not"

#: the free-text question where volunteers and partners tell what changed: its answers, with
#: the respondent's consent to being quoted, can become a report's selected stories
STORY_QUESTION = "v_story"

BLOCK_QUESTIONS: list[dict[str, Any]] = [
    # Competences (always asked)
    q(
        "c_languages",
        "competence",
        None,
        A,
        "pre post",
        t(
            "I can make myself understood with people who do not speak my language.",
            "J'arrive à me faire comprendre de personnes qui ne parlent pas ma langue.",
            "Consigo hacerme entender con personas que no hablan mi idioma.",
        ),
        then=True,
    ),
    q(
        "c_selfeff_solve",
        "competence",
        None,
        A,
        "pre post fu",
        t(
            "I can find a solution to most problems if I make the effort.",
            "Je peux trouver une solution à la plupart des problèmes si je fais l'effort.",
            "Puedo encontrar solución a la mayoría de los problemas si me esfuerzo.",
        ),
        then=True,
        scale="c_self_efficacy",
    ),
    q(
        "c_selfeff_unexpected",
        "competence",
        None,
        A,
        "pre post fu",
        t(
            "I stay calm when something unexpected happens.",
            "Je reste calme quand un imprévu survient.",
            "Mantengo la calma cuando ocurre algo inesperado.",
        ),
        then=True,
        scale="c_self_efficacy",
    ),
    q(
        "c_selfeff_goals",
        "competence",
        None,
        A,
        "pre post fu",
        t(
            "I manage to reach the goals I set myself.",
            "J'arrive à atteindre les objectifs que je me fixe.",
            "Consigo alcanzar las metas que me propongo.",
        ),
        then=True,
        scale="c_self_efficacy",
    ),
    q(
        "c_teamwork",
        "competence",
        None,
        A,
        "pre post",
        t(
            "I work well in a team with people very different from me.",
            "Je travaille bien en équipe avec des personnes très différentes de moi.",
            "Trabajo bien en equipo con personas muy distintas a mí.",
        ),
        then=True,
    ),
    q(
        "c_autonomy",
        "competence",
        None,
        A,
        "pre post",
        t(
            "I can organise myself and take decisions on my own.",
            "Je sais m'organiser et prendre des décisions par moi-même.",
            "Sé organizarme y tomar decisiones por mi cuenta.",
        ),
        then=True,
    ),
    q(
        "c_learned",
        "competence",
        None,
        A,
        "post",
        t(
            "I learned something during this project that will be useful to me.",
            "Pendant ce projet, j'ai appris quelque chose qui me sera utile.",
            "Durante este proyecto aprendí algo que me será útil.",
        ),
    ),
    q(
        "c_satisfaction",
        "competence",
        None,
        A,
        "post",
        t(
            "Overall, I am satisfied with this project.",
            "Dans l'ensemble, je suis satisfait·e de ce projet.",
            "En general, estoy satisfecho/a con este proyecto.",
        ),
    ),
    q(
        "attribution",
        "competence",
        None,
        A,
        "post fu",
        t(
            "How much of the change you noticed in yourself is due to this project? "
            "(1 = none of it, 5 = all of it)",
            "Quelle part du changement que vous avez remarqué chez vous est due à ce projet ? "
            "(1 = aucune, 5 = la totalité)",
            "¿Qué parte del cambio que notaste en ti se debe a este proyecto? (1 = nada, 5 = todo)",
        ),
    ),
    # Inclusion (always asked)
    q(
        "i_belonging",
        "inclusion",
        None,
        A,
        "post",
        t(
            "I felt I fully belonged in the group.",
            "Je me suis senti·e pleinement membre du groupe.",
            "Me sentí plenamente parte del grupo.",
        ),
    ),
    q(
        "i_fair_treatment",
        "inclusion",
        None,
        A,
        "post",
        t(
            "Everyone in the group was treated fairly.",
            "Tout le monde a été traité équitablement dans le groupe.",
            "Todas las personas del grupo recibieron un trato justo.",
        ),
    ),
    q(
        "p_support_measures",
        "partner",
        None,
        "multiple",
        "partner",
        t(
            "Which support measures were offered to participants who needed them?",
            "Quelles mesures de soutien ont été proposées aux participants qui en avaient besoin ?",
            "¿Qué medidas de apoyo se ofrecieron a quienes las necesitaban?",
        ),
        choices=choices(
            ("financial", t("Financial help", "Aide financière", "Ayuda económica")),
            (
                "mentoring",
                t(
                    "Mentoring or a contact person",
                    "Tutorat ou personne référente",
                    "Mentoría o persona de referencia",
                ),
            ),
            (
                "accessibility",
                t(
                    "Accessible place or transport",
                    "Lieu ou transport accessible",
                    "Lugar o transporte accesible",
                ),
            ),
            ("language", t("Language support", "Soutien linguistique", "Apoyo lingüístico")),
            ("none", t("None", "Aucune", "Ninguna")),
        ),
    ),
    q(
        "i_harm",
        "inclusion",
        None,
        "single",
        "post partner",
        t(
            "Did the project cause any harm or unpleasant situation to anyone, as far as you know?",
            "À votre connaissance, le projet a-t-il causé du tort ou une situation pénible à "
            "quelqu'un ?",
            "Que sepas, ¿el proyecto causó algún daño o situación desagradable a alguien?",
        ),
        choices=YES_NO,
        harm=True,
    ),
    q(
        "i_harm_text",
        "inclusion",
        None,
        "text",
        "post partner",
        t(
            "Please describe what happened. A coordinator will read it carefully.",
            "Décrivez ce qui s'est passé. Une personne coordinatrice le lira attentivement.",
            "Describe lo que ocurrió. Una persona coordinadora lo leerá con atención.",
        ),
        relevant={"question": "i_harm", "value": "yes"},
        harm=True,
    ),
    q(
        STORY_QUESTION,
        "inclusion",
        None,
        "text",
        "post partner",
        t(
            "If you like, tell us in a few sentences what this project changed for you or for "
            "the people around you (optional).",
            "Si vous le souhaitez, racontez en quelques phrases ce que ce projet a changé pour "
            "vous ou pour les personnes autour de vous (facultatif).",
            "Si quieres, cuéntanos en pocas frases qué cambió este proyecto para ti o para las "
            "personas a tu alrededor (opcional).",
        ),
    ),
    # About you (demographics, asked in volunteer surveys)
    q(
        "gender",
        "demographics",
        None,
        "single",
        "pre post",
        t("Gender", "Genre", "Género"),
        choices=choices(
            ("woman", t("Woman", "Femme", "Mujer")),
            ("man", t("Man", "Homme", "Hombre")),
            ("non_binary", t("Non-binary", "Non binaire", "No binario")),
            (
                "self_describe",
                t(
                    "I describe myself differently",
                    "Je me décris autrement",
                    "Me describo de otra forma",
                ),
            ),
            (
                PREFER_NOT,
                t("I prefer not to say", "Je préfère ne pas répondre", "Prefiero no decirlo"),
            ),
        ),
    ),
    q(
        "age_band",
        "demographics",
        None,
        "single",
        "pre post",
        t("Age", "Âge", "Edad"),
        choices=choices(
            ("under_18", t("Under 18", "Moins de 18 ans", "Menos de 18")),
            ("18_25", t("18–25", "18–25 ans", "18–25")),
            ("26_30", t("26–30", "26–30 ans", "26–30")),
            ("31_plus", t("31 or older", "31 ans ou plus", "31 o más")),
        ),
    ),
    q(
        "role",
        "demographics",
        None,
        "single",
        "pre post",
        t("Your role in the project", "Votre rôle dans le projet", "Tu papel en el proyecto"),
        choices=choices(
            (
                "international",
                t(
                    "International volunteer",
                    "Volontaire international·e",
                    "Voluntario/a internacional",
                ),
            ),
            ("local", t("Local volunteer", "Volontaire local·e", "Voluntario/a local")),
            ("camp_leader", t("Camp leader", "Responsable de chantier", "Coordinador/a del campo")),
        ),
    ),
    q(
        "residence_country",
        "demographics",
        None,
        "text",
        "pre post",
        t(
            "Country where you live (two-letter code, e.g. FR)",
            "Pays où vous vivez (code à deux lettres, par ex. FR)",
            "País donde vives (código de dos letras, p. ej. ES)",
        ),
    ),
    q(
        "first_experience",
        "demographics",
        None,
        "single",
        "pre post",
        t(
            "Is this your first voluntary service project?",
            "Est-ce votre premier projet de volontariat ?",
            "¿Es tu primer proyecto de voluntariado?",
        ),
        choices=YES_NO,
    ),
    q(
        "fewer_opportunities",
        "demographics",
        None,
        "multiple",
        "pre post",
        t(
            "Does anything make it harder for you than for others to take part in projects like "
            "this? Choose all that apply (optional).",
            "Est-ce que quelque chose vous rend plus difficile qu'à d'autres la participation à ce "
            "type de projet ? Cochez tout ce qui s'applique (facultatif).",
            "¿Hay algo que te dificulte más que a otras personas participar en proyectos como este? "
            "Marca todo lo que corresponda (opcional).",
        ),
        choices=choices(
            ("disability", t("Disability", "Handicap", "Discapacidad"), True),
            ("health", t("Health problems", "Problèmes de santé", "Problemas de salud"), True),
            (
                "education",
                t(
                    "Barriers linked to education or training",
                    "Obstacles liés à l'éducation ou à la formation",
                    "Barreras ligadas a la educación o la formación",
                ),
            ),
            (
                "cultural",
                t(
                    "Cultural differences (e.g. migrant background, minority, language)",
                    "Différences culturelles (par ex. migration, minorité, langue)",
                    "Diferencias culturales (p. ej. origen migrante, minoría, idioma)",
                ),
            ),
            ("social", t("Social barriers", "Obstacles sociaux", "Barreras sociales")),
            ("economic", t("Economic barriers", "Obstacles économiques", "Barreras económicas")),
            ("discrimination", t("Discrimination", "Discriminations", "Discriminación")),
            (
                "geographical",
                t("Geographical barriers", "Obstacles géographiques", "Barreras geográficas"),
            ),
            (NONE_OF_THESE, t("None of these", "Aucun de ces obstacles", "Ninguna de estas")),
            (
                PREFER_NOT,
                t("I prefer not to say", "Je préfère ne pas répondre", "Prefiero no decirlo"),
            ),
        ),
    ),
]
