"""Feeding the pure analytics engine from the impact tables (the only ORM side of analytics).

``frame_for_campaign`` reads a campaign's activities, respondents, rounds and pre/post responses
with a handful of ``values_list`` queries and builds the engine's ``AnalysisFrame``; withdrawn
respondents are left out. ``frame_for_respondents`` builds the same layout for a batch of
respondents only (what a fold needs). Frames are stored as ``.npz`` (no pickle) in the snapshot.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from django.db import connection

from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.core.rows import statement_cursor
from peaceworks.directory.geography import country as country_info
from peaceworks.impact.analytics import AnalysisFrame, build_frame
from peaceworks.impact.analytics.frame import Vocabulary
from peaceworks.impact.models import Indicator, Outcome, Question, Respondent, Response, Round

PAIR_KINDS = (Round.Kind.PRE, Round.Kind.POST)


@dataclass(frozen=True)
class IndicatorMap:
    """Which engine indicator (an item, or a scale named after the indicator) each outcome
    indicator of the framework reads."""

    items: tuple[str, ...]
    scales: Mapping[str, tuple[str, ...]]
    engine_name: Mapping[str, str]  # indicator code -> engine indicator
    #: items of a theme module -> that theme's code (``AnalysisFrame.item_themes``)
    item_themes: Mapping[str, str] = field(default_factory=dict)


def indicator_map(*, campaign: Campaign) -> IndicatorMap:
    # 1-5 items of the volunteers' pre/post surveys: partner-form questions (one form per
    # project, post only) have no pairs, so their indicators are "not measured" by these figures
    agreement = set(
        Question.objects.filter(
            instrument__framework__campaign=campaign, kind=Question.Kind.AGREEMENT
        )
        .exclude(block=Question.Block.PARTNER)
        .values_list("code", flat=True)
    )
    items: list[str] = []
    scales: dict[str, tuple[str, ...]] = {}
    names: dict[str, str] = {}
    item_themes: dict[str, str] = {}
    rows = (
        Indicator.objects.filter(framework__campaign=campaign, kind=Indicator.Kind.OUTCOME)
        .order_by("order", "code")
        .values_list("code", "source_questions", "outcome__block", "outcome__theme__code")
    )
    for code, sources, block, theme in rows:
        members = tuple(q for q in (sources or []) if q in agreement)
        for member in members:
            if member not in items:
                items.append(member)
            if block == Outcome.Block.THEME and theme:
                item_themes.setdefault(member, theme)
        if len(members) == 1:
            names[code] = members[0]
        elif len(members) > 1:
            scales[code] = members
            names[code] = code
    return IndicatorMap(
        items=tuple(items), scales=scales, engine_name=names, item_themes=item_themes
    )


def _duration(start: Any, end: Any) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).days) + 1


#: the campaign's primary key in the statement of ``_activity_rows_sql`` as it is built
_SOME_CAMPAIGN = 0


@cache
def _activity_rows_sql(vendor: str) -> str:
    """The statement of ``activity_rows`` (the campaign's primary key its one parameter): built
    by the ORM once per process, not on every request for a response rate (building the query
    cost more than running it). Its values come back as ``values_list`` gives them: the only
    columns converted there are dates, which both databases' cursors return as dates."""
    rows = Activity.objects.filter(campaign_id=_SOME_CAMPAIGN).values_list(
        "id",
        "activity_type",
        "start_date",
        "end_date",
        "country",
        "host_organisation__code",
        "international_volunteers",
        "local_volunteers",
        "themes__code",  # one row per theme x network: a handful per activity
        "host_organisation__affiliations__network__acronym",
        "host_organisation__affiliations__network__name",
    )
    sql, params = rows.query.sql_with_params()
    if list(params) != [_SOME_CAMPAIGN]:  # pragma: no cover -- a query of another shape
        raise RuntimeError(f"activity_rows: unexpected parameters {params!r}")
    return str(sql)


def activity_rows(*, campaign: Campaign) -> dict[int, dict[str, Any]]:
    """The activity dimensions of every activity of the campaign (one query).

    ``theme`` and ``network`` are lists (multi-valued dimensions): every theme of the activity
    and every network its host organisation belongs to. ``region`` is the hosting country's
    region, as ``country`` is the hosting country. ``volunteers_registered`` (international plus
    local volunteers) is the expected number of respondents of the response rate."""
    with statement_cursor() as cursor:
        cursor.execute(_activity_rows_sql(connection.vendor), [campaign.pk])
        rows = cursor.fetchall()
    activities: dict[int, dict[str, Any]] = {}
    for pk, kind, start, end, land, org, abroad, local, theme, acronym, name in rows:
        row = activities.get(pk)
        if row is None:
            info = country_info(land or "")
            row = activities[pk] = {
                "campaign": campaign.code,
                "theme": set(),
                "start_date": start,
                "duration_days": _duration(start, end),
                "region": info.region if info and info.region else None,
                "country": land,
                "organisation": org,
                "activity_type": kind,
                "network": set(),
                "volunteers_registered": (abroad or 0) + (local or 0),
            }
        if theme:
            row["theme"].add(theme)
        if acronym or name:
            row["network"].add(acronym or name)
    for row in activities.values():
        row["theme"], row["network"] = sorted(row["theme"]), sorted(row["network"])
    return activities


def _responses(respondent_filter: dict[str, Any]) -> Iterable[dict[str, Any]]:
    rows = (
        Response.objects.filter(round__kind__in=PAIR_KINDS, **respondent_filter)
        .values_list("round_id", "respondent_id", "answers", "then_answers", "submitted_at")
        .iterator(chunk_size=2000)
    )
    for round_id, respondent_id, answers, then_answers, submitted_at in rows:
        yield {
            "round": round_id,
            "respondent": respondent_id,
            "answers": answers,
            "then_answers": then_answers,
            "submitted_at": submitted_at,
        }


def _build(
    *,
    campaign: Campaign,
    mapping: IndicatorMap,
    respondent_filter: dict[str, Any],
    response_filter: dict[str, Any],
    vocabulary: Vocabulary | None,
) -> AnalysisFrame:
    activities = activity_rows(campaign=campaign)
    respondents = [
        {"id": pk, "activity": activity_id, "withdrawn_at": None}
        for pk, activity_id in Respondent.objects.filter(
            activity__campaign=campaign, withdrawn_at__isnull=True, **respondent_filter
        ).values_list("id", "activity_id")
    ]
    rounds = [
        {"id": pk, "activity": activity_id, "kind": kind, "uses_retrospective": retro}
        for pk, activity_id, kind, retro in Round.objects.filter(
            activity__campaign=campaign
        ).values_list("id", "activity_id", "kind", "uses_retrospective")
    ]
    responses = list(
        _responses({"respondent__withdrawn_at__isnull": True, **response_filter}),
    )
    return build_frame(
        activities=activities,
        respondents=respondents,
        rounds=rounds,
        responses=responses,
        items=mapping.items,
        scales=mapping.scales,
        vocabulary=vocabulary,
        item_themes=mapping.item_themes,
    )


def frame_for_campaign(*, campaign: Campaign, mapping: IndicatorMap) -> AnalysisFrame:
    """Every counted respondent of the campaign (full refresh)."""
    return _build(
        campaign=campaign,
        mapping=mapping,
        respondent_filter={},
        response_filter={"round__activity__campaign": campaign},
        vocabulary=None,
    )


def frame_for_respondents(
    *, campaign: Campaign, mapping: IndicatorMap, ids: Iterable[int], vocabulary: Vocabulary
) -> AnalysisFrame:
    """The current state of just these respondents, in the snapshot's vocabulary (a fold)."""
    wanted = sorted(set(ids))
    return _build(
        campaign=campaign,
        mapping=mapping,
        respondent_filter={"id__in": wanted},
        response_filter={"respondent_id__in": wanted},
        vocabulary=vocabulary,
    )


# Storage ------------------------------------------------------------------------------------


def frame_to_bytes(frame: AnalysisFrame) -> bytes:
    arrays: dict[str, Any] = {
        "respondent_ids": frame.respondent_ids,
        "fo_mask": frame.fo_mask,
        "baseline": frame.baseline,
        "post": frame.post,
        "retrospective": frame.retrospective,
        "attribution": frame.attribution,
    }
    for name, codes in frame.codes.items():
        arrays[f"code:{name}"] = codes
    for name, mask in frame.memberships.items():
        arrays[f"members:{name}"] = mask
    meta = {
        "item_themes": dict(frame.item_themes),
        "vocabulary": {name: list(labels) for name, labels in frame.vocabulary.items()},
        "items": list(frame.items),
        "scales": {code: list(members) for code, members in frame.scales.items()},
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return arrays_to_bytes(arrays)


def arrays_to_bytes(arrays: Mapping[str, Any]) -> bytes:
    """An ``.npz`` (what ``np.load`` reads) deflated at level 1: ``np.savez_compressed``'s level
    6 spends seconds on a 1M frame for a few percent of size (small-int columns compress well
    at any level)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as npz:
        for name, array in arrays.items():
            with npz.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def load_arrays(data: bytes) -> dict[str, Any]:
    """Every array of an ``.npz`` written by ``arrays_to_bytes``, by name (no pickle)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def frame_from_bytes(data: bytes) -> AnalysisFrame:
    stored = load_arrays(data)
    meta = json.loads(stored["meta"].tobytes().decode())
    codes = {key.split(":", 1)[1]: stored[key] for key in stored if key.startswith("code:")}
    return AnalysisFrame(
        respondent_ids=stored["respondent_ids"],
        codes=codes,
        vocabulary={name: tuple(labels) for name, labels in meta["vocabulary"].items()},
        fo_mask=stored["fo_mask"],
        items=tuple(meta["items"]),
        baseline=stored["baseline"],
        post=stored["post"],
        retrospective=stored["retrospective"],
        attribution=stored["attribution"],
        scales={code: tuple(members) for code, members in meta["scales"].items()},
        memberships={
            key.split(":", 1)[1]: stored[key] for key in stored if key.startswith("members:")
        },
        item_themes=meta.get("item_themes", {}),
    )
