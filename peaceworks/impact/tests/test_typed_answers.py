"""``typed_answers.scores_of`` gives exactly the entries its definition names, whatever the
answers' types (its per-code key memo changes nothing)."""

from __future__ import annotations

from array import array
from typing import Any

from peaceworks.impact import typed_answers
from peaceworks.impact.analytics.frame import LIKERT_MAX
from peaceworks.impact.typed_answers import score_key


def _scores_by_definition(answers: Any, then_answers: Any) -> bytes:
    """``scores`` as the module's docstring defines it, one answer at a time."""
    found = []
    for then, block in ((False, answers), (True, then_answers)):
        if isinstance(block, dict):
            for code, value in block.items():
                if type(value) is int and 0 < value <= LIKERT_MAX:
                    found.append(score_key(code, then=then) | value)
    return array("Q", sorted(found)).tobytes()


def test_scores_are_the_defined_entries_for_answers_of_every_type() -> None:
    values: list[Any] = [1, 5, 0, 6, -1, True, False, None, "3", 3.0, [1], {"a": 1}, 2**70]
    blocks: list[Any] = [None, [], "x", {}]
    blocks += [
        {f"q{k}": value for k, value in enumerate(values[i:] + values[:i])}
        for i in range(len(values))
    ]
    for answers in blocks:
        for then in blocks:
            assert typed_answers.scores_of(answers, then) == _scores_by_definition(answers, then)


def test_scores_past_the_key_memo_are_the_same() -> None:
    many = {f"code{n}": 1 + n % LIKERT_MAX for n in range(typed_answers._KEYS_MEMO + 5)}
    assert typed_answers.scores_of(many, many) == _scores_by_definition(many, many)
    assert len(typed_answers._KEYS[False]) <= typed_answers._KEYS_MEMO
