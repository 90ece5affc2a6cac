"""Which questions a round asks, and in which pages: pure functions over loaded rows.

The one reader is :func:`instrument_questions`, which keeps the questions of published
instrument versions per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from peaceworks.impact.models import Instrument, Question
from peaceworks.impact.relevance import references

#: the questions of published instrument versions, per process: a published version never
#: changes again, so every submission and survey page need not load its questions anew.
#: Keyed by the version's id, creation and publication times (an id alone can come back: SQLite
#: reuses the ids of rolled-back rows).
_PUBLISHED_QUESTIONS: dict[tuple[int, datetime, datetime | None], list[Question]] = {}
_PUBLISHED_QUESTIONS_LIMIT = 256


def instrument_questions(instrument: Instrument) -> list[Question]:
    """The instrument version's questions in order: from this process's copy when published.

    A draft version's questions are read anew each time (they may change).
    """
    if not instrument.is_published:
        return list(instrument.questions.all())
    key = (instrument.pk, instrument.created_at, instrument.published_at)
    questions = _PUBLISHED_QUESTIONS.get(key)
    if questions is None:
        questions = list(instrument.questions.all())
        if len(_PUBLISHED_QUESTIONS) >= _PUBLISHED_QUESTIONS_LIMIT:
            _PUBLISHED_QUESTIONS.clear()
        _PUBLISHED_QUESTIONS[key] = questions
    return questions


BLOCK_ORDER: dict[str, int] = {
    Question.Block.THEME.value: 1,
    Question.Block.PARTNER.value: 1,
    Question.Block.COMPETENCE.value: 2,
    Question.Block.INCLUSION.value: 3,
    Question.Block.DEMOGRAPHICS.value: 4,
}


@dataclass(frozen=True)
class Page:
    key: str
    questions: list[Question] = field(default_factory=list)
    #: True for the retrospective block ("think back to before the project")
    is_retrospective: bool = False


def routed_questions(
    questions: Iterable[Question],
    *,
    theme_ids: Iterable[int],
    sensitive_consent: bool = True,
    omitted: Iterable[str] = (),
) -> list[Question]:
    """The questions of the activity's themes plus the always-asked blocks, in order.

    Without sensitive consent, questions marked sensitive are left out entirely; so are the
    questions the organiser switched off for the round (``omitted``).
    """
    themes = set(theme_ids)
    left_out = set(omitted)
    kept = [
        question
        for question in questions
        if (question.theme_id is None or question.theme_id in themes)
        and (sensitive_consent or not question.is_sensitive)
        and question.code not in left_out
    ]
    return sorted(kept, key=lambda q: (BLOCK_ORDER.get(q.block, 9), q.order, q.pk or 0))


def visible_choices(question: Question, *, sensitive_consent: bool) -> list[dict[str, object]]:
    return [
        choice
        for choice in question.choices
        if sensitive_consent or not choice.get("sensitive", False)
    ]


def paginate(
    questions: list[Question], *, uses_retrospective: bool, per_page: int = 6
) -> list[Page]:
    """Short pages: the retrospective block first (its own page), then blocks in chunks; a
    question whose choice filter refers to an answer of the page being filled starts the
    next page."""
    pages: list[Page] = []
    if uses_retrospective:
        then = [q for q in questions if q.in_retrospective]
        for start in range(0, len(then), per_page):
            pages.append(Page(f"then{start // per_page}", then[start : start + per_page], True))
    current: list[Question] = []
    current_block = ""
    for question in questions:
        # a choice filter over an answer of this page starts a new page: without JavaScript
        # the choices are filtered by the answers of earlier pages
        choice_filter = str(((question.xlsform or {}).get("row") or {}).get("choice_filter", ""))
        filtered_here = bool(choice_filter) and bool(
            references(choice_filter) & {q.code for q in current}
        )
        if current and (
            question.block != current_block or len(current) >= per_page or filtered_here
        ):
            pages.append(Page(f"p{len(pages)}", current))
            current = []
        current.append(question)
        current_block = question.block
    if current:
        pages.append(Page(f"p{len(pages)}", current))
    return pages
