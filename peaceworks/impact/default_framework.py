# ruff: noqa: E501, RUF001 -- respondent-facing wording in three languages; typographic dashes are intended
"""The framework Peaceworks ships: constructs for five rights themes plus the always-asked
competence and inclusion blocks, worded for this product in English, French and Spanish.

Pure data. ``services.framework_install_default`` turns it into rows for a campaign, mapping
theme numbers 1-5 onto the campaign's own themes (a module whose theme the campaign lacks is
left out). Roles: ``pre`` V-PRE, ``post`` V-POST (items marked ``then`` are also asked in the
retrospective block), ``fu`` V-FU, ``partner`` P-POST.
"""

from __future__ import annotations

from typing import Any

SOURCE = "peaceworks-default-1"
CONSENT_VERSION = "2027-1"

Texts = dict[str, str]


def t(en: str, fr: str, es: str) -> Texts:
    return {"en": en, "fr": fr, "es": es}


TITLES: dict[str, Texts] = {
    "v_pre": t("Before the project", "Avant le projet", "Antes del proyecto"),
    "v_post": t("At the end of the project", "À la fin du projet", "Al final del proyecto"),
    "v_fu": t("A few months later", "Quelques mois plus tard", "Unos meses después"),
    "p_post": t(
        "Partner and host community form",
        "Formulaire du partenaire et de la communauté d'accueil",
        "Formulario de la entidad socia y la comunidad anfitriona",
    ),
}

CONSENT = t(
    "This survey helps the organisers learn what the project changes. It takes about ten "
    "minutes. Your answers are linked only to a code you build yourself, never to your name or "
    "e-mail. Results are shown only for groups of at least five people. You can stop at any "
    "time, and you can later withdraw all your answers with your code.",
    "Ce questionnaire aide les organisateurs à comprendre ce que le projet change. Il prend "
    "environ dix minutes. Vos réponses sont liées uniquement à un code que vous composez "
    "vous-même, jamais à votre nom ni à votre e-mail. Les résultats ne sont montrés que pour des "
    "groupes d'au moins cinq personnes. Vous pouvez arrêter à tout moment et retirer plus tard "
    "toutes vos réponses avec votre code.",
    "Esta encuesta ayuda a quienes organizan a saber qué cambia el proyecto. Dura unos diez "
    "minutos. Tus respuestas solo se vinculan a un código que tú mismo construyes, nunca a tu "
    "nombre ni a tu correo. Los resultados solo se muestran para grupos de al menos cinco "
    "personas. Puedes parar cuando quieras y más tarde retirar todas tus respuestas con tu código.",
)

SENSITIVE_CONSENT = t(
    "A few questions ask about disability or health. They are optional and asked only if you "
    "agree here. Your answers to them are used only in grouped figures.",
    "Quelques questions portent sur le handicap ou la santé. Elles sont facultatives et ne sont "
    "posées que si vous l'acceptez ici. Vos réponses ne servent qu'à des chiffres groupés.",
    "Algunas preguntas tratan sobre discapacidad o salud. Son opcionales y solo se hacen si lo "
    "aceptas aquí. Tus respuestas solo se usan en cifras agrupadas.",
)

THEMES: dict[int, Texts] = {
    1: t(
        "Migrant and refugee rights",
        "Droits des personnes migrantes et réfugiées",
        "Derechos de las personas migrantes y refugiadas",
    ),
    2: t(
        "Food, housing and a dignified life",
        "Alimentation, logement et vie digne",
        "Alimentación, vivienda y vida digna",
    ),
    3: t(
        "Gender and bodily autonomy", "Genre et autonomie corporelle", "Género y autonomía corporal"
    ),
    4: t("Peace", "Paix", "Paz"),
    5: t("Participation", "Participation", "Participación"),
}


