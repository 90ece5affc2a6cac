"""Texts of the shipped framework: instrument titles, consent texts, theme names."""

from __future__ import annotations

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
