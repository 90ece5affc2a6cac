"""The multilingual concept lexicon and the word handling every theme feature goes through.

A contribution's words are lowercased, split on anything that is not a letter (hyphens and
apostrophes too: ``non-violence`` is two words, ``l'homme`` two), lemmatised with simplemma in the
contribution's language (left as they are in a language simplemma does not know) and stripped of
accents. Lexicon terms go through the very same steps when the lexicon is loaded, so a term may be
written in any inflection (``refugees``, ``droits de l'homme``).

The shipped lexicon is ``consultations/data/concepts.json`` (about 50 concepts of the network's
field, labels and terms in English, French and Spanish); stop words per language are
``consultations/data/stopwords.json``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma

DATA = Path(__file__).resolve().parent.parent / "data"
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Concept:
    key: str
    labels: Mapping[str, str]  # language -> label
    terms: Mapping[str, frozenset[str]]  # language -> words or phrases, as written


@dataclass(frozen=True)
class Lexicon:
    concepts: Mapping[str, Concept]

    def label(self, key: str, language: str) -> str:
        """The concept's label in ``language``, else in English, else its key."""
        concept = self.concepts[key]
        return concept.labels.get(language) or concept.labels.get("en") or key

    def languages(self) -> tuple[str, ...]:
        """Every language some concept has a label in, sorted."""
        return tuple(sorted({lang for c in self.concepts.values() for lang in c.labels}))

    def phrases(self, language: str) -> PhraseIndex:
        """The normalised terms of ``language``, indexed for matching."""
        index: dict[tuple[str, ...], set[str]] = {}
        for key, concept in self.concepts.items():
            for term in concept.terms.get(language, ()):
                words = tuple(normalised_words(term, language))
                if words:
                    index.setdefault(words, set()).add(key)
        return PhraseIndex({words: tuple(sorted(keys)) for words, keys in index.items()})


class PhraseIndex:
    """Longest-match lookup of normalised phrases in a sequence of normalised words."""

    def __init__(self, phrases: Mapping[tuple[str, ...], tuple[str, ...]]) -> None:
        self.phrases = dict(phrases)
        self.lengths: dict[str, tuple[int, ...]] = {}
        for words in phrases:
            known = set(self.lengths.get(words[0], ()))
            self.lengths[words[0]] = tuple(sorted(known | {len(words)}, reverse=True))

    def match(self, words: list[str]) -> tuple[list[str], list[bool]]:
        """The concept keys found in ``words`` (one per matched phrase, longest match first, no
        overlaps), and per word whether a phrase used it."""
        found: list[str] = []
        used = [False] * len(words)
        i = 0
        while i < len(words):
            for length in self.lengths.get(words[i], ()):
                if i + length > len(words):
                    continue
                keys = self.phrases.get(tuple(words[i : i + length]))
                if keys:
                    found.extend(keys)
                    used[i : i + length] = [True] * length
                    i += length
                    break
            else:
                i += 1
        return found, used


def load_lexicon(extra: Iterable[tuple[str, str, str]] = ()) -> Lexicon:
    """The shipped lexicon plus facilitator additions ``(concept_key, language, term)``. A term
    for an unknown concept key creates that concept, labelled with the term in its language.
    Raises ``ValueError`` for an empty key, language or term."""
    raw = json.loads((DATA / "concepts.json").read_text(encoding="utf-8"))
    labels: dict[str, dict[str, str]] = {}
    terms: dict[str, dict[str, set[str]]] = {}
    for item in raw["concepts"]:
        labels[item["key"]] = dict(item["labels"])
        terms[item["key"]] = {lang: set(words) for lang, words in item["terms"].items()}
    for key, language, term in extra:
        key, language, term = key.strip(), language.strip().lower(), term.strip()
        if not (key and language and term):
            raise ValueError(
                f"a lexicon addition needs a concept, a language and a term: {key!r}, "
                f"{language!r}, {term!r}"
            )
        labels.setdefault(key, {language: term})
        terms.setdefault(key, {}).setdefault(language, set()).add(term)
    return Lexicon(
        concepts={
            key: Concept(
                key=key,
                labels=labels[key],
                terms={lang: frozenset(words) for lang, words in terms[key].items()},
            )
            for key in sorted(labels)
        }
    )


@lru_cache(maxsize=1)
def stop_words() -> Mapping[str, frozenset[str]]:
    """Per language, the stop words in normalised form (lemma, no accents)."""
    raw = json.loads((DATA / "stopwords.json").read_text(encoding="utf-8"))
    return {
        lang: frozenset(_plain(w) for w in words) | frozenset(_lemma(w, lang) for w in words)
        for lang, words in raw.items()
        if isinstance(words, list)
    }


def normalised_words(text: str, language: str) -> list[str]:
    """The words of ``text`` lowercased, lemmatised in ``language`` and without accents."""
    return [_lemma(word, language) for word in WORD.findall(text.lower())]


@lru_cache(maxsize=200_000)
def _lemma(word: str, language: str) -> str:
    try:
        lemma = simplemma.lemmatize(word, lang=language)
    except ValueError:  # a language simplemma does not know: the word as it is
        lemma = word
    return _plain(lemma.lower())


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
