"""Near-duplicate contributions and language detection."""

from __future__ import annotations

import pytest

from peaceworks.consultations.synthesis.duplicates import near_duplicates, shingles, signatures
from peaceworks.consultations.synthesis.language import detect_language

ORIGINALS = {
    "a": (
        "Our workcamps should welcome more volunteers with disabilities, which means accessible "
        "accommodation, sign language support and camp leaders trained to include everyone."
    ),
    "b": (
        "Les financements européens sont trop compliqués pour les petites associations du Sud; "
        "le réseau devrait monter des dossiers communs et partager les fonds obtenus."
    ),
    "c": (
        "Las jóvenes de nuestro barrio no se sienten escuchadas por las autoridades y piden "
        "espacios propios para debatir sobre igualdad, empleo y vivienda."
    ),
}
EDITED = {
    "a-typo": ORIGINALS["a"].replace("welcome", "welcom").replace(",", ""),
    "b-accents": ORIGINALS["b"].replace("é", "e").upper(),
    "c-word": ORIGINALS["c"].replace("vivienda", "salud") + " Gracias.",
}


def test_lightly_edited_copies_are_near_duplicates_and_different_texts_are_not():
    found = near_duplicates([*ORIGINALS.items(), *EDITED.items(), ("empty", "")])
    pairs = {(a, b) for a, b, _ in found}
    assert pairs == {("a", "a-typo"), ("b", "b-accents"), ("c", "c-word")}
    assert all(0.6 <= similarity <= 1.0 for _, _, similarity in found)
    assert {(a, b): s for a, b, s in found}[("b", "b-accents")] == 1.0


def test_near_duplicates_among_many_texts():
    base = [
        (f"t{i:03d}", f"Contribution number {i} talks about topic {i * 7919 % 1000} and idea {i}")
        for i in range(300)
    ]
    copy = ("t999", base[42][1] + " indeed")
    found = near_duplicates([*base, copy])
    assert [(a, b) for a, b, _ in found] == [("t042", "t999")]


def test_minhash_signatures_agree_with_datasketch_estimates():
    from datasketch import MinHash  # 0.5 s to import: not at collection

    one, two = shingles(ORIGINALS["a"]), shingles(EDITED["a-typo"])
    exact = len(one & two) / len(one | two)
    ours = (signatures([one, two])[0] == signatures([one, two])[1]).mean()
    theirs = []
    for found in (one, two):
        m = MinHash(num_perm=64, seed=1)
        m.update_batch([s.encode() for s in sorted(found)])
        theirs.append(m)
    assert abs(ours - exact) < 0.2
    assert abs(theirs[0].jaccard(theirs[1]) - exact) < 0.2


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We need more housing for refugees in our city.", "en"),
        ("Nous avons besoin de plus de logements pour les réfugiés.", "fr"),
        ("Necesitamos más viviendas para las personas refugiadas.", "es"),
        ("The workcamp was the best summer of my life.", "en"),
        ("Le chantier a été le plus bel été de ma vie.", "fr"),
        ("El campo de trabajo fue el mejor verano de mi vida.", "es"),
    ],
)
def test_language_is_detected_for_english_french_and_spanish(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["ok", "", "+1", "👍👍", "merci"])
def test_too_short_texts_have_no_language(text):
    assert detect_language(text) is None


def test_languages_outside_the_set_are_not_answered():
    italian = "Abbiamo bisogno di più alloggi per i rifugiati nella nostra città."
    assert detect_language(italian, languages=("en", "fr", "es", "it")) == "it"
    assert detect_language(italian) in {None, "es", "fr", "en"}
