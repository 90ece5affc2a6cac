"""The adapter between the stored consultation and the synthesis engine
(``peaceworks.consultations.synthesis``): loads approved contributions and the vote matrix,
calls the engine, and turns its results into plain JSON the pages, the API, the exports and
the draft read.

Only approved contributions and approved statements reach the engine; an unseen statement is
``nan`` in the vote matrix, never a pass (0).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import import_module
from typing import Any

import numpy as np

from peaceworks.consultations.disclosure import protect_groups
from peaceworks.consultations.models import (
    LANGUAGE_CODES,
    Consultation,
    Contribution,
    Moderation,
    Participant,
    Statement,
    SynthesisRun,
    ThemeEdit,
    Vote,
)
from peaceworks.impact.analytics.suppression import PUBLISHED_MIN_N

Progress = Callable[[int], None]
MIN_VOTES = 3  # participants with fewer votes are set aside (the engine says the rule)
CONSENSUS_FOR_DRAFT = 0.4
LEXICON_BACKEND = "lexicon"


def _engine(name: str) -> Any:
    """A module of the synthesis engine, imported when first needed."""
    return import_module(f"peaceworks.consultations.synthesis.{name}")


def engine_available() -> bool:
    """Whether the synthesis engine is installed (the demo stores its inputs either way)."""
    try:
        _engine("groups")
        _engine("themes")
    except ImportError:
        return False
    return True


def detect_language(text: str) -> str | None:
    """The language code of ``text`` among the product's languages (None when unsure)."""
    found = None
    with contextlib.suppress(ImportError):
        found = _engine("language").detect_language(text)
    if not found:  # the engine declines short texts; a best guess still helps the themes
        import py3langid

        found, _score = py3langid.classify(text)
    found = str(found or "")[:2]
    return found if found in LANGUAGE_CODES else None


# --- the vote matrix and opinion groups ------------------------------------------------------


def participant_label(participant: Participant) -> str:
    return participant.external_id or f"P{participant.pk}"


def statement_label(statement: Statement) -> str:
    return statement.external_id or str(statement.pk)


def vote_matrix(
    consultation: Consultation,
) -> tuple[np.ndarray, list[Participant], list[Statement]]:
    """Participants x approved statements: 1 agree, -1 disagree, 0 pass, nan unseen."""
    statements = list(consultation.statements.filter(moderation=Moderation.APPROVED).order_by("pk"))
    participants = list(consultation.participants.order_by("pk"))
    row = {p.pk: i for i, p in enumerate(participants)}
    column = {s.pk: j for j, s in enumerate(statements)}
    matrix = np.full((len(participants), len(statements)), np.nan, dtype=float)
    votes = Vote.objects.filter(statement_id__in=column).values_list(
        "participant_id", "statement_id", "value"
    )
    for participant_id, statement_id, value in votes:
        if participant_id in row:
            matrix[row[participant_id], column[statement_id]] = float(value)
    return matrix, participants, statements


def _first(obj: Any, names: Sequence[str], default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(item) for item in value.tolist()]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def run_groups(consultation: Consultation, *, seed: int, progress: Progress) -> dict[str, Any]:
    matrix, participants, statements = vote_matrix(consultation)
    progress(20)
    by_id = {str(p.pk): p for p in participants}
    text_of = {str(s.pk): s.text for s in statements}
    label_of = {str(s.pk): statement_label(s) for s in statements}
    outcome = _engine("groups").opinion_groups(
        matrix,
        participant_ids=[str(p.pk) for p in participants],
        statement_ids=[str(s.pk) for s in statements],
        seed=seed,
        min_votes=MIN_VOTES,
    )
    progress(80)
    ids = [str(pid) for pid in outcome.participant_ids]
    coordinates = _plain(outcome.coordinates)
    labels = [int(label) for label in _plain(outcome.labels)]
    points = [
        {
            "participant": pid,
            "label": participant_label(by_id[pid]) if pid in by_id else pid,
            "x": float(coordinates[i][0]),
            "y": float(coordinates[i][1]),
            "group": labels[i],
        }
        for i, pid in enumerate(ids)
    ]
    groups = []
    for index, summary in enumerate(outcome.groups):
        representatives = _first(
            summary, ("representatives", "representative_statements", "statements"), []
        )
        groups.append(
            {
                "group": int(_first(summary, ("group", "label", "index", "id"), index)),
                "size": int(_first(summary, ("size", "n", "count"), 0) or 0),
                "representatives": [
                    {
                        "statement": str(_first(rep, ("statement_id", "statement", "id"), "")),
                        "agree_rate": _plain(
                            _first(rep, ("agree_in_group", "agree_rate", "in_group"))
                        ),
                        "direction": str(_first(rep, ("direction",), "agree")),
                        "votes": int(_first(rep, ("votes_in_group", "votes"), 0) or 0),
                        "text": text_of.get(
                            str(_first(rep, ("statement_id", "statement", "id"), "")), ""
                        ),
                    }
                    for rep in representatives
                ],
            }
        )
    stats = []
    for stat in outcome.statements:
        sid = str(_first(stat, ("statement_id", "statement", "id"), ""))
        stats.append(
            {
                "statement": sid,
                "label": label_of.get(sid, sid),
                "text": text_of.get(sid, ""),
                "agree": int(_first(stat, ("agree", "agrees"), 0)),
                "disagree": int(_first(stat, ("disagree", "disagrees"), 0)),
                "pass": int(_first(stat, ("passes", "pass_", "passed", "pass"), 0)),
                "seen": int(_first(stat, ("seen",), 0)),
                "consensus": float(_first(stat, ("consensus",), 0.0)),
                "division": float(_first(stat, ("division",), 0.0)),
            }
        )
    set_aside = [str(pid) for pid in _plain(outcome.set_aside)]
    return {
        "k": int(outcome.k),
        "silhouette": _plain(outcome.silhouette),
        "min_votes": MIN_VOTES,
        "points": points,
        "set_aside": [participant_label(by_id[p]) if p in by_id else p for p in set_aside],
        "groups": groups,
        "statements": stats,
        "engine": json.loads(outcome.to_json()),
    }


