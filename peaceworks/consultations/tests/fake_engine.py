"""A small stand-in for the synthesis engine, installed by the tests only while the real
``peaceworks.consultations.synthesis`` package is not there. It follows the engine's
interface, not its method: groups split participants by their vote on the first statement,
themes by keyword."""

from __future__ import annotations

import functools
import json
import operator
import sys
import types
from dataclasses import asdict, dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import numpy as np


@dataclass
class StatementStat:
    statement_id: str
    agree: int
    disagree: int
    passes: int
    seen: int
    consensus: float
    division: float


@dataclass
class GroupSummary:
    group: int
    size: int
    representatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OpinionGroups:
    participant_ids: list[str]
    set_aside: list[str]
    coordinates: list[list[float]]
    labels: list[int]
    k: int
    silhouette: float
    groups: list[GroupSummary]
    statements: list[StatementStat]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()


def opinion_groups(votes, *, participant_ids, statement_ids, seed=0, min_votes=3):
    seen = ~np.isnan(votes)
    keep = seen.sum(axis=1) >= min_votes
    kept = votes[keep]
    ids = [p for p, k in zip(participant_ids, keep, strict=True) if k]
    aside = [p for p, k in zip(participant_ids, keep, strict=True) if not k]
    first = np.nan_to_num(kept[:, 0]) if kept.size else np.zeros(0)
    labels = [0 if v >= 0 else 1 for v in first]
    coords = [
        [float(np.nanmean(row)) if np.any(~np.isnan(row)) else 0.0, float(i % 7)]
        for i, row in enumerate(kept)
    ]
    stats = []
    for j, sid in enumerate(statement_ids):
        column = votes[:, j]
        agree = int(np.sum(column == 1))
        disagree = int(np.sum(column == -1))
        passes = int(np.sum(column == 0))
        consensus = 1.0
        for g in (0, 1):
            rows = kept[[i for i, lab in enumerate(labels) if lab == g]] if kept.size else kept
            col = rows[:, j] if rows.size else np.zeros(0)
            consensus *= (np.sum(col == 1) + 1) / (np.sum(~np.isnan(col)) + 2)
        stats.append(
            StatementStat(
                str(sid),
                agree,
                disagree,
                passes,
                int(np.sum(~np.isnan(column))),
                float(consensus),
                float(disagree / max(1, agree + disagree)),
            )
        )
    groups = [GroupSummary(g, labels.count(g)) for g in (0, 1) if labels.count(g)]
    return OpinionGroups(ids, aside, coords, labels, len(groups), 0.5, groups, stats)


@dataclass(frozen=True)
class Text:
    id: str
    text: str
    language: str


@dataclass
class Theme:
    key: str
    concepts: list[str]
    labels: dict[str, str]
    members: list[tuple[str, float]]
    representatives: dict[str, list[str]]


@dataclass
class ThemeResult:
    themes: list[Theme]
    near_duplicates: list[tuple[str, str, float]]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()


@dataclass(frozen=True)
class Rename:
    theme_key: str
    label: str


@dataclass(frozen=True)
class Merge:
    theme_keys: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Split:
    theme_key: str
    concept_groups: tuple[tuple[str, ...], ...]


TOPICS = {
    "housing": ("housing", "logement", "vivienda"),
    "peace": ("peace", "paix", "paz"),
    "volunteering": ("volunteer", "bénévol", "voluntari"),
}


def load_lexicon(extra=()):
    return list(extra)


def find_themes(texts, *, lexicon, seed=0, n_themes=None):
    themes = []
    for key, words in TOPICS.items():
        members = [t for t in texts if any(w in t.text.lower() for w in words)]
        if not members:
            continue
        reps: dict[str, list[str]] = {}
        for t in members:
            reps.setdefault(t.language, []).append(t.id)
        themes.append(
            Theme(
                key,
                [key],
                {"en": key.title(), "fr": key.title(), "es": key.title()},
                [(t.id, 1.0) for t in members],
                reps,
            )
        )
    return ThemeResult(themes, [])


def apply_edits(result, edits):
    themes = list(result.themes)
    for edit in edits:
        if isinstance(edit, Rename):
            for t in themes:
                if t.key == edit.theme_key:
                    t.labels = dict.fromkeys(t.labels, edit.label)
        elif isinstance(edit, Merge):
            chosen = [t for t in themes if t.key in edit.theme_keys]
            if len(chosen) < 2:
                continue
            merged = Theme(
                "+".join(t.key for t in chosen),
                functools.reduce(operator.iadd, (t.concepts for t in chosen), []),
                {"en": edit.label, "fr": edit.label, "es": edit.label},
                functools.reduce(operator.iadd, (t.members for t in chosen), []),
                {},
            )
            for t in chosen:
                for lang, ids in t.representatives.items():
                    merged.representatives.setdefault(lang, []).extend(ids)
            themes = [t for t in themes if t not in chosen] + [merged]
    return ThemeResult(themes, result.near_duplicates)


def detect_language(text):
    lowered = f" {text.lower()} "
    if any(w in lowered for w in (" el ", " la ", " los ", " por ", " que ", " es ", "paz")):
        return "es"
    if any(w in lowered for w in (" le ", " les ", " des ", " est ", " une ", "paix")):
        return "fr"
    return "en"


def install() -> bool:
    """Put the stand-in in place unless the real engine imports; True when installed."""
    try:
        import_module("peaceworks.consultations.synthesis.groups")
        import_module("peaceworks.consultations.synthesis.themes")
        # the engine imports scikit-learn and SciPy where it fits (not on import): found, not
        # imported here, so that collecting the tests does not pay a second for them
        if find_spec("sklearn") is not None and find_spec("scipy") is not None:
            return False
    except ImportError:
        pass
    package = types.ModuleType("peaceworks.consultations.synthesis")
    package.__path__ = []
    this = sys.modules[__name__]
    modules = {
        "groups": ("opinion_groups",),
        "themes": (
            "Text",
            "load_lexicon",
            "find_themes",
            "Rename",
            "Merge",
            "Split",
            "apply_edits",
        ),
    }
    sys.modules["peaceworks.consultations.synthesis"] = package
    for name, names in modules.items():
        module = types.ModuleType(f"peaceworks.consultations.synthesis.{name}")
        for attr in names:
            setattr(module, attr, getattr(this, attr))
        sys.modules[module.__name__] = module
        setattr(package, name, module)
    return True
