"""Near-duplicate contributions: the same text pasted twice, lightly edited, or sent by several
people from one template.

Each text becomes its set of word shingles (``SHINGLE`` consecutive words, lowercased, without
accents; a text shorter than that is its set of words). MinHash signatures of ``NUM_PERM``
seeded universal hashes and locality-sensitive hashing (``BANDS`` bands of ``ROWS`` rows: a
pair with a Jaccard of 0.6 is proposed with a probability of 0.8, of 0.7 with 0.97) give
candidate pairs in about linear time; candidates whose signatures agree on clearly less than
``threshold`` are dropped, and each remaining one is confirmed with the exact Jaccard
similarity of the two shingle sets, so a reported similarity is exact and at least
``threshold``.

The signatures are computed for all texts at once with numpy: datasketch's ``MinHash`` and
``MinHashLSH`` (the library this follows; its estimates agree, see the tests) spend most of
their time per object in Python: about 10 s for 10,000 contributions, against about 1 s of CPU
here (measured on a loaded machine).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

SHINGLE = 3
THRESHOLD = 0.6
BANDS, ROWS = 20, 5
#: candidates whose signatures agree on less than ``threshold - ESTIMATE_SLACK`` are dropped
ESTIMATE_SLACK = 0.15
CHUNK = 100_000
NUM_PERM = BANDS * ROWS
PRIME = (1 << 31) - 1  # Mersenne: a, b and the reduced hash below it, a * h + b below 2**62
WORD = re.compile(r"[^\W_]+")
COMBINING = re.compile(r"[\u0300-\u036f]")  # accents once NFKD has split them off

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The ``size``-word shingles of ``text`` (its words when it is shorter)."""
    words = WORD.findall(COMBINING.sub("", unicodedata.normalize("NFKD", text.lower())))
    if len(words) < size:
        return frozenset(words)
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def signatures(sets: Sequence[frozenset[str]], *, seed: int = 1) -> U32:
    """(texts, NUM_PERM) MinHash signatures: per seeded hash ``(a * (crc32(s) mod p) + b) mod p``
    the minimum over the text's shingles (``p`` = 2**31 - 1; an empty set gets ``p``).

    Each distinct shingle is hashed once; texts are then reduced in chunks, so memory stays
    near ``CHUNK`` x ``NUM_PERM`` values whatever the corpus."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, PRIME, size=NUM_PERM, dtype=np.uint64)
    b = rng.integers(0, PRIME, size=NUM_PERM, dtype=np.uint64)
    index: dict[str, int] = {}
    occurrences: list[int] = []
    ends: list[int] = []
    for found in sets:
        for s in found:
            occurrences.append(index.setdefault(s, len(index)))
        ends.append(len(occurrences))
    result = np.full((len(sets), NUM_PERM), PRIME, dtype=np.uint32)
    if not index:
        return result
    codes = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in index), np.uint64, len(index))
    table = _mod_prime((codes % np.uint64(PRIME))[:, None] * a[None, :] + b[None, :])
    table32 = table.astype(np.uint32)
    where = np.asarray(occurrences, dtype=np.intp)
    bounds = np.asarray([0, *ends], dtype=np.intp)
    text = 0
    while text < len(sets):
        # the texts whose occurrences fit in one chunk (at least one text)
        last = max(int(np.searchsorted(bounds, bounds[text] + CHUNK, side="right")) - 1, text + 1)
        starts = bounds[text:last]
        filled = starts < bounds[text + 1 : last + 1]  # texts with at least one shingle
        if filled.any():
            block = table32[where[bounds[text] : bounds[last]]]
            reduced = np.minimum.reduceat(block, starts[filled] - bounds[text], axis=0)
            result[np.arange(text, last)[filled]] = reduced
        text = last
    return result


def _mod_prime(values: U64) -> U64:
    """``values mod (2**31 - 1)`` for values below 2**62, by folding (much faster than ``%``)."""
    p = np.uint64(PRIME)
    shift = np.uint64(31)
    folded = (values & p) + (values >> shift)
    folded = (folded & p) + (folded >> shift)
    folded[folded == p] = 0
    return folded


def near_duplicates(
    texts: Sequence[tuple[str, str]], *, threshold: float = THRESHOLD
) -> tuple[tuple[str, str, float], ...]:
    """Pairs ``(id_a, id_b, jaccard)`` of ``texts`` (``(id, text)`` pairs) whose shingle sets
    overlap by at least ``threshold``; ``id_a < id_b``, sorted by id. Empty texts pair with
    nothing."""
    kept = [(ident, found) for ident, text in texts if (found := shingles(text))]
    if len(kept) < 2:
        return ()
    ids = [ident for ident, _ in kept]
    sets = [found for _, found in kept]
    signature = signatures(sets)
    first, second = _candidates(signature)
    # Drop candidates whose signatures already say they are far apart, then confirm exactly.
    close = np.zeros(len(first), dtype=bool)
    for start in range(0, len(first), CHUNK):
        x, y = first[start : start + CHUNK], second[start : start + CHUNK]
        estimate = (signature[x] == signature[y]).mean(axis=1)
        close[start : start + CHUNK] = estimate >= threshold - ESTIMATE_SLACK
    pairs = []
    for x, y in zip(first[close].tolist(), second[close].tolist(), strict=True):
        overlap = len(sets[x] & sets[y]) / len(sets[x] | sets[y])
        if overlap >= threshold:
            a, b = (ids[x], ids[y]) if ids[x] < ids[y] else (ids[y], ids[x])
            pairs.append((a, b, overlap))
    return tuple(sorted(pairs))


def _candidates(signature: U32) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs ``(x, y)``, ``x < y``, sharing all rows of at least one band."""
    n = signature.shape[0]
    found: list[npt.NDArray[np.int64]] = []
    for band in range(BANDS):
        rows = np.ascontiguousarray(signature[:, band * ROWS : (band + 1) * ROWS])
        keys = rows.view(np.dtype((np.void, rows.dtype.itemsize * ROWS))).ravel()
        _, bucket = np.unique(keys, return_inverse=True)
        order = np.argsort(bucket, kind="stable")
        ranked = bucket[order]
        edges = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1], True])
        for start, end in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
            if end - start > 1:
                members = np.sort(order[start:end]).astype(np.int64)
                upper, lower = np.triu_indices(len(members), 1)
                found.append(members[upper] * n + members[lower])
    if not found:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    codes = np.unique(np.concatenate(found))
    return (codes // n).astype(np.intp), (codes % n).astype(np.intp)
