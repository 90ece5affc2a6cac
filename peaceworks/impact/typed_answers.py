"""What a full refresh reads of a response, kept in typed form beside its JSON answers.

A full refresh reads, of every pre and post response, the items' 1..5 answers, the attribution,
the retrospective answers and the demographics. Asking the database to pull them out of the
JSON (``json_extract``, ``->``) parses every response's answers again at every refresh: most of a
refresh's time at a million respondents. So every write of a response also stores, derived from
its ``answers`` and ``then_answers`` (``Response.scores``, ``Response.profile``, filled by the
fields' ``pre_save``: the ORM, ``bulk_create`` and ``submission_rows`` all call it; the batch
insert of ``response_batches`` calls :func:`typed_columns`):

- ``scores``: every answer the frame could count — an ``int`` 1..``LIKERT_MAX``, the rule of
  ``frame._answer_column`` — as one little-endian ``uint64`` (ascending): a 61-bit key naming
  the question code (and whether it is a retrospective "then" answer), the value in the low 3
  bits. The key
  does not depend on the campaign or the instrument, so a refresh needs no layout: it looks up
  the keys of its items (:func:`score_key`);
- ``profile``: :data:`MARK`, then the JSON array of the demographic answers (``PERSON`` order),
  what ``json_extract`` with those paths answers.

The JSON stays the source of truth. ``MARK`` names this layout (the demographic codes and the
answer scale): a row whose ``profile`` does not start with it — written before the columns
existed, by a path that left them empty, or under another layout — is read from its JSON by the
refresh, so a stale typed row can only cost time, never change a figure
(``figures/columns.py``; ``tests/test_typed_answers.py`` checks every write path).
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from functools import cache
from typing import Any

import orjson

from peaceworks.impact.analytics.frame import (
    DEMOGRAPHIC_DIMENSIONS,
    FO_ANY,
    LIKERT_MAX,
)

#: The demographic answers a frame reads, in the order of ``profile``'s array.
PERSON: tuple[str, ...] = (*DEMOGRAPHIC_DIMENSIONS, FO_ANY)
#: Bits of a score entry that hold the value.
VALUE_BITS = 3
VALUE_MASK = (1 << VALUE_BITS) - 1
#: The layout of the typed columns: any change to it (another demographic, another scale, this
#: version) gives another mark, and rows of the old one are read from their JSON again.
FORMAT = 1
MARK = (
    f"t{FORMAT}."
    + hashlib.blake2b(
        json.dumps([PERSON, LIKERT_MAX]).encode(), digest_size=4, person=b"pw-typed"
    ).hexdigest()
    + ":"
)
assert LIKERT_MAX <= VALUE_MASK  # noqa: S101 -- a value must fit its bits


@cache
def score_key(code: str, *, then: bool) -> int:
    """The key of a question code's score entries (the value bits clear)."""
    digest = hashlib.blake2b(
        code.encode(), digest_size=8, person=b"pw-then" if then else b"pw-answers"
    ).digest()
    return int.from_bytes(digest, "little") & ~VALUE_MASK & 0xFFFF_FFFF_FFFF_FFFF


#: each block's keys by question code (answers, then answers), as :func:`score_key` gives
#: them: a plain dictionary lookup per answer instead of the keyword call's cache key
_KEYS: tuple[dict[str, int], dict[str, int]] = ({}, {})
#: codes remembered at most per block (each memo starts again past it)
_KEYS_MEMO = 10_000


def _key_of(code: str, then: bool) -> int:
    keys = _KEYS[then]
    if len(keys) >= _KEYS_MEMO:
        keys.clear()
    key = keys[code] = score_key(code, then=then)
    return key


def scores_of(answers: Any, then_answers: Any) -> bytes:
    """The ``scores`` column of a response with these answers."""
    found = []
    for then, block in ((False, answers), (True, then_answers)):
        if not isinstance(block, dict) or not block:
            continue
        keys = _KEYS[then]
        found += [
            (keys.get(code) or _key_of(code, then)) | value
            for code, value in block.items()
            if type(value) is int and 0 < value <= LIKERT_MAX
        ]
    # ascending: the same bytes whatever the order of the keys (PostgreSQL's jsonb reorders)
    entries = array("Q", sorted(found))
    if sys.byteorder != "little":  # pragma: no cover -- the layout is little-endian
        entries.byteswap()
    return entries.tobytes()


def profile_of(answers: Any) -> str:
    """The ``profile`` column of a response with these answers."""
    block = answers if isinstance(answers, dict) else {}
    return MARK + orjson.dumps([block.get(code) for code in PERSON]).decode()


def typed_columns(answers: Any, then_answers: Any) -> tuple[bytes, str]:
    """``(scores, profile)`` of a response with these answers (decoded JSON values)."""
    return scores_of(answers, then_answers), profile_of(answers)
