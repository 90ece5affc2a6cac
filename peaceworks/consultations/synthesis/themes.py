"""Themes in free-text contributions written in several languages.

Static multilingual word embeddings align badly across English, French and Spanish (measured for
the issue), so themes meet across languages through a concept lexicon instead
(``lexicon.py``, ``consultations/data/concepts.json``):

1. Each contribution is split into words, lemmatised in its own language (simplemma) and matched
   against the lexicon's terms of that language, longest phrase first: each match counts once for
   its concept. The words no phrase used, minus stop words and words under three letters, become
   per-language term features (``fr:chantier``) kept when at least ``MIN_TERM_TEXTS`` texts use
   them; they count ``TERM_WEIGHT`` as much as concepts, so they refine a theme inside a language
   without pulling texts apart by language.
2. TF-IDF (logarithmic term frequency, smoothed idf, rows to unit length), then NMF (seeded,
   NNDSVDa start): each theme is a non-negative mix of concepts, each text a mix of themes.
3. A text belongs to every theme holding at least ``MEMBER_SHARE`` of its mix (its strongest
   always), with that share as its weight; a text with no concept and no kept term is unassigned.
4. The number of themes, unless given: NMF for every k from 2 to ``MAX_THEMES`` (at most a fifth
   of the texts with features), each scored by the cosine silhouette of its strongest-theme
   labels; beyond ``SELECTION_SAMPLE`` texts this choice is made on a seeded sample of that
   size (in id order) and the chosen k then fitted on all. The best score wins, the smaller k
   on a tie. Fewer than ten texts with features make one theme.
5. A theme's concepts are its NMF weights on concept features (largest = 1, down to
   ``CONCEPT_FLOOR`` of it, at most ``TOP_CONCEPTS``); its key is its first ``KEY_CONCEPTS`` concept
   keys sorted and joined by ``+`` (``housing+migration``), so a re-run finds the same key for the
   same theme; its label in each language joins its two first concepts' labels; its
   representatives per language are the members of that language with the highest weights.

With the optional semantic backend (an ``embedder``, ``embeddings.py``, off unless the operator
configures a model), steps 2-4 group the texts by their sentence embeddings instead
(``_embedded``); the lexicon features of step 1 still name each theme (step 5).

Texts are processed in id order, so the input order changes nothing, and the same texts and seed
give a byte-identical ``to_json()``.

Facilitator edits (``Rename``, ``Merge``, ``Split``) name themes by key; ``apply_edits`` finds each
named theme in a new run by the Jaccard overlap of key concepts, so edits made on one run still
apply when contributions have been added.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from . import canonical
from .duplicates import near_duplicates as find_near_duplicates
from .embeddings import Embedder, unit_rows
from .lexicon import Concept, Lexicon, PhraseIndex, load_lexicon, normalised_words, stop_words

# scikit-learn (with SciPy and pandas) takes over a second of CPU to import: it is imported
# by the functions that fit, so that importing the module (the tests' collection, a page that
# reads a stored result) does not pay for it.
if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.cluster import KMeans

__all__ = [
    "Concept",
    "Edit",
    "Embedder",
    "Lexicon",
    "Merge",
    "Rename",
    "Split",
    "Text",
    "Theme",
    "ThemeResult",
    "apply_edits",
    "edit_from_dict",
    "edit_to_dict",
    "find_themes",
    "load_lexicon",
]

FloatArray = npt.NDArray[np.float64]

TERM_WEIGHT = 0.3
MIN_TERM_TEXTS = 3
MAX_TERMS = 5000
MEMBER_SHARE = 0.3
MAX_THEMES = 12
MIN_TEXTS_PER_THEME = 5
MIN_TEXTS_TO_CHOOSE = 10
SELECTION_SAMPLE = 1500
TOP_CONCEPTS = 5
KEY_CONCEPTS = 3
CONCEPT_FLOOR = 0.25
REPRESENTATIVES = 3
#: an edit's theme is the new theme whose key concepts overlap its own by at least this Jaccard
MATCH_JACCARD = 0.4
LABEL_JOINER = " · "
#: the semantic backend: k-means starts, and the softmax temperature of a text's cosines to the
#: theme centres (0.05: a cosine 0.1 nearer a centre weighs e² ≈ 7 times more)
EMBEDDING_N_INIT = 10
EMBEDDING_TEMPERATURE = 0.05


@dataclass(frozen=True)
class Text:
    id: str
    text: str
    language: str  # ISO 639-1; concepts exist for en, fr and es, other languages get terms only


@dataclass(frozen=True)
class Theme:
    key: str
    concepts: tuple[tuple[str, float], ...]  # (concept key or "lang:term", weight), strongest first
    labels: Mapping[str, str]  # language -> proposed label
    members: tuple[tuple[str, float], ...]  # (text id, share of the text in this theme), by id
    representatives: Mapping[str, tuple[str, ...]]  # language -> text ids, strongest first
    facilitator_label: str | None = None

    def label(self, language: str) -> str:
        """The facilitator's label if any, else the proposed one in ``language`` (or English)."""
        if self.facilitator_label:
            return self.facilitator_label
        return self.labels.get(language) or self.labels.get("en") or self.key


