"""The language of a contribution, offline: py3langid's model ships in its wheel.

``detect_language`` answers only among a configurable set of languages (by default the three the
network works in), and answers ``None`` rather than guess: for a text with fewer than
``MIN_LETTERS`` letters or ``MIN_WORDS`` words ("ok", "+1"), or when the model's probability
for its best language is below ``min_confidence``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

DEFAULT_LANGUAGES = ("en", "fr", "es")
MIN_LETTERS = 12
MIN_WORDS = 3
MIN_CONFIDENCE = 0.8
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W\d_]+")


def detect_language(
    text: str,
    *,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    min_confidence: float = MIN_CONFIDENCE,
) -> str | None:
    """The ISO 639-1 code of ``text``'s language among ``languages``, or ``None`` when the text
    is too short or the model is not sure enough (see the module docstring)."""
    if len(LETTER.findall(text)) < MIN_LETTERS or len(WORD.findall(text)) < MIN_WORDS:
        return None
    identifier = _identifier(tuple(sorted(set(languages))))
    language, probability = identifier.classify(text)
    return str(language) if float(probability) >= min_confidence else None


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]) -> Any:  # py3langid is untyped
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier
