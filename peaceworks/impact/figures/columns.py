"""A full refresh's frame read straight into columns: the fast twin of ``load.frame_for_campaign``.

``frame_for_campaign`` through ``build_frame`` costs ~30 µs a respondent (a dict per response, a
Python call per answer): half a minute at 1M respondents. This module builds the *same*
``AnalysisFrame`` (same arrays, same vocabulary, same rules) without a Python object per answer:

- one plain cursor per table, no model instances and no ORM row conversion;
- the database extracts the answers a frame reads as small JSON arrays (SQLite
  ``json_extract`` with several paths, PostgreSQL ``jsonb_build_array``), so a response is three
  short strings instead of two decoded dictionaries;
- the item answers of a batch of rows are read as digits at once (numpy), with an exact fallback
  (``orjson``, then the frame's own rule for every value) whenever a batch holds anything but
  small integers; the latest response per respondent and round kind, the demographics rule and
  the labels' codes are resolved with array operations.

``tests/test_columns.py`` checks that both builders give the same frame and the same snapshot.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from django.db import connection

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.impact.analytics import AnalysisFrame
from peaceworks.impact.analytics.frame import (
    ACTIVITY_DIMENSIONS,
    FO_ANY,
    LIKERT_MAX,
    MAX_MULTI_LABELS,
    MISSING,
    MULTI_VALUED_DIMENSIONS,
    Label,
    _activity_value,
    _fo_value,
)
from peaceworks.impact.figures.load import IndicatorMap, activity_rows
from peaceworks.impact.models import Respondent, Response, Round
from peaceworks.impact.typed_answers import MARK, PERSON, VALUE_BITS, VALUE_MASK, score_key

#: Bits of a score key that find its column (``_ScoreKeys``): a table of 2**12 entries.
SLOT_BITS = 12
SLOT_MASK = (1 << SLOT_BITS) - 1
#: Rows fetched and decoded at a time (bounded memory, and big enough for numpy to pay off).
BATCH = 100_000
_BLANK: tuple[Any, ...] = (None, "", [], ())


#: How much of an SQLite file a full refresh reads through a memory map (SQLite caps it at its
#: build's limit, 2 GiB for Python's): the scan's pages are read in place instead of copied
#: out of the operating system's cache one ``read`` at a time.
MMAP_BYTES = 1 << 31


@contextmanager
def _bulk_read() -> Iterator[None]:
    """The full read of a campaign without the cyclic garbage collector, and on SQLite through a
    memory map.

    The read makes a tuple per row (millions at 1M respondents): each few hundred of them would
    start a collection, and the older collections walk every row still held, a third of the
    refresh's time at 1M. Nothing the read makes holds a cycle (rows of plain values, arrays), so
    reference counting frees it all the same; the collector is back on (if it was) when the read
    is done. The memory map (``PRAGMA mmap_size``, this connection only) is set back too."""
    enabled = gc.isenabled()
    mapped = None
    gc.disable()
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size")
                mapped = int(cursor.fetchone()[0])
                cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES:d}")
        yield
    finally:
        if enabled:
            gc.enable()
        if mapped is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA mmap_size = {mapped:d}")


def _path(code: str) -> str:
    return '$."' + code.replace('"', '\\"') + '"'


def _json_array(column: str, keys: Sequence[str]) -> tuple[str, list[str]]:
    """SQL giving a JSON array of the values of ``keys`` in a JSON column (null where absent;
    padded with nulls to ``_width(keys)`` values), and its parameters."""
    padded = [*keys, *([""] * (_width(keys) - len(keys)))]
    if connection.vendor == "postgresql":
        return (
            "jsonb_build_array(" + ", ".join(f"{column} -> %s" for _ in padded) + ")::text",
            padded,
        )
    # several paths: SQLite answers with a JSON array of their values
    paths = [_path(k) for k in padded]
    return f"json_extract({column}, {', '.join('%s' for _ in paths)})", paths


def _width(keys: Sequence[str]) -> int:
    return max(len(keys), 2)  # one path would give SQLite's bare value, not an array


def _answer_matrix(texts: Sequence[str], width: int) -> npt.NDArray[np.int8]:
    """(rows, width) answers 1..LIKERT_MAX as int8, MISSING for anything else — the rule of
    ``frame._answer_column`` (only an ``int`` 1..5 counts). Read as digits at fixed places
    when every value of the batch is one digit or null, else value by value."""
    if not texts:
        return np.zeros((0, width), dtype=np.int8)
    data = np.frombuffer(",".join(texts).encode(), dtype=np.uint8)
    # "null" -> "0" (and no spaces: PostgreSQL writes "[1, 2]") without a string copy per
    # replacement; any value that is not one digit keeps a character the layout check refuses
    data = data[(data != ord("u")) & (data != ord("l")) & (data != ord(" "))].copy()
    data[data == ord("n")] = ord("0")
    stride = 2 * width + 2  # "[d,d,...,d]," per row
    if data.size == len(texts) * stride - 1:
        raw = np.append(data, np.uint8(ord(","))).reshape(len(texts), stride)
        digits = raw[:, 1 : 2 * width : 2] - np.uint8(48)  # wraps below "0": caught below
        if (
            (digits <= 9).all()
            and (raw[:, 2 : 2 * width : 2] == ord(",")).all()
            and (raw[:, 0] == ord("[")).all()
            and (raw[:, 2 * width] == ord("]")).all()
        ):
            return np.where(digits <= LIKERT_MAX, digits, MISSING).astype(np.int8)
    rows = orjson.loads("[" + ",".join(texts) + "]")
    return np.array(
        [[v if type(v) is int and 0 < v <= LIKERT_MAX else MISSING for v in row] for row in rows],
        dtype=np.int8,
    ).reshape(len(texts), width)


class _ScoreKeys:
    """Where each score entry of ``typed_answers`` goes in a (rows, items + 1 + items) matrix:
    the items' answers, the attribution, the items' retrospective answers."""

    def __init__(self, items: Sequence[str]) -> None:
        wanted = [score_key(code, then=False) for code in (*items, "attribution")]
        wanted += [score_key(code, then=True) for code in items]
        first: dict[int, int] = {}
        # a key read twice (the attribution may be one of the items too): copied after
        self.copies = [(j, first.setdefault(key, j)) for j, key in enumerate(wanted)]
        self.copies = [(j, source) for j, source in self.copies if j != source]
        order = sorted(first)
        self.keys = np.array(order, dtype=np.uint64)
        self.columns = np.array([first[key] for key in order], dtype=np.int64)
        self.width = len(wanted)
        # a direct look-up instead of a search: the keys are hashes, so some run of
        # ``SLOT_BITS`` of their bits tells them apart; ``slot`` maps those bits to the key's
        # number (the last, a key no entry has, for the bits of none), checked after
        self.shift = next(
            (
                shift
                for shift in range(VALUE_BITS, 64 - SLOT_BITS + 1)
                if len({key >> shift & SLOT_MASK for key in order}) == len(order)
            ),
            None,
        )
        self.slot = np.full(SLOT_MASK + 1, len(order), dtype=np.int64)
        if self.shift is not None:
            self.slot[[key >> self.shift & SLOT_MASK for key in order]] = np.arange(len(order))
        self.slot_keys = np.append(self.keys, np.uint64(0))
        self.slot_columns = np.append(self.columns, 0)

    def matrix(self, blobs: Sequence[bytes]) -> npt.NDArray[np.int8]:
        lengths = np.fromiter(map(len, blobs), np.int64, len(blobs))
        return self.matrix_of(b"".join(blobs), lengths)

    def matrix_of(self, joined: bytes, lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
        """``matrix`` of the blobs laid end to end in ``joined``, ``lengths`` bytes each."""
        out = np.full((lengths.size, self.width), MISSING, dtype=np.int8)
        data = np.frombuffer(joined, dtype="<u8")
        if not data.size or not self.width:
            return out
        keys = data & np.uint64(~VALUE_MASK & 0xFFFF_FFFF_FFFF_FFFF)
        if self.shift is not None:
            at = self.slot[(data >> np.uint64(self.shift)) & np.uint64(SLOT_MASK)]
            hit = (self.slot_keys[at] == keys) & (at < self.keys.size)
        else:  # no run of bits tells the keys apart (never seen): a search
            at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
            hit = self.keys[at] == keys
        # each entry's place in ``out`` read as one flat array: its row's start plus its column
        starts = np.repeat(np.arange(0, lengths.size * self.width, self.width), lengths >> 3)
        found = starts[hit] + self.slot_columns[at[hit]]
        out.reshape(-1)[found] = (data[hit] & np.uint64(VALUE_MASK)).astype(np.int8)
        for column, source in self.copies:
            out[:, column] = out[:, source]
        return out


def _fetch(sql: str, params: Sequence[Any]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                return
            yield rows


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _rounds(campaign: Campaign) -> list[tuple[int, str]]:
    """(id, kind) of the campaign's pre and post rounds."""
    sql = (
        f"SELECT rd.id, rd.kind FROM {_table(Round)} rd "  # noqa: S608 -- model names
        f"JOIN {_table(Activity)} a ON a.id = rd.activity_id "
        "WHERE a.campaign_id = %s AND rd.kind IN (%s, %s)"
    )
    params = [campaign.pk, Round.Kind.PRE.value, Round.Kind.POST.value]
    return [(int(pk), str(kind)) for rows in _fetch(sql, params) for pk, kind in rows]