@dataclass(frozen=True)
class Rename:
    theme_key: str
    label: str

    def __post_init__(self) -> None:
        if not self.theme_key or not self.label.strip():
            raise ValueError("a rename needs a theme and a label")


@dataclass(frozen=True)
class Merge:
    theme_keys: tuple[str, ...]
    label: str

    def __post_init__(self) -> None:
        if len(set(self.theme_keys)) < 2 or not self.label.strip():
            raise ValueError("a merge needs at least two different themes and a label")


@dataclass(frozen=True)
class Split:
    theme_key: str
    concept_groups: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        groups = [frozenset(g) for g in self.concept_groups]
        if not self.theme_key or len(groups) < 2 or not all(groups):
            raise ValueError("a split needs a theme and at least two non-empty concept groups")
        if len(frozenset().union(*groups)) != sum(len(g) for g in groups):
            raise ValueError("a concept may be in only one group of a split")


Edit = Rename | Merge | Split


@dataclass(frozen=True)
class ThemeResult:
    themes: tuple[Theme, ...]
    unassigned: tuple[str, ...]
    near_duplicates: tuple[tuple[str, str, float], ...]
    # per text (by id): its concepts with their counts, and its language — what edits need
    text_concepts: Mapping[str, tuple[tuple[str, float], ...]]
    text_languages: Mapping[str, str]
    concept_labels: Mapping[str, Mapping[str, str]]  # of every concept some text mentions
    n_themes: int
    silhouette: float | None
    seed: int
    unapplied_edits: tuple[Edit, ...] = field(default=())

    def to_json(self) -> bytes:
        """Canonical bytes: the same texts, lexicon, seed and edits give the same bytes."""
        document: dict[str, Any] = canonical.plain(replace(self, unapplied_edits=()))
        document["unapplied_edits"] = [edit_to_dict(e) for e in self.unapplied_edits]
        return canonical.dumps(document)

    def themes_of(self, text_id: str) -> tuple[str, ...]:
        """The keys of the themes ``text_id`` belongs to, strongest first."""
        found = [
            (weight, theme.key)
            for theme in self.themes
            for member, weight in theme.members
            if member == text_id
        ]
        return tuple(key for _, key in sorted(found, key=lambda wk: (-wk[0], wk[1])))


def find_themes(
    texts: Sequence[Text],
    *,
    lexicon: Lexicon,
    seed: int = 0,
    n_themes: int | None = None,
    embedder: Embedder | None = None,
) -> ThemeResult:
    """Themes of ``texts`` (see the module docstring). Raises ``ValueError`` for repeated text
    ids or ``n_themes`` below 1.

    With an ``embedder`` (the optional semantic backend, ``embeddings.py``) the texts are
    grouped by their embeddings instead (``_embedded``); the lexicon then only names the
    themes, so the result has the same shape, keys and labels, and edits apply alike."""
    if n_themes is not None and n_themes < 1:
        raise ValueError("n_themes must be at least 1")
    ordered = sorted(texts, key=lambda t: t.id)
    if len({t.id for t in ordered}) != len(ordered):
        raise ValueError("text ids must be unique")
    concepts_by_text, terms_by_text = _features(ordered, lexicon)
    matrix, columns = _tfidf(concepts_by_text, terms_by_text)
    if embedder is None:
        featured = np.flatnonzero(np.asarray(matrix.getnnz(axis=1)) > 0)
    else:
        featured = np.arange(len(ordered))
    with threadpool_limits(limits=1):  # small problems: threads only oversubscribe a busy machine
        if embedder is None:
            weights, components, score = _factorise(matrix[featured], seed=seed, n_themes=n_themes)
        else:
            weights, components, score = _embedded(
                ordered, matrix, embedder, seed=seed, n_themes=n_themes
            )
    ids = [t.id for t in ordered]
    languages = {t.id: t.language for t in ordered}
    concept_labels = {
        key: dict(lexicon.concepts[key].labels)
        for key in sorted({k for found in concepts_by_text for k in found})
    }
    themes = _themes(
        weights, components, [ids[i] for i in featured], columns, languages, concept_labels
    )
    assigned = {member for theme in themes for member, _ in theme.members}
    return ThemeResult(
        themes=themes,
        unassigned=tuple(i for i in ids if i not in assigned),
        near_duplicates=find_near_duplicates([(t.id, t.text) for t in ordered]),
        text_concepts={
            ids[i]: tuple(sorted((k, float(v)) for k, v in concepts_by_text[i].items()))
            for i in range(len(ids))
        },
        text_languages=languages,
        concept_labels=concept_labels,
        n_themes=len(themes),
        silhouette=score,
        seed=seed,
    )