def _q(
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


def _choices(*items: tuple[str, Texts] | tuple[str, Texts, bool]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        choice: dict[str, Any] = {"value": item[0], "label": item[1]}
        if len(item) > 2 and item[2]:
            choice["sensitive"] = True
        out.append(choice)
    return out


YES_NO = _choices(("yes", t("Yes", "Oui", "Sí")), ("no", t("No", "Non", "No")))

A = "agreement"
QUESTIONS: list[dict[str, Any]] = [
    # Theme 1: migrant and refugee rights
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
        choices=_choices(
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
    _q(
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
    # Competences (always asked)
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
    _q(
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
        choices=_choices(
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
    _q(
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
    _q(
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
    # About you (demographics, asked in volunteer surveys)
    _q(
        "gender",
        "demographics",
        None,
        "single",
        "pre post",
        t("Gender", "Genre", "Género"),
        choices=_choices(
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
                "prefer_not",
                t("I prefer not to say", "Je préfère ne pas répondre", "Prefiero no decirlo"),
            ),
        ),
    ),
    _q(
        "age_band",
        "demographics",
        None,
        "single",
        "pre post",
        t("Age", "Âge", "Edad"),
        choices=_choices(
            ("under_18", t("Under 18", "Moins de 18 ans", "Menos de 18")),
            ("18_25", t("18–25", "18–25 ans", "18–25")),
            ("26_30", t("26–30", "26–30 ans", "26–30")),
            ("31_plus", t("31 or older", "31 ans ou plus", "31 o más")),
        ),
    ),
    _q(
        "role",
        "demographics",
        None,
        "single",
        "pre post",
        t("Your role in the project", "Votre rôle dans le projet", "Tu papel en el proyecto"),
        choices=_choices(
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
    _q(
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
    _q(
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
    _q(
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
        choices=_choices(
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
            ("none", t("None of these", "Aucun de ces obstacles", "Ninguna de estas")),
            (
                "prefer_not",
                t("I prefer not to say", "Je préfère ne pas répondre", "Prefiero no decirlo"),
            ),
        ),
    ),
]

#: items a member may switch off for a round where law or safety requires it
SWITCHABLE_QUESTIONS = ("t3_bodily_autonomy", "sensitive_items")

#: the older seven-category list mapped onto the current categories
LEGACY_FEWER_OPPORTUNITIES = {
    "disability": "disability",
    "educational_difficulties": "education",
    "economic_obstacles": "economic",
    "cultural_differences": "cultural",
    "health_problems": "health",
    "social_obstacles": "social",
    "geographical_obstacles": "geographical",
}

DISAGGREGATIONS = [
    "gender",
    "age_band",
    "fewer_opportunities",
    "role",
    "residence_country",
    "first_experience",
    "activity_type",
    "duration_band",
    "hosting_country",
]


def _outcome(
    code: str, theme: int | None, block: str, name: Texts, indicators: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"code": code, "theme": theme, "block": block, "name": name, "indicators": indicators}


def _ind(
    code: str, name: Texts, aggregation: str, questions: list[str], **extra: Any
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": "outcome",
        "aggregation": aggregation,
        "source_questions": questions,
        "unit": extra.pop("unit", "points"),
        **extra,
    }


OUTCOMES: list[dict[str, Any]] = [
    _outcome(
        "o1_rights",
        1,
        "theme",
        t(
            "Volunteers know and defend the rights of migrants and refugees",
            "Les volontaires connaissent et défendent les droits des personnes migrantes et réfugiées",
            "El voluntariado conoce y defiende los derechos de las personas migrantes y refugiadas",
        ),
        [
            _ind(
                "i1_knowledge",
                t(
                    "Knowledge of rights and support",
                    "Connaissance des droits et du soutien",
                    "Conocimiento de derechos y apoyos",
                ),
                "mean_change",
                ["t1_knowledge"],
            ),
            _ind(
                "i1_equal_rights",
                t(
                    "Support for equal civil rights",
                    "Adhésion à l'égalité des droits civils",
                    "Apoyo a la igualdad de derechos civiles",
                ),
                "pct_improved",
                ["t1_equal_rights"],
                unit="%",
            ),
            _ind(
                "i1_confidence",
                t(
                    "Confidence working with people of migrant background",
                    "Aisance à travailler avec des personnes migrantes",
                    "Confianza al trabajar con personas migrantes",
                ),
                "mean_change",
                ["t1_confidence"],
            ),
            _ind(
                "i1_partner_inclusion",
                t(
                    "Community inclusion (partners)",
                    "Inclusion dans la communauté (partenaires)",
                    "Inclusión comunitaria (entidades socias)",
                ),
                "top2_box",
                ["p_t1_inclusion"],
                unit="%",
            ),
        ],
    ),
    _outcome(
        "o2_dignity",
        2,
        "theme",
        t(
            "Basic needs are understood as rights and met more sustainably",
            "Les besoins essentiels sont compris comme des droits et mieux satisfaits",
            "Las necesidades básicas se entienden como derechos y se cubren mejor",
        ),
        [
            _ind(
                "i2_needs_rights",
                t(
                    "Basic needs seen as rights",
                    "Besoins essentiels vus comme des droits",
                    "Necesidades básicas vistas como derechos",
                ),
                "mean_change",
                ["t2_needs_rights"],
            ),
            _ind(
                "i2_sustainable",
                t(
                    "Sustainable daily choices",
                    "Choix quotidiens durables",
                    "Decisiones cotidianas sostenibles",
                ),
                "mean_change",
                ["t2_sustainable"],
            ),
            _ind(
                "i2_behaviour",
                t(
                    "Changed a daily habit (follow-up)",
                    "Habitude changée (suivi)",
                    "Hábito cambiado (seguimiento)",
                ),
                "ratio",
                ["t2_behaviour"],
                unit="%",
            ),
            _ind(
                "i2_partner_access",
                t(
                    "Improved access to basic needs (partners)",
                    "Accès amélioré aux besoins essentiels (partenaires)",
                    "Mejor acceso a necesidades básicas (entidades socias)",
                ),
                "top2_box",
                ["p_t2_access"],
                unit="%",
            ),
            _ind(
                "i2_people_reached",
                t(
                    "Local people who benefited",
                    "Habitants bénéficiaires",
                    "Personas beneficiarias",
                ),
                "sum",
                ["p_t2_people_reached"],
                unit="people",
            ),
        ],
    ),
    _outcome(
        "o3_gender",
        3,
        "theme",
        t(
            "Volunteers recognise gender-based discrimination and act against it",
            "Les volontaires reconnaissent les discriminations de genre et agissent",
            "El voluntariado reconoce la discriminación de género y actúa",
        ),
        [
            _ind(
                "i3_recognise",
                t(
                    "Recognising gender-based discrimination",
                    "Reconnaître les discriminations de genre",
                    "Reconocer la discriminación de género",
                ),
                "mean_change",
                ["t3_recognise"],
            ),
            _ind(
                "i3_speak_up",
                t("Confidence to speak up", "Capacité à réagir", "Confianza para alzar la voz"),
                "mean_change",
                ["t3_speak_up"],
            ),
            _ind(
                "i3_bodily_autonomy",
                t(
                    "Support for bodily autonomy",
                    "Adhésion à l'autonomie corporelle",
                    "Apoyo a la autonomía corporal",
                ),
                "mean_change",
                ["t3_bodily_autonomy"],
            ),
            _ind(
                "i3_fair_tasks",
                t(
                    "Fair sharing of tasks",
                    "Partage équitable des tâches",
                    "Reparto justo de tareas",
                ),
                "top2_box",
                ["t3_fair_tasks"],
                unit="%",
            ),
        ],
    ),
    _outcome(
        "o4_peace",
        4,
        "theme",
        t(
            "Volunteers handle conflict constructively and live diversity as a strength",
            "Les volontaires gèrent les conflits de façon constructive et vivent la diversité",
            "El voluntariado gestiona los conflictos de forma constructiva y vive la diversidad",
        ),
        [
            _ind(
                "i4_conflict",
                t(
                    "Constructive handling of conflict",
                    "Gestion constructive des conflits",
                    "Gestión constructiva de conflictos",
                ),
                "mean_change",
                ["t4_conflict"],
            ),
            _ind(
                "i4_intercultural",
                t(
                    "Intercultural sensitivity (scale)",
                    "Sensibilité interculturelle (échelle)",
                    "Sensibilidad intercultural (escala)",
                ),
                "mean_change",
                ["t4_ics_enjoy", "t4_ics_respect", "t4_ics_patience"],
            ),
            _ind(
                "i4_coexist",
                t(
                    "Groups can live together peacefully",
                    "Les groupes peuvent vivre ensemble en paix",
                    "Los grupos pueden convivir en paz",
                ),
                "pct_improved",
                ["t4_coexist"],
                unit="%",
            ),
            _ind(
                "i4_partner_relations",
                t(
                    "Relations between groups (partners)",
                    "Relations entre groupes (partenaires)",
                    "Relaciones entre grupos (entidades socias)",
                ),
                "top2_box",
                ["p_t4_relations"],
                unit="%",
            ),
        ],
    ),
    _outcome(
        "o5_participation",
        5,
        "theme",
        t(
            "Volunteers and local people take part in civic life",
            "Volontaires et habitants participent à la vie citoyenne",
            "Voluntariado y población local participan en la vida cívica",
        ),
        [
            _ind(
                "i5_efficacy",
                t("Civic efficacy", "Sentiment d'efficacité citoyenne", "Eficacia cívica"),
                "mean_change",
                ["t5_efficacy"],
            ),
            _ind(
                "i5_intention",
                t("Intention to engage", "Intention de s'engager", "Intención de implicarse"),
                "mean_change",
                ["t5_intention"],
            ),
            _ind(
                "i5_actions",
                t(
                    "Civic actions taken (follow-up)",
                    "Actions citoyennes menées (suivi)",
                    "Acciones cívicas realizadas (seguimiento)",
                ),
                "count",
                ["t5_actions"],
                unit="actions",
            ),
            _ind(
                "i5_partner_local",
                t(
                    "Local people took part (partners)",
                    "Participation des habitants (partenaires)",
                    "Participación local (entidades socias)",
                ),
                "top2_box",
                ["p_t5_local_part"],
                unit="%",
            ),
        ],
    ),
    _outcome(
        "oc_competences",
        None,
        "competence",
        t(
            "Volunteers gain competences for life and work",
            "Les volontaires acquièrent des compétences pour la vie et le travail",
            "El voluntariado adquiere competencias para la vida y el trabajo",
        ),
        [
            _ind(
                "ic_languages",
                t(
                    "Communicating across languages",
                    "Communiquer entre langues",
                    "Comunicarse entre idiomas",
                ),
                "mean_change",
                ["c_languages"],
            ),
            _ind(
                "ic_self_efficacy",
                t(
                    "Problem-solving and self-efficacy (scale)",
                    "Résolution de problèmes et auto-efficacité (échelle)",
                    "Resolución de problemas y autoeficacia (escala)",
                ),
                "mean_change",
                ["c_selfeff_solve", "c_selfeff_unexpected", "c_selfeff_goals"],
            ),
            _ind(
                "ic_teamwork",
                t(
                    "Teamwork across differences",
                    "Travail en équipe dans la diversité",
                    "Trabajo en equipo en la diversidad",
                ),
                "mean_change",
                ["c_teamwork"],
            ),
            _ind(
                "ic_autonomy",
                t("Autonomy", "Autonomie", "Autonomía"),
                "mean_change",
                ["c_autonomy"],
            ),
            _ind(
                "ic_learned",
                t(
                    "Learned something useful",
                    "A appris quelque chose d'utile",
                    "Aprendió algo útil",
                ),
                "top2_box",
                ["c_learned"],
                unit="%",
            ),
            _ind(
                "ic_satisfaction",
                t("Satisfaction", "Satisfaction", "Satisfacción"),
                "top2_box",
                ["c_satisfaction"],
                unit="%",
            ),
            _ind(
                "ic_attribution",
                t(
                    "Change attributed to the project",
                    "Changement attribué au projet",
                    "Cambio atribuido al proyecto",
                ),
                "mean",
                ["attribution"],
            ),
        ],
    ),
    _outcome(
        "oi_inclusion",
        None,
        "inclusion",
        t(
            "Projects include people with fewer opportunities and do no harm",
            "Les projets incluent les personnes ayant moins d'opportunités et ne nuisent pas",
            "Los proyectos incluyen a personas con menos oportunidades y no causan daño",
        ),
        [
            _ind(
                "ii_fewer_opportunities",
                t(
                    "Share with fewer opportunities",
                    "Part ayant moins d'opportunités",
                    "Proporción con menos oportunidades",
                ),
                "ratio",
                ["fewer_opportunities"],
                unit="%",
            ),
            _ind(
                "ii_belonging",
                t(
                    "Belonging in the group",
                    "Sentiment d'appartenance au groupe",
                    "Sentido de pertenencia al grupo",
                ),
                "top2_box",
                ["i_belonging"],
                unit="%",
                disaggregations=["fewer_opportunities", "gender"],
            ),
            _ind(
                "ii_fair_treatment",
                t(
                    "Fair treatment in the group",
                    "Traitement équitable dans le groupe",
                    "Trato justo en el grupo",
                ),
                "top2_box",
                ["i_fair_treatment"],
                unit="%",
            ),
            _ind(
                "ii_support",
                t(
                    "Support measures offered",
                    "Mesures de soutien proposées",
                    "Medidas de apoyo ofrecidas",
                ),
                "count",
                ["p_support_measures"],
                unit="measures",
            ),
            _ind(
                "ii_harm",
                t("Harm reported", "Torts signalés", "Daños señalados"),
                "ratio",
                ["i_harm"],
                unit="%",
                direction="decrease",
            ),
        ],
    ),
    _outcome(
        "oo_outputs",
        None,
        "outputs",
        t(
            "The campaign reaches people and places",
            "La campagne touche des personnes et des lieux",
            "La campaña llega a personas y lugares",
        ),
        [
            _ind(key, name, agg, [], kind="output", output_key=key, unit=unit)
            for key, name, agg, unit in [
                (
                    "activities",
                    t("Activities by type", "Activités par type", "Actividades por tipo"),
                    "count",
                    "activities",
                ),
                ("volunteers", t("Volunteers", "Volontaires", "Voluntariado"), "sum", "people"),
                (
                    "local_participants",
                    t("Local participants", "Participants locaux", "Participantes locales"),
                    "sum",
                    "people",
                ),
                (
                    "hosting_countries",
                    t("Hosting countries", "Pays d'accueil", "Países de acogida"),
                    "count",
                    "countries",
                ),
                (
                    "host_organisations",
                    t(
                        "Active member organisations",
                        "Organisations membres actives",
                        "Organizaciones miembro activas",
                    ),
                    "count",
                    "organisations",
                ),
                (
                    "volunteer_hours",
                    t("Volunteer hours", "Heures de volontariat", "Horas de voluntariado"),
                    "sum",
                    "hours",
                ),
                (
                    "survey_coverage",
                    t(
                        "Activities with a survey round",
                        "Activités avec une enquête",
                        "Actividades con encuesta",
                    ),
                    "ratio",
                    "%",
                ),
            ]
        ],
    ),
]
