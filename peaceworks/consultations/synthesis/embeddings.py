"""Optional semantic theme backend: sentence embeddings instead of the concept lexicon.

Off by default. An operator who installs a sentence-embedding model (and its library) points the
``CONSULTATIONS_EMBEDDING_MODEL`` setting at it; ``find_themes(..., embedder=...)`` then groups
contributions by their embeddings, and the lexicon only names the themes found (so labels, keys
and facilitator edits work as with the lexicon backend).

A backend is a loader registered by name: ``register_backend(name, loader)``, where
``loader(location)`` returns an :class:`Embedder`. The setting's value is either
``name:location`` for a registered backend, or a plain path, loaded by the
``sentence-transformers`` backend. That library is imported only here, only when the setting
names a model: nothing heavy is imported, and nothing is downloaded, otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SENTENCE_TRANSFORMERS = "sentence-transformers"


class Embedder(Protocol):
    """Turns texts into vectors of one fixed size, one row per text, in order."""

    #: what made the vectors, said on the synthesis page ("sentence-transformers:/srv/model")
    name: str

    def embed(self, texts: Sequence[str]) -> FloatArray: ...


class EmbeddingUnavailable(RuntimeError):
    """The configured backend cannot be loaded (library missing, model not found)."""


Loader = Callable[[str], Embedder]


class _SentenceTransformer:
    """A model of the ``sentence-transformers`` library, loaded from a local path on the CPU."""

    def __init__(self, location: str) -> None:
        try:
            # optional: the operator installs it with the model (no stubs, not a dependency)
            from sentence_transformers import (  # type: ignore[import-not-found]
                SentenceTransformer,
            )
        except ImportError as missing:
            raise EmbeddingUnavailable(
                "CONSULTATIONS_EMBEDDING_MODEL is set but the sentence-transformers library "
                "is not installed; install it with the model, or clear the setting."
            ) from missing
        try:
            self._model = SentenceTransformer(location, device="cpu")
        except (OSError, ValueError) as error:
            raise EmbeddingUnavailable(
                f"The sentence-embedding model at {location!r} cannot be loaded: {error}"
            ) from error
        self.name = f"{SENTENCE_TRANSFORMERS}:{location}"

    def embed(self, texts: Sequence[str]) -> FloatArray:
        vectors = self._model.encode(
            list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float64)


_LOADERS: dict[str, Loader] = {SENTENCE_TRANSFORMERS: _SentenceTransformer}
_LOADED: dict[str, Embedder] = {}


def register_backend(name: str, loader: Loader) -> None:
    """Make ``loader`` the backend called ``name`` (registering a name again replaces it)."""
    if not re.fullmatch(r"[a-z][a-z0-9_.-]*", name):
        raise ValueError(f"a backend name is lower-case letters, digits, '.', '_', '-': {name!r}")
    _LOADERS[name] = loader
    for spec in [s for s in _LOADED if s.startswith(f"{name}:")]:
        del _LOADED[spec]


def load_embedder(spec: str) -> Embedder | None:
    """The embedder ``spec`` names (None for an empty spec: the lexicon backend), loaded once
    per process. Raises :class:`EmbeddingUnavailable` when it cannot be loaded."""
    spec = spec.strip()
    if not spec:
        return None
    if spec not in _LOADED:
        name, _sep, location = spec.partition(":")
        if not (_sep and name in _LOADERS):  # a plain path (``C:\\`` included)
            name, location = SENTENCE_TRANSFORMERS, spec
        _LOADED[spec] = _LOADERS[name](location)
    return _LOADED[spec]


def unit_rows(vectors: npt.ArrayLike, count: int) -> FloatArray:
    """``vectors`` checked (``count`` rows of finite numbers) and scaled to unit length (a zero
    row stays zero)."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != count:
        raise ValueError(f"the embedder returned {matrix.shape} for {count} texts")
    if not np.isfinite(matrix).all():
        raise ValueError("the embedder returned a vector that is not finite")
    norms = np.linalg.norm(matrix, axis=1)
    scaled: FloatArray = matrix / np.where(norms > 0, norms, 1.0)[:, None]
    return scaled