def _features(
    texts: Sequence[Text], lexicon: Lexicon
) -> tuple[list[Counter[str]], list[Counter[str]]]:
    indexes: dict[str, PhraseIndex] = {}
    stops = stop_words()
    concepts: list[Counter[str]] = []
    terms: list[Counter[str]] = []
    for text in texts:
        language = text.language.lower()
        if language not in indexes:
            indexes[language] = lexicon.phrases(language)
        words = normalised_words(text.text, language)
        found, used = indexes[language].match(words)
        concepts.append(Counter(found))
        skip = stops.get(language, frozenset())
        terms.append(
            Counter(
                f"{language}:{word}"
                for word, was_used in zip(words, used, strict=True)
                if not was_used and len(word) >= 3 and word not in skip
            )
        )
    return concepts, terms


def _tfidf(
    concepts: Sequence[Counter[str]], terms: Sequence[Counter[str]]
) -> tuple[sparse.csr_matrix, list[str]]:
    """Rows: texts; columns: concept keys (sorted), then the kept ``lang:term`` features."""
    from scipy import sparse

    concept_columns = sorted({key for found in concepts for key in found})
    document_frequency = Counter(term for found in terms for term in found)
    kept_terms = sorted(
        (t for t, df in document_frequency.items() if df >= MIN_TERM_TEXTS),
        key=lambda t: (-document_frequency[t], t),
    )[:MAX_TERMS]
    columns = concept_columns + sorted(kept_terms)
    position = {name: j for j, name in enumerate(columns)}
    rows, cols, values = [], [], []
    for i, (found, words) in enumerate(zip(concepts, terms, strict=True)):
        for name, count in [*found.items(), *words.items()]:
            j = position.get(name)
            if j is not None:
                rows.append(i)
                cols.append(j)
                values.append(1.0 + math.log(count))
    n = len(concepts)
    counts = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(columns)))
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    idf[len(concept_columns) :] *= TERM_WEIGHT
    weighted = sparse.csr_matrix(counts @ sparse.diags(idf))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    scaled = sparse.diags(np.divide(1.0, norms, out=np.zeros(n), where=norms > 0)) @ weighted
    return sparse.csr_matrix(scaled), columns


