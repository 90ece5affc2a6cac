# ruff: noqa: E501 -- respondent-facing wording in three languages; typographic dashes are intended
"""Outcomes and indicators of the shipped framework."""

from __future__ import annotations

from typing import Any

from peaceworks.impact.default_framework.texts import Texts, t

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
