"""The theme engine on a small hand-written set of contributions (not generated,
``handwritten_contributions.tsv``): 32 short texts in English, French and Spanish, as members
write them, on four topics — housing, migration, gender equality and peace education. The
number of themes chosen by silhouette matches the topics present, and each topic's texts in all
three languages share a theme named by its concept."""

from __future__ import annotations

import csv
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from peaceworks.consultations.synthesis.themes import Text, ThemeResult, find_themes, load_lexicon

#: topic → (language, text), written by hand (one contribution a line, tab-separated)
SOURCE = Path(__file__).with_name("handwritten_contributions.tsv")
HANDWRITTEN: dict[str, list[tuple[str, str]]] = {}
for _row in csv.DictReader(SOURCE.read_text(encoding="utf-8").splitlines(), delimiter="\t"):
    HANDWRITTEN.setdefault(_row["topic"], []).append((_row["language"], _row["text"]))

#: the concept that names each topic's theme
CONCEPT = {
    "housing": "housing",
    "migration": "migration",
    "gender": "gender_equality",
    "peace_education": "education",
}


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _texts(topics) -> tuple[list[Text], dict[str, str]]:
    texts, topic_of = [], {}
    for topic in topics:
        for index, (language, text) in enumerate(HANDWRITTEN[topic]):
            ident = f"{topic}-{language}-{index}"
            texts.append(Text(ident, text, language))
            topic_of[ident] = topic
    return texts, topic_of


def _primary(result: ThemeResult) -> dict[str, str]:
    return {
        text_id: result.themes_of(text_id)[0] for t in result.themes for text_id, _ in t.members
    }


def test_the_set_is_hand_written_in_three_languages():
    for topic, rows in HANDWRITTEN.items():
        assert {language for language, _ in rows} == {"en", "fr", "es"}, topic
        assert len({text for _, text in rows}) == len(rows) == 8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_topic_shares_a_theme_across_languages(lexicon, seed):
    from sklearn.metrics import adjusted_rand_score  # ~1 s to import: not at collection

    texts, topic_of = _texts(HANDWRITTEN)
    result = find_themes(texts, lexicon=lexicon, seed=seed)
    assert result.n_themes == 4  # chosen by silhouette, one per topic
    assert result.unassigned == ()
    for topic in HANDWRITTEN:
        own = {ident for ident, found in topic_of.items() if found == topic}
        shared = [t for t in result.themes if own <= {member for member, _ in t.members}]
        assert shared, f"{topic}: no theme holds all its texts"
        assert CONCEPT[topic] in [key for key, _ in shared[0].concepts[:3]]
    primary = _primary(result)
    ids = sorted(topic_of)
    ari = adjusted_rand_score([topic_of[i] for i in ids], [primary[i] for i in ids])
    purity = sum(
        Counter(topic_of[i] for i in ids if primary[i] == key).most_common(1)[0][1]
        for key in set(primary.values())
    ) / len(ids)
    assert ari == 1.0
    assert purity == 1.0


@pytest.mark.parametrize("topics", [*combinations(HANDWRITTEN, 2), tuple(list(HANDWRITTEN)[:3])])
def test_the_number_of_themes_follows_the_topics_present(lexicon, topics):
    texts, topic_of = _texts(topics)
    result = find_themes(texts, lexicon=lexicon, seed=0)
    assert result.n_themes == len(topics)
    for topic in topics:
        own = {ident for ident, found in topic_of.items() if found == topic}
        assert any(own <= {member for member, _ in t.members} for t in result.themes), topic


def test_too_few_texts_make_one_theme(lexicon):
    texts, _ = _texts(["housing"])
    result = find_themes(texts[:6] + _texts(["gender"])[0][:3], lexicon=lexicon, seed=0)
    assert result.n_themes == 1


def test_labels_are_proposed_in_each_language(lexicon):
    texts, _ = _texts(HANDWRITTEN)
    result = find_themes(texts, lexicon=lexicon, seed=0)
    housing = next(t for t in result.themes if t.key.startswith("housing"))
    assert housing.label("en").startswith("Housing")
    assert housing.label("fr").startswith("Logement")
    assert housing.label("es").startswith("Vivienda")
    assert set(housing.representatives) == {"en", "fr", "es"}