# --- themes ---------------------------------------------------------------------------------


def theme_edits(consultation: Consultation) -> list[Any]:
    themes = _engine("themes")
    edits: list[Any] = []
    for edit in consultation.theme_edits.order_by("created_at", "pk"):
        if edit.kind == ThemeEdit.Kind.RENAME:
            edits.append(themes.Rename(edit.theme_keys[0], edit.label))
        elif edit.kind == ThemeEdit.Kind.MERGE:
            edits.append(themes.Merge(tuple(edit.theme_keys), edit.label))
        else:
            edits.append(
                themes.Split(edit.theme_keys[0], tuple(tuple(g) for g in edit.concept_groups))
            )
    return edits


def theme_inputs(consultation: Consultation) -> list[Contribution]:
    return list(
        Contribution.objects.filter(
            prompt__consultation=consultation, moderation=Moderation.APPROVED
        ).order_by("pk")
    )


def run_themes(consultation: Consultation, *, seed: int, progress: Progress) -> dict[str, Any]:
    themes = _engine("themes")
    contributions = theme_inputs(consultation)
    texts = [themes.Text(str(c.pk), c.text, c.language or "en") for c in contributions]
    extra = [(t.concept, t.language, t.term) for t in consultation.concept_terms.all()]
    lexicon = themes.load_lexicon(extra)
    embedder = semantic_backend()
    progress(15)
    result = themes.find_themes(texts, lexicon=lexicon, seed=seed, embedder=embedder)
    progress(75)
    edits = theme_edits(consultation)
    if edits:
        result = themes.apply_edits(result, edits)
    progress(90)
    out = theme_json(result, contributions)
    out["backend"] = embedder.name if embedder is not None else LEXICON_BACKEND
    return out


def semantic_backend() -> Any:
    """The sentence-embedding backend the operator configured (``CONSULTATIONS_EMBEDDING_MODEL``),
    or None: the concept lexicon. Nothing is imported for it unless the setting is set."""
    from django.conf import settings

    spec = str(getattr(settings, "CONSULTATIONS_EMBEDDING_MODEL", "") or "")
    if not spec.strip():
        return None
    return _engine("embeddings").load_embedder(spec)


def theme_json(result: Any, contributions: Iterable[Contribution]) -> dict[str, Any]:
    by_id = {str(c.pk): c for c in contributions}
    out_themes = []
    for theme in result.themes:
        members = [
            {"id": str(_first(m, ("id", "text_id"), m[0] if isinstance(m, tuple | list) else ""))}
            for m in theme.members
        ]
        representatives = {
            str(lang): [str(i) for i in ids if str(i) in by_id]
            for lang, ids in dict(theme.representatives).items()
        }
        if callable(getattr(theme, "label", None)):  # the facilitator's label wins
            labels = {code: str(theme.label(code)) for code in LANGUAGE_CODES}
        else:
            labels = {str(k): str(v) for k, v in dict(theme.labels).items()}
        concept_keys = [str(c[0] if isinstance(c, tuple | list) else c) for c in theme.concepts]
        names: Mapping[str, Mapping[str, str]] = getattr(result, "concept_labels", {}) or {}
        concept_names = {
            code: [str((names.get(key) or {}).get(code) or key) for key in concept_keys]
            for code in LANGUAGE_CODES
        }
        out_themes.append(
            {
                "concept_names": concept_names,
                "key": str(theme.key),
                "concepts": [
                    str(c[0] if isinstance(c, tuple | list) else c) for c in theme.concepts
                ],
                "labels": labels,
                "size": len(members),
                "members": [m["id"] for m in members],
                "representatives": representatives,
            }
        )
    duplicates = []
    for pair in result.near_duplicates:
        a = str(_first(pair, ("id_a",), pair[0] if isinstance(pair, tuple | list) else ""))
        b = str(_first(pair, ("id_b",), pair[1] if isinstance(pair, tuple | list) else ""))
        similarity = _first(pair, ("similarity",), pair[2] if isinstance(pair, tuple | list) else 0)
        duplicates.append({"a": a, "b": b, "similarity": float(similarity)})
    return {"themes": out_themes, "near_duplicates": duplicates}


