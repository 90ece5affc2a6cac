"""Near-duplicate contributions: the same text pasted twice, lightly edited, or sent by several
people from one template.

Each text becomes its set of word shingles (``SHINGLE`` consecutive words, lowercased, without
accents; a text shorter than that is its set of words). MinHash signatures (datasketch, fixed
seed) and locality-sensitive hashing propose candidate pairs in about linear time; each candidate
is then confirmed with the exact Jaccard similarity of the two shingle sets, so a reported
similarity is exact and at least ``threshold``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

SHINGLE = 3
THRESHOLD = 0.6
NUM_PERM = 64
WORD = re.compile(r"[^\W_]+")


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The ``size``-word shingles of ``text`` (its words when it is shorter)."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch)
    )
    words = WORD.findall(plain)
    if len(words) < size:
        return frozenset(words)
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def near_duplicates(
    texts: Sequence[tuple[str, str]], *, threshold: float = THRESHOLD
) -> tuple[tuple[str, str, float], ...]:
    """Pairs ``(id_a, id_b, jaccard)`` of ``texts`` (``(id, text)`` pairs) whose shingle sets
    overlap by at least ``threshold``; ``id_a < id_b``, sorted by id. Empty texts pair with
    nothing."""
    sets = [(ident, shingles(text)) for ident, text in texts]
    sets = [(ident, found) for ident, found in sets if found]
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signatures: dict[str, MinHash] = {}
    for ident, found in sets:
        signature = MinHash(num_perm=NUM_PERM, seed=1)
        signature.update_batch([s.encode("utf-8") for s in sorted(found)])
        signatures[ident] = signature
        lsh.insert(ident, signature)
    by_id = dict(sets)
    pairs: dict[tuple[str, str], float] = {}
    for ident, _found in sets:
        for other in lsh.query(signatures[ident]):
            if other == ident:
                continue
            a, b = (ident, other) if ident < other else (other, ident)
            if (a, b) in pairs:
                continue
            overlap = len(by_id[a] & by_id[b]) / len(by_id[a] | by_id[b])
            if overlap >= threshold:
                pairs[(a, b)] = overlap
    return tuple((a, b, similarity) for (a, b), similarity in sorted(pairs.items()))