def _span(rounds: Sequence[int]) -> tuple[int, int]:
    """The lowest and highest id of the responses of these rounds (the first and last entry of
    each round in its index: no row is read)."""
    low, high = 0, -1
    table = _table(Response)
    for start in range(0, len(rounds), 500):
        part = rounds[start : start + 500]
        marks = ", ".join("%s" for _ in part)
        sql = (
            f"SELECT (SELECT min(id) FROM {table} WHERE round_id = rd.id), "  # noqa: S608 -- model names
            f"(SELECT max(id) FROM {table} WHERE round_id = rd.id) "
            f"FROM {_table(Round)} rd WHERE rd.id IN ({marks})"
        )
        for rows in _fetch(sql, part):
            for first, last in rows:
                if first is not None:
                    low = first if high < low else min(low, first)
                    high = max(high, last)
    return low, high


def _respondents(campaign: Campaign) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Ids (ascending) and activity ids of the campaign's counted respondents."""
    sql = (
        f"SELECT p.id, p.activity_id FROM {_table(Respondent)} p "  # noqa: S608 -- model names
        f"JOIN {_table(Activity)} a ON a.id = p.activity_id "
        "WHERE a.campaign_id = %s AND p.withdrawn_at IS NULL ORDER BY p.id"
    )
    if connection.vendor == "sqlite":  # joined by the database, as the responses' batches
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), group_concat(q.id), group_concat(q.activity_id) "  # noqa: S608 -- model names
                f"FROM ({sql}) q",
                [campaign.pk],
            )
            count, ids_text, activities_text = cursor.fetchone()
        if not count:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ids, activities = _integers(ids_text, count), _integers(activities_text, count)
        if ids is not None and activities is not None:
            if (ids[1:] < ids[:-1]).any():  # the order of a join is not the subquery's promise
                order = np.argsort(ids, kind="stable")
                ids, activities = ids[order], activities[order]
            return ids, activities
    parts = [
        np.fromiter(chain.from_iterable(rows), np.int64, 2 * len(rows)).reshape(-1, 2)
        for rows in _fetch(sql, [campaign.pk])
    ]
    both = np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
    return both[:, 0].copy(), both[:, 1].copy()