def concept_names(theme: Mapping[str, Any], language: str) -> list[str]:
    """The theme's concepts named in ``language`` (their keys where no name is known)."""
    names: Mapping[str, list[str]] = theme.get("concept_names") or {}
    return list(names.get(language[:2]) or names.get("en") or theme.get("concepts", []))


def theme_label(theme: Mapping[str, Any], language: str) -> str:
    labels: Mapping[str, str] = theme.get("labels") or {}
    for code in (language[:2], "en", *labels):
        if labels.get(code):
            return str(labels[code])
    return ", ".join(theme.get("concepts", [])[:3]) or str(theme.get("key", ""))


# --- the draft ------------------------------------------------------------------------------


def _latest_result(consultation: Consultation, kind: str) -> dict[str, Any] | None:
    run = (
        consultation.synthesis_runs.filter(kind=kind, state=SynthesisRun.State.DONE)
        .order_by("-pk")
        .first()
    )
    return run.result if run is not None and isinstance(run.result, dict) else None


def _group_lines(groups: Mapping[str, Any]) -> list[str]:
    """The opinion groups as a published document may show them: sizes under the published
    floor read "fewer than N", with complementary suppression (``disclosure``)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    protected = protect_groups(groups, floor=PUBLISHED_MIN_N)
    if not protected["groups"]:
        return []
    lines = ["## " + _("Opinion groups"), ""]
    for group in protected["groups"]:
        number = group["group"] + 1
        if group["suppressed"]:
            lines.append(
                _("- Group %(number)d: fewer than %(floor)d participants")
                % {"number": number, "floor": PUBLISHED_MIN_N}
            )
        else:
            lines.append(
                ngettext(
                    "- Group %(number)d: %(size)d participant",
                    "- Group %(number)d: %(size)d participants",
                    group["size"],
                )
                % {"number": number, "size": group["size"]}
            )
    return [*lines, ""]


def draft_markdown(consultation: Consultation, *, language: str = "en") -> str:
    """A structured draft: one section per theme with quotes from authors who consented,
    then the statements most groups agreed on. Only approved contributions are quoted."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(language):
        lines = [f"# {consultation.title}", ""]
        if consultation.description:
            lines += [consultation.description, ""]
        themes = _latest_result(consultation, SynthesisRun.Kind.THEMES)
        quotable = {
            str(c.pk): c
            for c in Contribution.objects.filter(
                prompt__consultation=consultation,
                moderation=Moderation.APPROVED,
                quote_consent=True,
            )
        }
        if themes:
            lines += ["## " + _("What contributions said"), ""]
            for theme in themes.get("themes", []):
                lines += [f"### {theme_label(theme, language)}", ""]
                concepts = ", ".join(concept_names(theme, language)[:6])
                lines.append(
                    _("%(count)d contributions. Main concepts: %(concepts)s.")
                    % {"count": theme.get("size", 0), "concepts": concepts}
                )
                lines.append("")
                shown = 0
                for ids in theme.get("representatives", {}).values():
                    for cid in ids:
                        contribution = quotable.get(str(cid))
                        if contribution is None or shown >= 3:
                            continue
                        quote = " ".join(contribution.text.split())
                        lines += [f"> {quote}", ""]
                        shown += 1
        groups = _latest_result(consultation, SynthesisRun.Kind.GROUPS)
        if groups:
            approved = set(
                consultation.statements.filter(moderation=Moderation.APPROVED).values_list(
                    "pk", flat=True
                )
            )
            common = sorted(
                (
                    s
                    for s in groups.get("statements", [])
                    if s.get("consensus", 0) >= CONSENSUS_FOR_DRAFT
                    and s.get("statement", "").isdigit()
                    and int(s["statement"]) in approved
                ),
                key=lambda s: -float(s["consensus"]),
            )[:10]
            lines += _group_lines(groups)
            lines += ["## " + _("Where participants agree"), ""]
            if common:
                for stat in common:
                    lines.append(
                        _("- %(text)s (consensus %(consensus)s)")
                        % {"text": stat["text"], "consensus": f"{stat['consensus']:.2f}"}
                    )
            else:
                lines.append(_("No statement reached a broad consensus."))
            lines.append("")
        if not themes and not groups:
            lines += [_("Run the synthesis to fill this draft."), ""]
    return "\n".join(lines).rstrip() + "\n"
