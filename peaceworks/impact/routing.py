"""Which questions a round asks, and in which pages: pure functions over loaded rows.

The one reader is :func:`instrument_questions`, which keeps the questions of published
instrument versions per process. What is computed from a published version's questions (the
questions a round asks, their pages) and the instance of a published version's row are kept
per process too (:func:`published_instrument`): every page of a respondent's walk needs them,
and a published version never changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peaceworks.impact.models import Instrument, Question
from peaceworks.impact.relevance import references

#: the questions of published instrument versions, per process: a published version never
#: changes again, so every submission and survey page need not load its questions anew.
#: Keyed by the version's id, creation and publication times (an id alone can come back: SQLite
#: reuses the ids of rolled-back rows).
_PUBLISHED_QUESTIONS: dict[tuple[int, datetime, datetime | None], list[Question]] = {}
_PUBLISHED_QUESTIONS_LIMIT = 256
#: the instances of published instrument versions' rows, by the row's values as read
_PUBLISHED_INSTRUMENTS: dict[tuple[Any, ...], Instrument] = {}
#: what :func:`routed_questions` and :func:`paginate` gave for a published version's questions,
#: by the identity of the list they were given and their other arguments
_ROUTED: dict[tuple[Any, ...], list[Question]] = {}
_PAGES: dict[tuple[Any, ...], list[Page]] = {}
#: the lists that never change (published versions' questions and the routed lists kept from
#: them), by identity; holding them keeps their identities from being taken by other lists
_KEPT: dict[int, list[Question]] = {}
_DERIVED_LIMIT = 1024


def published_instrument(
    values: Sequence[Any], build: Callable[[Sequence[Any]], Instrument]
) -> Instrument:
    """The instance of an instrument version's row (``build`` makes it from ``values``), kept
    per process when the version is published: the same values give the same instance, read
    only (a row read with any value changed is another key). A draft is built every time."""
    try:
        key = tuple(values)
        known = _PUBLISHED_INSTRUMENTS.get(key)
    except TypeError:  # a value that cannot be a key (a driver's decoded JSON)
        return build(values)
    if known is not None:
        return known
    instrument = build(values)
    if instrument.is_published:
        if len(_PUBLISHED_INSTRUMENTS) >= _PUBLISHED_QUESTIONS_LIMIT:
            _PUBLISHED_INSTRUMENTS.clear()
        _PUBLISHED_INSTRUMENTS[key] = instrument
    return instrument


def _kept(questions: object) -> bool:
    """Whether ``questions`` is one of the lists that never change (:data:`_KEPT`)."""
    return _KEPT.get(id(questions)) is questions


def _keep(store: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    """Keep ``value`` under ``key`` in ``store`` (bounded: all derived copies are dropped
    together, the published versions' lists stay known)."""
    if len(store) >= _DERIVED_LIMIT or len(_KEPT) >= _DERIVED_LIMIT + _PUBLISHED_QUESTIONS_LIMIT:
        _forget_derived()
    store[key] = value


def _forget_derived() -> None:
    """Drop the routed lists and pages kept; the published versions' lists stay known."""
    _ROUTED.clear()
    _PAGES.clear()
    _KEPT.clear()
    _KEPT.update((id(kept), kept) for kept in _PUBLISHED_QUESTIONS.values())


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
            _forget_derived()
        _PUBLISHED_QUESTIONS[key] = questions
        _KEPT[id(questions)] = questions
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
    questions the organiser switched off for the round (``omitted``). For a published
    version's questions (:func:`instrument_questions`) the list is kept per process and the
    same list is returned each time: read it, never change it.
    """
    if not _kept(questions):
        return _routed(questions, theme_ids, sensitive_consent, omitted)
    themes, left_out = tuple(theme_ids), tuple(omitted)
    key = (id(questions), themes, sensitive_consent, left_out)
    known = _ROUTED.get(key)
    if known is None:
        known = _routed(questions, themes, sensitive_consent, left_out)
        _keep(_ROUTED, key, known)
        _KEPT[id(known)] = known
    return known


def _routed(
    questions: Iterable[Question],
    theme_ids: Iterable[int],
    sensitive_consent: bool,
    omitted: Iterable[str],
) -> list[Question]:
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
    next page. Pages of the questions :func:`routed_questions` kept for a published version are
    kept too (the same list each time: read it, never change it)."""
    if not _kept(questions):
        return _paginated(questions, uses_retrospective=uses_retrospective, per_page=per_page)
    key = (id(questions), uses_retrospective, per_page)
    known = _PAGES.get(key)
    if known is None:
        known = _paginated(questions, uses_retrospective=uses_retrospective, per_page=per_page)
        _keep(_PAGES, key, known)
    return known


def _paginated(questions: list[Question], *, uses_retrospective: bool, per_page: int) -> list[Page]:
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