#: The columns of the response scan, a row per response.
SCAN_COLUMNS = "r.respondent_id, r.id, r.round_id, r.scores, r.profile"
#: The same, joined per batch by SQLite (``_Responses._batches``): the count, the ids and
#: rounds as text, the ``scores`` end to end and each one's length (-1: none), the profiles
#: between ``PROFILE_SEPARATOR`` (NULL read as "": neither is typed).
PROFILE_SEPARATOR = "\x1e"
SCAN_JOINED = (
    "count(*), group_concat(r.respondent_id), group_concat(r.id), group_concat(r.round_id), "
    "CAST(group_concat(coalesce(r.scores, x''), '') AS BLOB), "
    "group_concat(coalesce(length(r.scores), -1)), "
    "group_concat(coalesce(r.profile, ''), char(30))"
)
#: Ids a joined batch spans (a few MB of strings: they are built in SQLite's memory).
SPAN_BATCH = 20_000
#: A batch of the scan as columns: respondent ids, response ids, round ids, the ``scores``
#: end to end, each one's length in bytes (-1: none stored), the profiles.
_Batch = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    bytes,
    npt.NDArray[np.int64],
    Sequence[str | None],
]


def _batch_of(rows: Sequence[tuple[Any, ...]]) -> _Batch:
    """Rows of ``SCAN_COLUMNS`` as a batch."""
    ids, pks, round_ids, scores, profiles = zip(*rows, strict=True)
    count = len(rows)
    return (
        np.fromiter(ids, np.int64, count),
        np.fromiter(pks, np.int64, count),
        np.fromiter(round_ids, np.int64, count),
        b"".join(s or b"" for s in scores),
        np.fromiter((-1 if s is None else len(s) for s in scores), np.int64, count),
        profiles,
    )