def _factorise(
    matrix: sparse.csr_matrix, *, seed: int, n_themes: int | None
) -> tuple[FloatArray, FloatArray, float | None]:
    """(text weights, theme components, silhouette of the chosen k or None)."""
    from sklearn.metrics import silhouette_score

    n = matrix.shape[0]
    if n == 0:
        return np.zeros((0, 0)), np.zeros((0, matrix.shape[1])), None
    if n_themes is not None:
        k = max(1, min(n_themes, n, matrix.shape[1]))
        weights, components = _nmf(matrix, k, seed)
        return weights, components, None
    upper = min(MAX_THEMES, n // MIN_TEXTS_PER_THEME, matrix.shape[1])
    if n < MIN_TEXTS_TO_CHOOSE or upper < 2:
        weights, components = _nmf(matrix, 1, seed)
        return weights, components, None
    # Choose k on a seeded sample of the texts (in id order), then fit the chosen k on all.
    rng = np.random.default_rng(seed)
    rows = (
        np.sort(rng.choice(n, size=SELECTION_SAMPLE, replace=False))
        if n > SELECTION_SAMPLE
        else None
    )
    part = matrix if rows is None else matrix[rows]
    best: tuple[float, int] | None = None
    for k in range(2, upper + 1):
        weights, _ = _nmf(part, k, seed)
        labels = np.argmax(weights, axis=1)
        if len(np.unique(labels)) < 2:
            continue
        score = float(silhouette_score(part, labels, metric="cosine"))
        if best is None or score > best[0] + 1e-9:
            best = (score, k)
    if best is None:
        weights, components = _nmf(matrix, 1, seed)
        return weights, components, None
    weights, components = _nmf(matrix, best[1], seed)
    return weights, components, best[0]


def _embedded(
    texts: Sequence[Text],
    matrix: sparse.csr_matrix,
    embedder: Embedder,
    *,
    seed: int,
    n_themes: int | None,
) -> tuple[FloatArray, FloatArray, float | None]:
    """The semantic backend: (text weights, theme profiles over the lexicon's columns,
    silhouette or None) from the texts' embeddings.

    Spherical k-means on the unit embeddings (seeded, ``EMBEDDING_N_INIT`` starts), k chosen as
    for the lexicon (cosine silhouette, 2 to ``MAX_THEMES``, at most a fifth of the texts); a
    text's weights are a softmax of its cosines to the theme centres (``EMBEDDING_TEMPERATURE``),
    so it may share in several themes; a theme's profile, which names it, is the weighted mean
    of its texts' lexicon features."""
    from sklearn.metrics import silhouette_score

    n = len(texts)
    if n == 0:
        return np.zeros((0, 0)), np.zeros((0, matrix.shape[1])), None
    vectors = unit_rows(embedder.embed([t.text for t in texts]), n)
    score: float | None = None
    if n_themes is not None:
        k = max(1, min(n_themes, n))
    else:
        k = 1
        upper = min(MAX_THEMES, n // MIN_TEXTS_PER_THEME)
        if n >= MIN_TEXTS_TO_CHOOSE and upper >= 2:
            rng = np.random.default_rng(seed)
            rows = (
                np.sort(rng.choice(n, size=SELECTION_SAMPLE, replace=False))
                if n > SELECTION_SAMPLE
                else np.arange(n)
            )
            part = vectors[rows]
            for candidate in range(2, upper + 1):
                labels = _kmeans(part, candidate, seed).labels_
                if len(np.unique(labels)) < 2:
                    continue
                found = float(silhouette_score(part, labels, metric="cosine"))
                if score is None or found > score + 1e-9:
                    score, k = found, candidate
    centres = np.asarray(_kmeans(vectors, k, seed).cluster_centers_, dtype=np.float64)
    centres = unit_rows(centres, k)
    logits = (vectors @ centres.T) / EMBEDDING_TEMPERATURE
    logits -= logits.max(axis=1, keepdims=True)
    weights: FloatArray = np.exp(logits)
    weights /= weights.sum(axis=1, keepdims=True)
    mass = weights.sum(axis=0)
    profiles = np.asarray(matrix.T @ weights, dtype=np.float64).T
    components: FloatArray = profiles / np.where(mass > 0, mass, 1.0)[:, None]
    return weights, components, score


def _kmeans(vectors: FloatArray, k: int, seed: int) -> KMeans:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=EMBEDDING_N_INIT, random_state=seed).fit(vectors)


def _nmf(matrix: sparse.csr_matrix, k: int, seed: int) -> tuple[FloatArray, FloatArray]:
    from sklearn.decomposition import NMF

    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=300, tol=1e-4)
    weights = np.asarray(model.fit_transform(matrix), dtype=np.float64)
    return weights, np.asarray(model.components_, dtype=np.float64)


def _themes(
    weights: FloatArray,
    components: FloatArray,
    ids: Sequence[str],
    columns: Sequence[str],
    languages: Mapping[str, str],
    concept_labels: Mapping[str, Mapping[str, str]],
) -> tuple[Theme, ...]:
    if weights.size == 0:
        return ()
    totals = weights.sum(axis=1)
    shares = np.divide(
        weights, totals[:, None], out=np.zeros_like(weights), where=totals[:, None] > 0
    )
    strongest = np.argmax(weights, axis=1)
    is_concept = np.array([":" not in c for c in columns])
    themes: list[Theme] = []
    for t in range(weights.shape[1]):
        chosen = (shares[:, t] >= MEMBER_SHARE) | ((strongest == t) & (totals > 0))
        members = tuple(
            (ids[i], float(shares[i, t]))
            for i in np.flatnonzero(chosen).tolist()
            if shares[i, t] > 0
        )
        if not members:
            continue
        profile = components[t]
        use = is_concept if float(profile[is_concept].max(initial=0.0)) > 0 else ~is_concept
        concepts = _top_concepts(
            {columns[j]: float(profile[j]) for j in np.flatnonzero(use).tolist()}
        )
        themes.append(_theme(concepts, members, languages, concept_labels))
    return _keyed(themes)


