"""The optional semantic theme backend: off by default (nothing loaded), a backend registered
through ``embeddings.register_backend`` and named by ``CONSULTATIONS_EMBEDDING_MODEL`` groups
contributions by its vectors instead of the concept lexicon, which still names the themes.
Tests use a small fake backend, never a real model."""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from peaceworks.consultations import analysis, services
from peaceworks.consultations.models import SynthesisRun
from peaceworks.consultations.synthesis import embeddings
from peaceworks.consultations.synthesis.themes import Text, find_themes, load_lexicon

pytestmark = pytest.mark.django_db

#: the same words for every text (the lexicon sees one topic); the marker, under three letters,
#: is dropped by the lexicon but read by the fake embedder
TEXT = "Peace needs housing for every family in the town, {marker}."


class MarkerEmbedder:
    """Vectors by a marker in the text: "A1" on one axis, "B2" on another (with a small
    deterministic wobble so no two vectors are equal)."""

    def __init__(self, location: str) -> None:
        self.name = f"fake:{location}"
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        rows = []
        for index, text in enumerate(texts):
            axis = 0 if "A1" in text else 1
            row = np.full(3, 0.01 * (index % 5))
            row[axis] = 1.0
            rows.append(row)
        return np.asarray(rows)


@pytest.fixture
def fake_backend():
    embeddings.register_backend("fake", MarkerEmbedder)
    yield
    embeddings._LOADERS.pop("fake", None)


def _texts() -> list[Text]:
    return [Text(f"{i:02d}", TEXT.format(marker="A1" if i % 2 else "B2"), "en") for i in range(20)]


def test_the_embedder_groups_what_the_lexicon_cannot_tell_apart(fake_backend):
    lexicon = load_lexicon()
    plain = find_themes(_texts(), lexicon=lexicon, seed=0)
    assert len(plain.themes) == 1
    semantic = find_themes(
        _texts(), lexicon=lexicon, seed=0, embedder=embeddings.load_embedder("fake:markers")
    )
    assert len(semantic.themes) == 2
    groups = sorted(sorted(member for member, _ in t.members) for t in semantic.themes)
    assert groups == [[f"{i:02d}" for i in range(0, 20, 2)], [f"{i:02d}" for i in range(1, 20, 2)]]
    for theme in semantic.themes:  # the lexicon still names them
        assert "housing" in theme.key
        assert "Housing" in theme.label("en")
    again = find_themes(
        _texts(), lexicon=lexicon, seed=0, embedder=embeddings.load_embedder("fake:markers")
    )
    assert again.to_json() == semantic.to_json()


def test_the_setting_switches_the_synthesis_to_the_backend(
    make_consultation,
    org_member,
    network_coordinator,
    settings,
    fake_backend,
    django_capture_on_commit_callbacks,
):
    consultation = make_consultation()
    prompt = consultation.prompts.get()
    for text in _texts():
        contribution = services.contribution_submit(actor=org_member, prompt=prompt, text=text.text)
        services.contribution_moderate(
            actor=network_coordinator, contribution=contribution, state="approved"
        )

    def run() -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            services.synthesis_request(
                actor=network_coordinator, consultation=consultation, kind="themes"
            )
        latest = consultation.synthesis_runs.order_by("-pk").first()
        assert latest.state == SynthesisRun.State.DONE, latest.error
        return latest.result

    settings.CONSULTATIONS_EMBEDDING_MODEL = ""
    lexicon = run()
    assert lexicon["backend"] == "lexicon"
    assert len(lexicon["themes"]) == 1
    settings.CONSULTATIONS_EMBEDDING_MODEL = "fake:markers"
    semantic = run()
    assert semantic["backend"] == "fake:markers"
    assert len(semantic["themes"]) == 2


def test_nothing_is_loaded_while_the_setting_is_empty(settings, monkeypatch):
    called: list[str] = []
    monkeypatch.setitem(embeddings._LOADERS, "sentence-transformers", called.append)
    settings.CONSULTATIONS_EMBEDDING_MODEL = "  "
    assert analysis.semantic_backend() is None
    assert called == []
    assert "sentence_transformers" not in sys.modules


def test_a_plain_path_loads_a_sentence_transformers_model_lazily(settings, monkeypatch):
    loaded: list[tuple[str, str]] = []

    class SentenceTransformer:
        def __init__(self, location: str, device: str) -> None:
            loaded.append((location, device))

        def encode(self, texts: list[str], **options: object) -> np.ndarray:
            return np.ones((len(texts), 4))

    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = SentenceTransformer
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.setattr(embeddings, "_LOADED", {})
    settings.CONSULTATIONS_EMBEDDING_MODEL = "/srv/models/multilingual-minilm"
    embedder = analysis.semantic_backend()
    assert loaded == [("/srv/models/multilingual-minilm", "cpu")]
    assert embedder.name == "sentence-transformers:/srv/models/multilingual-minilm"
    assert embedder.embed(["a", "b"]).shape == (2, 4)
    assert analysis.semantic_backend() is embedder  # loaded once per process


def test_a_missing_library_fails_the_run_with_the_reason(
    make_consultation,
    network_coordinator,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    monkeypatch.setattr(embeddings, "_LOADED", {})
    settings.CONSULTATIONS_EMBEDDING_MODEL = "/srv/models/absent"
    consultation = make_consultation()
    with django_capture_on_commit_callbacks(execute=True):
        services.synthesis_request(
            actor=network_coordinator, consultation=consultation, kind="themes"
        )
    run = consultation.synthesis_runs.get()
    assert run.state == SynthesisRun.State.FAILED
    assert "sentence-transformers library is not installed" in run.error


def test_backend_names_are_checked():
    with pytest.raises(ValueError, match="backend name"):
        embeddings.register_backend("Not A Name", MarkerEmbedder)