def _joined_batch(row: tuple[Any, ...]) -> _Batch | None:
    """The row of ``SCAN_JOINED`` as a batch; None when it does not read back whole."""
    count = int(row[0])
    if not count:
        none = np.zeros(0, dtype=np.int64)
        return none, none, none, b"", none, ()
    respondent, pk, round_of, lengths = (_integers(row[k], count) for k in (1, 2, 3, 5))
    profiles = row[6].split(PROFILE_SEPARATOR)
    scores = bytes(row[4])
    if (
        respondent is None
        or pk is None
        or round_of is None
        or lengths is None
        or len(profiles) != count
        or int(np.maximum(lengths, 0).sum()) != len(scores)
    ):
        return None
    return respondent, pk, round_of, scores, lengths, profiles


def _integers(text: str, count: int) -> npt.NDArray[np.int64] | None:
    """``count`` integers written with commas between (``group_concat``), else None."""
    found = np.fromstring(text, dtype=np.int64, sep=",")
    return found if found.size == count else None


class _Responses:
    """The campaign's pre/post responses of counted respondents, decoded by batch.

    One scan reads each response's ids, round, ``scores`` and whole ``profile`` — five plain
    columns, no ``CASE``, no join: the campaign's rounds are read first, and on SQLite the scan
    walks the table in id order over the span of the campaign's responses (``_span``) instead
    of seeking each row through the round index. A row typed under the current layout
    (``typed_answers.MARK``, judged once per distinct profile) is decoded from those columns;
    any other is read again from its JSON (``json_extract`` / ``->``, ``_legacy``), with the
    same result. ``person`` numbers each response's demographics (``persons`` holds each
    distinct answer once: a handful of genders, ages and roles give few combinations)."""

    def __init__(self, campaign: Campaign, items: Sequence[str]) -> None:
        self.sql_from = (
            f"FROM {_table(Response)} r "
            f"JOIN {_table(Round)} rd ON rd.id = r.round_id "
            f"JOIN {_table(Activity)} a ON a.id = rd.activity_id "
            "WHERE a.campaign_id = %s AND rd.kind IN (%s, %s) AND r.respondent_id IS NOT NULL"
        )
        self.params = [campaign.pk, Round.Kind.PRE.value, Round.Kind.POST.value]
        self.items = tuple(items)
        width = len(items)
        numbers, scored_rows, then_rows, people = [], [], [], []
        distinct: dict[str | None, int] = {}
        typed: list[bool] = []  # per distinct profile: written under this layout
        keys = _ScoreKeys(items)
        rounds = _rounds(campaign)
        post_rounds = np.array(
            sorted(pk for pk, kind in rounds if kind == Round.Kind.POST.value), dtype=np.int64
        )
        for respondent, pk, round_of, scores, lengths, profiles in self._batches(
            [pk for pk, _ in rounds]
        ):
            count = pk.size
            is_post = np.isin(round_of, post_rounds)
            numbers.append(np.stack([respondent, pk, is_post]))
            for text in dict.fromkeys(profiles):
                if text not in distinct:
                    distinct[text] = len(distinct)
                    typed.append(isinstance(text, str) and text.startswith(MARK))
            person = np.fromiter(map(distinct.__getitem__, profiles), np.int64, count)
            untyped = ~np.array(typed)[person]
            if (lengths < 0).any():  # no typed answers stored
                untyped |= lengths < 0
                lengths = np.maximum(lengths, 0)
            matrix = keys.matrix_of(scores, lengths)
            if untyped.any():  # rows without typed answers: their JSON's values
                self._legacy(pk, untyped, matrix, person, distinct, typed)
            scored_rows.append(matrix[:, : width + 1])
            then_rows.append(matrix[:, width + 1 :])
            people.append(person)
        both = np.concatenate(numbers, axis=1) if numbers else np.zeros((3, 0), np.int64)
        self.respondent, self.pk, self.is_post = both[0], both[1], both[2].astype(np.bool_)
        empty = np.zeros((0, width + 1), dtype=np.int8)
        self.scored = np.concatenate(scored_rows) if scored_rows else empty
        self.then = np.concatenate(then_rows) if then_rows else empty[:, :width]
        self.person = np.concatenate(people) if people else np.zeros(0, np.int64)
        # a profile of this layout is MARK + the JSON array; another is never a row's person
        self.persons = [
            orjson.loads(text[len(MARK) :])[: len(PERSON)] if text is not None and is_typed else []
            for text, is_typed in zip(distinct, typed, strict=True)
        ]

    def _scan(self, rounds: Sequence[int], columns: str = SCAN_COLUMNS) -> tuple[str, list[Any]]:
        """The response scan's SQL and parameters (on SQLite, over ids from a first to a last
        one, the last two parameters)."""
        marks = ", ".join("%s" for _ in rounds) or "NULL"
        sql = (
            f"SELECT {columns} "  # noqa: S608 -- model names
            f"FROM {_table(Response)} r WHERE r.respondent_id IS NOT NULL "
        )
        if connection.vendor != "sqlite":
            return sql + f"AND r.round_id IN ({marks})", list(rounds)
        # SQLite: the rows in id order over the campaign's span ("+" keeps the round index
        # out of the plan: a seek per row through it cost more than reading the span)
        return sql + f"AND +r.round_id IN ({marks}) AND r.id BETWEEN %s AND %s", list(rounds)

    def _batches(self, rounds: Sequence[int]) -> Iterator[_Batch]:
        """The scan's rows a batch at a time, as columns (``_Batch``).

        On SQLite the database joins each batch's values itself (``group_concat``), a string
        per column instead of a tuple and five values per row: the rows of a span of
        ``SPAN_BATCH`` ids come as one row of seven values, read into arrays at once. Should
        a batch not read back whole (a profile holding the separator), its rows are read one
        by one instead, with the same result."""
        if connection.vendor != "sqlite":
            for rows in _fetch(*self._scan(rounds)):
                yield _batch_of(rows)
            return
        joined, params = self._scan(rounds, SCAN_JOINED)
        plain, _ = self._scan(rounds)
        low, high = _span(rounds)
        for first in range(low, high + 1, SPAN_BATCH):
            last = min(first + SPAN_BATCH - 1, high)
            with connection.cursor() as cursor:
                cursor.execute(joined, [*params, first, last])
                found = _joined_batch(cursor.fetchone())
            if found is not None:
                if found[1].size:
                    yield found
                continue
            for rows in _fetch(plain, [*params, first, last]):
                yield _batch_of(rows)

    def _legacy(
        self,
        pk: npt.NDArray[np.int64],
        rows: npt.NDArray[np.bool_],
        matrix: npt.NDArray[np.int8],
        person: npt.NDArray[np.int64],
        distinct: dict[str | None, int],
        typed: list[bool],
    ) -> None:
        """Fill ``rows`` of a batch (``matrix``, ``person``) from their responses' JSON, as the
        database extracts it (the items' answers, the attribution, the retrospective answers,
        the demographics as a JSON array — the typed columns' content)."""
        width = len(self.items)
        scored, scored_params = _json_array("r.answers", [*self.items, "attribution"])
        demographics, person_params = _json_array("r.answers", PERSON)
        then, then_params = _json_array("r.then_answers", self.items)
        wanted = pk[rows]
        found: dict[int, tuple[Any, ...]] = {}
        for start in range(0, wanted.size, 500):
            part = wanted[start : start + 500].tolist()
            marks = ", ".join("%s" for _ in part)
            sql = (
                f"SELECT r.id, {demographics}, {scored}, {then} "  # noqa: S608 -- model names
                f"FROM {_table(Response)} r WHERE r.id IN ({marks})"
            )
            for batch in _fetch(sql, [*person_params, *scored_params, *then_params, *part]):
                found.update((int(row[0]), row[1:]) for row in batch)
        texts = [found[int(key)] for key in wanted]
        at = np.flatnonzero(rows)
        matrix[at] = MISSING
        matrix[at, : width + 1] = _answer_matrix([t[1] for t in texts], _width([*self.items, ""]))[
            :, : width + 1
        ]
        matrix[at, width + 1 :] = _answer_matrix([t[2] for t in texts], _width(self.items))[
            :, :width
        ]
        for text in dict.fromkeys(t[0] for t in texts):
            if MARK + text not in distinct:
                distinct[MARK + text] = len(distinct)
                typed.append(True)
        person[at] = [distinct[MARK + t[0]] for t in texts]

    def order_keys(self, rows: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """(submitted_at, round id, id) of these responses by row: the latest is the largest."""
        wanted = {int(self.pk[i]): i for i in rows}
        out: dict[int, tuple[Any, ...]] = {}
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("%s" for _ in part)
            sql = f"SELECT r.submitted_at, r.round_id, r.id {self.sql_from} AND r.id IN ({marks})"
            for batch in _fetch(sql, [*self.params, *part]):
                for key in batch:
                    out[wanted[int(key[2])]] = tuple(key)
        return out

    def latest(self, rows_of: npt.NDArray[np.int64], n: int) -> tuple[Any, Any]:
        """Per respondent row (of ``n``), the index of its latest pre and latest post response
        (-1: none); ``rows_of`` is each response's respondent row, -1 for one not counted.

        As ``frame._latest`` over responses read in ``(round, submitted_at, id)`` order: the
        latest ``submitted_at`` wins, a tie goes to the later round, then the later id."""
        counted = np.flatnonzero(rows_of >= 0)
        key = rows_of[counted] * 2 + self.is_post[counted]
        order = counted[np.argsort(key, kind="stable")]
        ordered = rows_of[order] * 2 + self.is_post[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if order.size else order
        ends = np.r_[starts[1:], ordered.size].astype(np.int64)
        chosen = order[ends - 1] if order.size else order
        twice = np.flatnonzero(ends - starts > 1)  # a respondent who answered a round twice
        groups = [order[starts[g] : ends[g]].tolist() for g in twice]
        keys = self.order_keys([i for members in groups for i in members])
        for g, members in zip(twice, groups, strict=True):
            chosen[g] = max(members, key=keys.__getitem__)
        found = ordered[starts] if order.size else ordered
        pre = np.full(n, -1, dtype=np.int64)
        post = np.full(n, -1, dtype=np.int64)
        is_post = found % 2 == 1
        pre[found[~is_post] // 2] = chosen[~is_post]
        post[found[is_post] // 2] = chosen[is_post]
        return pre, post


def _pick(values: npt.NDArray[np.int8], rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
    """``values[rows]`` with MISSING where ``rows`` is -1 (no such response)."""
    if values.shape[0] == 0:
        return np.zeros((rows.size, values.shape[1]), dtype=np.int8)
    picked = values[np.maximum(rows, 0)]
    picked[rows < 0] = MISSING
    return picked


def _codes(
    name: str, values: Sequence[Any]
) -> tuple[tuple[Label, ...], npt.NDArray[np.int16], npt.NDArray[np.uint64] | None]:
    """The vocabulary of a dimension (sorted, None last) and each value's code (and, for a
    multi-valued dimension whose values are tuples of labels, the membership bits)."""
    multi = name in MULTI_VALUED_DIMENSIONS
    seen = {v for vs in values for v in vs} if multi else set(values)
    labels: tuple[Label, ...] = (*sorted(v for v in seen if v is not None), None)
    index = {label: code for code, label in enumerate(labels)}
    if not multi:
        return labels, np.fromiter((index[v] for v in values), np.int16, len(values)), None
    if len(labels) > MAX_MULTI_LABELS:
        raise ValueError(f"{name}: more than {MAX_MULTI_LABELS} labels")
    sets = [[index[v] for v in vs] or [index[None]] for vs in values]
    codes = np.fromiter((min(s) for s in sets), dtype=np.int16, count=len(values))
    masks = np.fromiter((sum(1 << c for c in s) for s in sets), dtype=np.uint64, count=len(sets))
    return labels, codes, masks


def frame_for_campaign_columns(*, campaign: Campaign, mapping: IndicatorMap) -> AnalysisFrame:
    """Every counted respondent of the campaign: the frame ``load.frame_for_campaign`` builds,
    array for array (full refresh)."""
    items = tuple(mapping.items)
    scales = {code: tuple(members) for code, members in mapping.scales.items()}
    for code, members in scales.items():
        if len(members) < 2 or any(m not in items for m in members):
            raise ValueError(f"scale {code!r} needs two or more of the frame's items")
    with _bulk_read():
        ids, activity_ids = _respondents(campaign)
        responses = _Responses(campaign, items)
    n = ids.size
    at = np.minimum(np.searchsorted(ids, responses.respondent), max(n - 1, 0))
    counted = ids[at] == responses.respondent if n else np.zeros(at.size, dtype=np.bool_)
    pre, post = responses.latest(np.where(counted, at, -1), n)
    width = len(items)
    before = _pick(responses.scored, pre)
    after = _pick(responses.scored, post)
    then = _pick(responses.then, post)[:, :width]
    retro = (before[:, :width] == MISSING) & (then != MISSING)
    baseline = np.where(retro, then, before[:, :width])
    codes: dict[str, npt.NDArray[np.int16]] = {}
    vocabulary: dict[str, tuple[Label, ...]] = {}
    memberships: dict[str, npt.NDArray[np.uint64]] = {}
    # activity dimensions: per activity once, then spread to its respondents
    activities = activity_rows(campaign=campaign)
    keys, where = np.unique(activity_ids, return_inverse=True)
    for name in ACTIVITY_DIMENSIONS:
        per_activity = [_activity_value(activities.get(int(k), {}), name) for k in keys]
        labels, found, masks = _codes(name, per_activity)
        vocabulary[name], codes[name] = labels, found[where].astype(np.int16)
        if masks is not None:
            memberships[name] = masks[where]
    # demographics: the pre's answer unless blank, else the post's (``frame._demographics``),
    # decided once per distinct pair of answers
    nobody = len(responses.persons)
    persons = [*responses.persons, [None] * len(PERSON)]
    pair = np.where(pre >= 0, responses.person[np.maximum(pre, 0)], nobody) * (nobody + 1)
    pair += np.where(post >= 0, responses.person[np.maximum(post, 0)], nobody)
    pairs, where_pair = np.unique(pair, return_inverse=True)
    chosen = [
        [
            b if b not in _BLANK else a
            for b, a in zip(persons[p // (nobody + 1)], persons[p % (nobody + 1)], strict=True)
        ]
        for p in pairs.tolist()
    ]
    fo_mask = np.zeros(0, dtype=np.uint16)
    for j, name in enumerate(PERSON):
        if name == FO_ANY:
            fo = [_fo_value(person[j]) for person in chosen]
            fo_mask = np.array([m for _, m in fo], dtype=np.uint16)[where_pair]
            values: list[Label] = [label for label, _ in fo]
        else:
            values = [None if v is None or v == "" else str(v) for v in (c[j] for c in chosen)]
        vocabulary[name], found, _ = _codes(name, values)
        codes[name] = found[where_pair].astype(np.int16)
    return AnalysisFrame(
        respondent_ids=ids,
        codes={name: codes[name] for name in (*ACTIVITY_DIMENSIONS, *PERSON)},
        vocabulary={name: vocabulary[name] for name in (*ACTIVITY_DIMENSIONS, *PERSON)},
        fo_mask=fo_mask,
        items=items,
        baseline=np.ascontiguousarray(baseline.T),
        post=np.ascontiguousarray(after[:, :width].T),
        retrospective=np.ascontiguousarray(retro.T),
        attribution=np.ascontiguousarray(after[:, width]),
        scales=scales,
        memberships=memberships,
        item_themes={k: v for k, v in mapping.item_themes.items() if k in items},
    )