def _top_concepts(profile: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """Strongest first (ties by key), scaled so the strongest is 1, down to the floor."""
    ranked = sorted(((k, w) for k, w in profile.items() if w > 0), key=lambda kw: (-kw[1], kw[0]))
    if not ranked:
        return ()
    top = ranked[0][1]
    return tuple((k, w / top) for k, w in ranked[:TOP_CONCEPTS] if w / top >= CONCEPT_FLOOR)


def _theme(
    concepts: tuple[tuple[str, float], ...],
    members: tuple[tuple[str, float], ...],
    languages: Mapping[str, str],
    concept_labels: Mapping[str, Mapping[str, str]],
    *,
    key: str | None = None,
    facilitator_label: str | None = None,
) -> Theme:
    members = tuple(sorted(members))
    by_language: dict[str, list[tuple[str, float]]] = {}
    for ident, weight in members:
        by_language.setdefault(languages.get(ident, ""), []).append((ident, weight))
    representatives = {
        lang: tuple(i for i, _ in sorted(found, key=lambda iw: (-iw[1], iw[0]))[:REPRESENTATIVES])
        for lang, found in sorted(by_language.items())
    }
    return Theme(
        # a theme without any concept or term (the semantic backend can find one) is "theme"
        key=key
        if key is not None
        else "+".join(sorted(k for k, _ in concepts[:KEY_CONCEPTS])) or "theme",
        concepts=concepts,
        labels=_labels([k for k, _ in concepts[:2]], concept_labels),
        members=members,
        representatives=representatives,
        facilitator_label=facilitator_label,
    )


def _labels(keys: Sequence[str], concept_labels: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Per language, the concepts' labels joined by a middle dot (labels often hold an "and"
    already, so a conjunction would read badly)."""
    languages = sorted({lang for k in keys for lang in concept_labels.get(k, {})}) or sorted(
        {k.split(":", 1)[0] for k in keys if ":" in k}  # terms only: the terms' own language
    )
    return {
        lang: LABEL_JOINER.join(_concept_label(k, lang, concept_labels) for k in keys)
        for lang in languages
    }


def _concept_label(key: str, language: str, concept_labels: Mapping[str, Mapping[str, str]]) -> str:
    if key in concept_labels:
        found = concept_labels[key]
        return found.get(language) or found.get("en") or key
    return key.split(":", 1)[-1]  # a per-language term: the word itself


def _keyed(themes: Sequence[Theme]) -> tuple[Theme, ...]:
    """Largest first (ties by key); a repeated key gets ``#2``, ``#3``..."""
    ordered = sorted(themes, key=lambda t: (-len(t.members), t.key, t.members))
    seen: Counter[str] = Counter()
    keyed = []
    for theme in ordered:
        seen[theme.key] += 1
        count = seen[theme.key]
        keyed.append(theme if count == 1 else replace(theme, key=f"{theme.key}#{count}"))
    return tuple(keyed)


# --- facilitator edits -------------------------------------------------------------------


def apply_edits(result: ThemeResult, edits: Sequence[Edit]) -> ThemeResult:
    """``result`` with ``edits`` applied in order; each edit's theme is found by key-concept
    overlap (Jaccard at least ``MATCH_JACCARD``, the best; ties to the larger theme).

    - ``Rename``: the theme keeps its members and gets the facilitator's label.
    - ``Merge``: the matched themes become one (a text's shares add up, at most 1), labelled by
      the facilitator, keyed by all their key concepts; it applies when at least one of its
      themes is found (two keys finding the same theme rename it).
    - ``Split``: the theme becomes one theme per concept group; a member goes to every group
      whose concepts it mentions, its weight shared in proportion to the mentions (a member
      mentioning none goes to the first group); a group left without members is dropped.

    An edit none of whose themes is found is added to ``unapplied_edits``.
    """
    themes = list(result.themes)
    unapplied: list[Edit] = []
    for edit in edits:
        if isinstance(edit, Rename):
            found = _match(themes, edit.theme_key)
            if found is None:
                unapplied.append(edit)
            else:
                themes[found] = replace(themes[found], facilitator_label=edit.label)
        elif isinstance(edit, Merge):
            matched = sorted(
                {m for key in edit.theme_keys if (m := _match(themes, key)) is not None}
            )
            if not matched:
                unapplied.append(edit)
                continue
            merged = _merge([themes[i] for i in matched], edit.label, result)
            themes = [t for i, t in enumerate(themes) if i not in matched] + [merged]
        else:
            found = _match(themes, edit.theme_key)
            if found is None:
                unapplied.append(edit)
                continue
            parts = _split(themes[found], edit.concept_groups, result)
            themes = [t for i, t in enumerate(themes) if i != found] + parts
    return replace(
        result,
        themes=_keyed(themes),
        unapplied_edits=(*result.unapplied_edits, *unapplied),
    )


def key_concepts(key: str) -> frozenset[str]:
    """The concepts a theme key names (``housing+migration#2`` → housing, migration)."""
    return frozenset(part for part in key.split("#", 1)[0].split("+") if part)


def _match(themes: Sequence[Theme], key: str) -> int | None:
    wanted = key_concepts(key)
    best: tuple[float, int, int] | None = None
    for i, theme in enumerate(themes):
        have = key_concepts(theme.key)
        union = wanted | have
        score = len(wanted & have) / len(union) if union else 0.0
        if theme.key == key:
            score += 1.0  # the very same key wins over a mere overlap
        candidate = (score, len(theme.members), -i)
        if score >= MATCH_JACCARD and (best is None or candidate > best):
            best = candidate
    return None if best is None else -best[2]


def _merge(parts: Sequence[Theme], label: str, result: ThemeResult) -> Theme:
    shares: dict[str, float] = {}
    profile: dict[str, float] = {}
    for theme in parts:
        for ident, weight in theme.members:
            shares[ident] = min(1.0, shares.get(ident, 0.0) + weight)
        for concept, weight in theme.concepts:
            profile[concept] = profile.get(concept, 0.0) + weight
    keys = sorted(frozenset().union(*(key_concepts(t.key) for t in parts)))
    return _theme(
        _top_concepts(profile),
        tuple(shares.items()),
        result.text_languages,
        result.concept_labels,
        key="+".join(keys),
        facilitator_label=label,
    )


def _split(theme: Theme, groups: Sequence[Sequence[str]], result: ThemeResult) -> list[Theme]:
    assigned: list[list[tuple[str, float]]] = [[] for _ in groups]
    for ident, weight in theme.members:
        mentioned = dict(result.text_concepts.get(ident, ()))
        scores = [sum(mentioned.get(c, 0.0) for c in group) for group in groups]
        total = sum(scores)
        if total == 0:
            assigned[0].append((ident, weight))
            continue
        for g, score in enumerate(scores):
            if score > 0:
                assigned[g].append((ident, weight * score / total))
    parts = []
    for group, members in zip(groups, assigned, strict=True):
        if not members:
            continue
        profile = dict.fromkeys(group, 0.0)
        for ident, _ in members:
            for concept, count in result.text_concepts.get(ident, ()):
                if concept in profile:
                    profile[concept] += count
        concepts = _top_concepts(profile) or tuple((c, 1.0) for c in sorted(group))
        parts.append(
            _theme(
                concepts,
                tuple(members),
                result.text_languages,
                result.concept_labels,
                key="+".join(sorted(group)),
            )
        )
    return parts


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    """A JSON-ready form of ``edit`` (to store it beside a consultation)."""
    if isinstance(edit, Rename):
        return {"kind": "rename", "theme_key": edit.theme_key, "label": edit.label}
    if isinstance(edit, Merge):
        return {"kind": "merge", "theme_keys": list(edit.theme_keys), "label": edit.label}
    return {
        "kind": "split",
        "theme_key": edit.theme_key,
        "concept_groups": [list(g) for g in edit.concept_groups],
    }


def edit_from_dict(data: Mapping[str, Any]) -> Edit:
    """The edit ``edit_to_dict`` gave. Raises ``ValueError`` for anything else."""
    kind = data.get("kind")
    try:
        if kind == "rename":
            return Rename(theme_key=str(data["theme_key"]), label=str(data["label"]))
        if kind == "merge":
            return Merge(
                theme_keys=tuple(str(k) for k in data["theme_keys"]), label=str(data["label"])
            )
        if kind == "split":
            return Split(
                theme_key=str(data["theme_key"]),
                concept_groups=tuple(tuple(str(c) for c in g) for g in data["concept_groups"]),
            )
    except (KeyError, TypeError) as error:
        raise ValueError(f"incomplete {kind} edit: {error}") from error
    raise ValueError(f"unknown edit kind: {kind!r}")
