"""The raw-data export: every answer the figures use (the retrospective "then" answers
included), pseudonymous and without free text nor recorded answers (GPS, barcodes, media;
:func:`recorded_codes`), streamed as CSV, with the activities it groups
by and a data dictionary (a Frictionless data package), so a published figure can be
recomputed from the export alone (``peaceworks/impact/tests/test_recompute.py``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, tzinfo
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Func, TextField
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from peaceworks.accounts.access import Actor, viewer_for
from peaceworks.campaigns.models import Activity, Campaign
from peaceworks.core.errors import NotFound
from peaceworks.core.exports import CsvLines
from peaceworks.impact.analytics.frame import (
    DEMOGRAPHIC_CODES,
    MULTI_VALUED_DIMENSIONS,
    duration_band,
)
from peaceworks.impact.figures.load import activity_rows, indicator_map
from peaceworks.impact.models import (
    Question,
    Response,
    Round,
    pick_text,
)

# Raw data -----------------------------------------------------------------------------------


def export_org_scope(*, user: Actor) -> frozenset[int] | None:
    """Organisations whose raw responses the user may export: None = all (network staff).
    Analysts work with aggregates only; stakeholders and outsiders get nothing."""
    viewer = viewer_for(user)
    if viewer.is_network_staff:
        return None
    if viewer.is_analyst or not viewer.readable_org_ids:
        raise NotFound
    return viewer.readable_org_ids


EXPORT_HEADERS = (
    "respondent",
    "activity",
    "organisation",
    "round",
    "submitted_at",
    "language",
    "part",
    "question",
    "answer",
)
#: ``part`` of an answer line: the survey's answer, or the retrospective "then" answer given
#: with the post survey ("think back to before the project"): the baseline of an item that has
#: no pre answer.
PART_ANSWER = "answer"
PART_THEN = "then"
#: responses fetched per database round trip (a server-side cursor on PostgreSQL)
EXPORT_FETCH = 2_000
#: answer lines per chunk of the streamed export
EXPORT_CHUNK_LINES = 20_000
#: formatted pieces (and sorted question sets) remembered at most; each memo starts again past it
EXPORT_MEMO = 10_000


def export_csv(*, campaign: Campaign | None, org_ids: frozenset[int] | None) -> Iterator[bytes]:
    """Pseudonymised responses as CSV chunks, one line per answer: a per-export sequential
    respondent number, never the code, its hash or the database id; free-text answers
    (``*_text``) left out. The text is what ``core.exports.csv_bytes`` writes for the same rows,
    headers first; memory stays bounded whatever the number of responses."""
    responses = Response.objects.filter(
        respondent__isnull=False, respondent__withdrawn_at__isnull=True
    )
    if campaign is not None:
        responses = responses.filter(round__activity__campaign=campaign)
    if org_ids is not None:
        responses = responses.filter(round__activity__host_organisation_id__in=org_ids)
    submitted, then = "submitted_at", "then_answers"
    if connection.vendor == "sqlite":
        # the stored text, without the driver's datetime converter: ``_Stamps`` writes it;
        # no "then" answers (most responses) as NULL, not a string to make and compare
        responses = responses.annotate(
            submitted_text=_StoredText("submitted_at"), then_text=_NotEmpty("then_answers")
        )
        submitted, then = "submitted_text", "then_text"
    rows = responses.order_by("respondent_id", "submitted_at").values_list(
        "respondent_id",
        "round_id",
        submitted,
        "language",
        "answers",
        then,
    )
    rounds = {
        pk: (activity, organisation, kind)
        for pk, activity, organisation, kind in Round.objects.values_list(
            "pk", "activity__code", "activity__host_organisation__code", "kind"
        )
    }
    return _long_csv(_raw_rows(rows), rounds=rounds, left_out=recorded_codes())


class _StoredText(Func):
    """A column's stored text on SQLite (``|| ''`` hides its declared type from the driver)."""

    template = "(%(expressions)s || '')"
    output_field = TextField()


class _NotEmpty(Func):
    """Stored JSON text on SQLite, NULL for the empty object (``then_answers``' default)."""

    template = "NULLIF(%(expressions)s, '{}')"
    output_field = TextField()


def recorded_codes() -> frozenset[str]:
    """The answers the raw export leaves out besides free text (``*_text``): those of
    recorded-but-not-analysed questions (GPS points, barcodes, media file names, hidden and
    calculated values from ODK Collect), of text questions imported from an XLSForm (names,
    comments) and the texts given with an "other" choice (``<code>_other``): they can
    identify people and no figure uses them. A code some instrument analyses (or a
    demographic dimension) is kept: the figures are recomputed from the export."""
    left_out, analysed = set(), set(DEMOGRAPHIC_CODES)
    for code, kind, xlsform in Question.objects.values_list("code", "kind", "xlsform"):
        row = (xlsform or {}).get("row") or {}
        if kind == Question.Kind.RECORDED or (kind == Question.Kind.TEXT and row):
            left_out.add(code)
        else:
            analysed.add(code)
        kinds = str(row.get("type", "")).split()
        if len(kinds) > 2 and kinds[-1] == "or_other":
            left_out.add(f"{code}_other")
    return frozenset(left_out - analysed)


def _export_activities(*, campaign: Campaign | None, org_ids: frozenset[int] | None) -> Any:
    activities = Activity.objects.all()
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
    if org_ids is not None:
        activities = activities.filter(host_organisation_id__in=org_ids)
    return activities


ACTIVITY_HEADERS = (
    "activity",
    "campaign",
    "organisation",
    "activity_type",
    "start_date",
    "end_date",
    "year",
    "duration_band",
    "country",
    "region",
    "themes",
    "networks",
    "volunteers_registered",
)


def export_activities_csv(
    *, campaign: Campaign | None, org_ids: frozenset[int] | None
) -> Iterator[bytes]:
    """The activities of the export (same scope) with the dimensions the figures group by:
    one line per activity, themes and networks ``;``-joined (multi-valued dimensions)."""
    rows = _export_activities(campaign=campaign, org_ids=org_ids)
    campaigns = {c.pk: c for c in Campaign.objects.filter(pk__in=rows.values("campaign_id"))}
    csv = CsvLines()
    yield ("\ufeff" + csv.line(ACTIVITY_HEADERS)).encode("utf-8")
    for found in campaigns.values():
        dims = activity_rows(campaign=found)
        lines = []
        for activity in (
            rows.filter(campaign=found).select_related("host_organisation").order_by("code")
        ):
            row = dims[activity.pk]
            start = activity.start_date
            lines.append(
                csv.line(
                    [
                        activity.code,
                        found.code,
                        activity.host_organisation.code,
                        activity.activity_type,
                        start.isoformat() if start else "",
                        activity.end_date.isoformat() if activity.end_date else "",
                        str(start.year) if start else "",
                        duration_band(row["duration_days"]) or "",
                        row["country"] or "",
                        row["region"] or "",
                        ";".join(row["theme"]),
                        ";".join(row["network"]),
                        activity.international_volunteers + activity.local_volunteers,
                    ]
                )
            )
        yield "".join(lines).encode("utf-8")


def export_descriptor(
    *, campaign: Campaign | None, org_ids: frozenset[int] | None, urls: Mapping[str, str]
) -> dict[str, Any]:
    """The export's data dictionary: a Frictionless Data Package (tabular) describing the
    responses and activities CSVs, every question's code, kind and answer codes with their
    labels, and which items each outcome indicator reads (docs/statistics.md: the formulas)."""
    questions: dict[str, dict[str, Any]] = {}
    found = Question.objects.order_by("-instrument_id", "order")
    if campaign is not None:
        found = found.filter(instrument__framework__campaign=campaign)
    for question in found.select_related("theme"):
        if question.code in questions or question.kind in {
            Question.Kind.TEXT,
            Question.Kind.RECORDED,
        }:
            continue  # left out of the export (free text, recorded answers)
        questions[question.code] = {
            "code": question.code,
            "kind": question.kind,
            "block": question.block,
            "theme": question.theme.code if question.theme else None,
            "text": pick_text(question.text),
            "in_retrospective": question.in_retrospective,
            "choices": [
                {"value": str(option["value"]), "label": pick_text(option.get("label"))}
                for option in question.choices or []
            ],
        }
    indicators = []
    campaigns = [campaign] if campaign is not None else list(Campaign.objects.order_by("code"))
    for each in campaigns:
        mapping = indicator_map(campaign=each)
        for code, name in mapping.engine_name.items():
            items = mapping.scales.get(name, (name,))
            indicators.append(
                {
                    "campaign": each.code,
                    "code": code,
                    "items": list(items),
                    "scale": name in mapping.scales,
                    "theme": mapping.item_themes.get(items[0]),
                }
            )
    return {
        "profile": "tabular-data-package",
        "name": "peaceworks-responses",
        "title": _("Survey responses (pseudonymised)"),
        "description": _(
            "Every answer the published figures use, one line per answer, free text left out. "
            "The respondent key is a number given per export (never the matching code). "
            "A 'then' line is the retrospective answer ('think back to before the project') given "
            "with the post survey: an item's baseline when the respondent has no pre answer. "
            "Formulas: the statistics page."
        ),
        "respondentKey": "respondent",
        "multiValuedDimensions": sorted(MULTI_VALUED_DIMENSIONS),
        "resources": [
            {
                "name": "responses",
                "path": urls["responses"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": _fields(RESPONSE_FIELDS),
                    "foreignKeys": [
                        {
                            "fields": "activity",
                            "reference": {"resource": "activities", "fields": "activity"},
                        }
                    ],
                },
            },
            {
                "name": "activities",
                "path": urls["activities"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": _fields(ACTIVITY_FIELDS), "primaryKey": "activity"},
            },
        ],
        "questions": list(questions.values()),
        "indicators": indicators,
        "statistics": urls.get("statistics", ""),
    }


def _fields(specs: Sequence[tuple[str, str, str, Sequence[str] | None]]) -> list[dict[str, Any]]:
    out = []
    for name, kind, description, enum in specs:
        field_: dict[str, Any] = {"name": name, "type": kind, "description": description}
        if enum:
            field_["constraints"] = {"enum": list(enum)}
        out.append(field_)
    return out


RESPONSE_FIELDS: tuple[tuple[str, str, str, Sequence[str] | None], ...] = (
    (
        "respondent",
        "string",
        "Respondent key of this export (R + 7 digits): pairs a person's "
        "pre and post answers; not stable across exports, never the matching code.",
        None,
    ),
    ("activity", "string", "Activity code (see the activities resource).", None),
    ("organisation", "string", "Code of the activity's host organisation.", None),
    (
        "round",
        "string",
        "Survey round: pre (before), post (last day), follow_up, partner.",
        [k.value for k in Round.Kind],
    ),
    (
        "submitted_at",
        "datetime",
        "When the response was received (ISO 8601); when a respondent "
        "answered a round twice, the figures use the latest.",
        None,
    ),
    ("language", "string", "Language the survey was answered in.", None),
    (
        "part",
        "string",
        "'answer': the round's answer; 'then': the retrospective answer about "
        "before the project, given with the post survey.",
        (PART_ANSWER, PART_THEN),
    ),
    (
        "question",
        "string",
        "Question code (see 'questions' of this descriptor); an answer given in an "
        "instance of an XLSForm repeat is named as ODK names it: 'visit[2]/visit_date' is "
        "the question visit_date in the second instance of the repeat visit.",
        None,
    ),
    (
        "answer",
        "string",
        "The answer: 1-5 on agreement items, a choice code (see the question's "
        "choices), several codes joined by ';' for a multiple choice.",
        None,
    ),
)
ACTIVITY_FIELDS: tuple[tuple[str, str, str, Sequence[str] | None], ...] = (
    ("activity", "string", "Activity code.", None),
    ("campaign", "string", "Campaign code.", None),
    ("organisation", "string", "Host organisation code.", None),
    ("activity_type", "string", "Type of activity.", [t.value for t in Activity.Type]),
    ("start_date", "date", "First day.", None),
    ("end_date", "date", "Last day.", None),
    ("year", "string", "Year of the first day (the 'year' dimension).", None),
    (
        "duration_band",
        "string",
        "Days from first to last, both counted: 1-7, 8-14, 15-60, 61+.",
        ("1-7", "8-14", "15-60", "61+"),
    ),
    ("country", "string", "Hosting country (ISO 3166-1 alpha-2).", None),
    ("region", "string", "Region of the hosting country.", None),
    ("themes", "string", "Theme codes, ';'-joined: a multi-valued dimension.", None),
    ("networks", "string", "Networks of the host organisation, ';'-joined: multi-valued.", None),
    (
        "volunteers_registered",
        "integer",
        "International plus local volunteers registered: the "
        "expected respondents (response rate = post answers / this).",
        None,
    ),
)


def _raw_rows(rows: Any) -> Iterator[list[tuple[Any, ...]]]:
    """The query's rows as the database gives them, in batches of ``EXPORT_FETCH`` (a
    server-side cursor on PostgreSQL, as ``iterator()`` uses): without Django's per-value
    converters, which cost more than writing the CSV; ``_long_csv`` finishes the two values
    that need it (the JSON answers, and the time's zone on SQLite)."""
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(EXPORT_FETCH):
            yield batch


#: Values orjson decodes exactly as the standard decoder does. Its floats are not among them:
#: it reads an integer beyond 64 bits as a float, where the standard decoder keeps the integer.
_EXACT_TYPES = frozenset({int, str, bool, type(None)})


def _exact(values: Collection[Any]) -> bool:
    kinds = set(map(type, values))
    if list in kinds:  # multiple choices: a list of plain values
        kinds.discard(list)
        for value in values:
            if type(value) is list and not _EXACT_TYPES.issuperset(map(type, value)):
                return False
    return _EXACT_TYPES.issuperset(kinds)


def _decode(text: str) -> Any:
    """Stored JSON answers, as ``json.loads`` gives them: by orjson (under half the standard
    decoder's time, the export's largest cost) when every value it gives is one it decodes
    exactly, else by the standard decoder (floats, nested objects, NaN)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    if type(value) is dict and _exact(value.values()):
        return value
    return json.loads(text)


def _long_csv(
    batches: Iterable[Iterable[tuple[Any, ...]]],
    *,
    rounds: Mapping[int, tuple[str, str, str]],
    left_out: frozenset[str] = frozenset(),
) -> Iterator[bytes]:
    """The CSV of batches of rows ``(respondent id, round id, submitted at, language, answers,
    then answers)`` ordered by respondent; ``rounds`` gives each round's activity code,
    organisation code and kind."""
    # SQLite gives a time without its zone, stored in the connection's (as Django's converter)
    stamps = _Stamps(connection.timezone if settings.USE_TZ else None)
    stamp, utc = stamps.text, stamps.utc
    csv = CsvLines()
    yield ("\ufeff" + csv.line(EXPORT_HEADERS)).encode("utf-8")
    answer_text = _AnswerText(csv, left_out=left_out)
    pieces_of, decoded, members_of = answer_text.stored, answer_text.decoded, answer_text.members
    # ``_AnswerText.stored`` for JSON text, inlined: this loop runs once per response
    code_of: Callable[[str], str | None] = answer_text.member_codes.get
    pick_of = answer_text.picks.get
    piece_of = answer_text.member_bytes.__getitem__
    around: dict[tuple[int, str], tuple[str, str, str]] = {}
    lines: list[bytes] = []  # written as bytes: no chunk is encoded again
    append = lines.append
    count, number, last, key = 0, 0, None, ""
    for batch in batches:
        for respondent_id, round_id, submitted, language, answers, then in batch:
            if respondent_id != last:  # rows come ordered by respondent: numbers follow
                number, last = number + 1, respondent_id
                key = f"R{number:07d},"
            fixed = around.get((round_id, language))
            if fixed is None:
                if len(around) >= EXPORT_MEMO:
                    around.clear()
                language_field = csv.fields([language])
                fixed = around[round_id, language] = (
                    csv.fields(rounds[round_id]),
                    language_field + _ANSWER_PART,
                    language_field + _THEN_PART,
                )
            # "R0000001" and an ISO timestamp never need quoting nor neutralising
            if (  # ``_Stamps.text``, inlined for the usual stored text
                utc
                and type(submitted) is str
                and len(submitted) == 26
                and submitted[10] == " "
                and submitted[19] == "."
                and submitted[20:] != "000000"
            ):
                when = f"{key}{fixed[0]}{submitted[:10]}T{submitted[11:]}+00:00,"
            else:
                when = f"{key}{fixed[0]}{stamp(submitted)},"
            if type(answers) is str and answers[:1] == "{" and answers[-1:] == "}":
                parts = answers[1:-1].split(", ")
                picker = pick_of(tuple(map(code_of, parts))) or members_of(parts)
                pieces = list(map(piece_of, picker(parts))) if picker else _utf8(decoded(answers))
            else:
                pieces = _utf8(pieces_of(answers))
            if pieces:  # each piece's line starts with the same head
                head = (when + fixed[1]).encode()
                append(head)
                append(head.join(pieces))
                count += len(pieces)
            if then and then != "{}":  # the retrospective "then" answers of a post survey
                pieces = _utf8(pieces_of(then))
                if pieces:
                    head = (when + fixed[2]).encode()
                    append(head)
                    append(head.join(pieces))
                    count += len(pieces)
            if count >= EXPORT_CHUNK_LINES:
                yield b"".join(lines)
                lines.clear()
                count = 0
    if lines:
        yield b"".join(lines)


def _utf8(pieces: list[str]) -> list[bytes]:
    return list(map(str.encode, pieces))


class _Stamps:
    """A response's time as ``datetime.isoformat`` writes it, in the zone Django's converter
    gives it. On SQLite the stored text (``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC, as Django
    writes it) is rearranged without parsing it: the export's one time per response."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.utc = zone is UTC

    def text(self, value: Any) -> str:
        if type(value) is str:
            if (
                self.utc
                and len(value) in (19, 26)
                and value[10] == " "
                and value[19:20] in ("", ".")
                and value[19:] != ".000000"  # isoformat leaves out a zero microsecond
            ):
                return f"{value[:10]}T{value[11:]}+00:00"
            value = parse_datetime(value)  # what Django's SQLite converter gives
        if self.zone is not None and value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return str(value.isoformat())


class _AnswerText:
    """The "question,answer\\r\\n" pieces of one response's answers, in question order, free
    text (``*_text``, which may identify people) left out.

    Answers repeat (a five-point item has five), so each (question, answer) piece is formatted
    once and remembered per question, and each set of questions is sorted once; the lookups run
    in C. Only answers of exact type ``int`` or ``str`` are remembered, as ``True == 1 == 1.0``
    must not share a piece; multiple choices are written as their ``;``-joined text."""

    def __init__(self, csv: CsvLines, *, left_out: frozenset[str] = frozenset()) -> None:
        self.csv = csv
        self.left_out = left_out
        #: each set of question codes (in the stored order): the codes kept, sorted, and
        #: the memo of each (so a response's pieces are two lookups per answer, in C)
        self.orders: dict[tuple[str, ...], tuple[list[str], list[dict[Any, str]]]] = {}
        self.known: defaultdict[str, dict[Any, str]] = defaultdict(dict)
        self.remembered = 0
        #: the text of each member read (``"code": answer``): its code, and its piece
        self.member_codes: dict[str, str] = {}
        self.member_pieces: dict[str, str] = {}
        self.member_bytes: dict[str, bytes] = {}  # the same pieces in UTF-8, for the stream
        self.not_members: set[str] = set()
        #: each sequence of codes: picks the members exported, in sorted order
        self.picks: dict[tuple[str | None, ...], Callable[[list[str]], Sequence[str]]] = {}

    def stored(self, raw: Any) -> list[str]:
        """The pieces of answers as the database gives them: JSON text (SQLite), or
        already decoded (PostgreSQL's ``jsonb``).

        JSON text is first read without decoding it (:meth:`members`); what that does not
        read is decoded as follows.

        The usual answers — codes to integers and strings, multiple choices as lists of
        them — are decoded by orjson (exact for these types) and written straight from the
        memo; anything else (floats, repeats, nested objects) takes :meth:`pieces`."""
        if type(raw) is not str:
            return self.pieces(raw or {})
        if raw[:1] == "{" and raw[-1:] == "}":
            parts = raw[1:-1].split(", ")
            code_of: Callable[[str], str | None] = self.member_codes.get
            picker = self.picks.get(tuple(map(code_of, parts))) or self.members(parts)
            if picker:
                return list(map(self.member_pieces.__getitem__, picker(parts)))
        return self.decoded(raw)

    def decoded(self, raw: str) -> list[str]:
        """The pieces of JSON text, decoded."""
        try:
            answers = orjson.loads(raw)
        except orjson.JSONDecodeError:
            answers = None
        if type(answers) is not dict:
            return self.pieces(_decode(raw) or {})
        types = list(map(type, answers.values()))
        kinds = set(types)
        if not kinds <= _REMEMBERED:
            if not kinds <= _LISTED:
                return self.pieces(_decode(raw) or {})
            # the codes whose answer is a list, picked in C (a pre survey has one)
            for code in list(compress(answers, map(is_, types, repeat(list)))):
                value = answers[code]
                if not _EXACT_TYPES.issuperset(map(type, value)):
                    return self.pieces(_decode(raw) or {})  # repeats, floats, lists
                answers[code] = ";".join(map(str, value))
        entry = self.orders.get(tuple(answers))
        if entry is None:
            entry = self._order(answers)
        return self._remembered(entry, answers)

    def members(self, parts: list[str]) -> Callable[[list[str]], Sequence[str]] | None:
        """How to pick and order the members of a JSON object's text split at ``", "``, as
        ``json.dumps`` separates them, or None when they are not all ones :meth:`_member`
        reads (a comma inside a value, an instance of a repeat) or a code comes twice (the
        standard decoder keeps the last): the text is then decoded.

        When every part is on its own a valid member (``{part}`` decodes to one code), the
        whole text is exactly those members in that order (the JSON grammar has one reading),
        so each member's piece, remembered by its text, is the piece of its decoded answer.
        The picker remembered per sequence of codes keeps the codes exported, in sorted
        order."""
        if len(self.member_codes) + len(self.not_members) + len(parts) > EXPORT_MEMO:
            self.member_codes.clear()  # before reading any: the picker's members all stay
            self.member_pieces.clear()
            self.member_bytes.clear()
            self.not_members.clear()
        codes = []
        for part in parts:
            code = self.member_codes.get(part)
            if code is None:
                code = self._member(part)
                if code is None:
                    return None
            codes.append(code)
        if len(set(codes)) != len(codes):
            return None
        if len(self.picks) >= EXPORT_MEMO:
            self.picks.clear()
        kept = sorted(
            (code, at) for at, code in enumerate(codes) if self._kept(code.rsplit("/", 1)[-1])
        )
        at = [at for _, at in kept]
        picker: Callable[[list[str]], Sequence[str]]
        if len(at) > 1:
            picker = itemgetter(*at)
        elif at:
            only = at[0]
            picker = lambda parts: (parts[only],)  # noqa: E731 -- a one-line picker
        else:
            picker = _no_parts
        self.picks[tuple(codes)] = picker
        return picker

    def _member(self, part: str) -> str | None:
        """Reads one member's text (``"code": answer``) with the standard decoder and
        remembers its code and piece; None when it is not one member, or is an instance of a
        repeat (several answers, ``_repeats_expanded``). Any other answer's piece depends on
        itself alone: a list (a multiple choice) is written as its ``;``-joined text."""
        if part in self.not_members:
            return None
        text = "{" + part + "}"
        try:
            member = json.loads(text)
            members = json.loads(text, object_pairs_hook=len)  # a code given twice counts twice
        except ValueError:
            member = members = None
        if type(member) is not dict or members != 1:
            self.not_members.add(part)
            return None
        code: str
        ((code, value),) = member.items()
        if type(value) is list:
            if value and type(value[0]) is dict:
                self.not_members.add(part)
                return None
            value = ";".join(map(str, value))
        self.member_codes[part] = code
        if self._kept(code.rsplit("/", 1)[-1]):  # never picked otherwise
            piece = self.member_pieces[part] = self._piece(code, value)
            self.member_bytes[part] = piece.encode()
        return code

    def pieces(self, answers: dict[str, Any]) -> list[str]:
        kinds = set(map(type, answers.values()))
        if list in kinds:
            answers = _repeats_expanded(answers)
            joined = {c: ";".join(map(str, v)) for c, v in answers.items() if type(v) is list}
            answers = {**answers, **joined}
            kinds = set(map(type, answers.values()))
        entry = self.orders.get(tuple(answers))
        if entry is None:
            entry = self._order(answers)
        if not kinds <= _REMEMBERED:
            return [self._piece(code, answers[code]) for code in entry[0]]
        return self._remembered(entry, answers)

    def _remembered(
        self, entry: tuple[list[str], list[dict[Any, str]]], answers: dict[str, Any]
    ) -> list[str]:
        """The pieces of ``answers`` (integers and strings only), from the memo."""
        order, memos = entry
        found: list[str | None] = list(map(dict.get, memos, map(answers.__getitem__, order)))
        if None in found:
            for at, piece in enumerate(found):
                if piece is None:
                    found[at] = self._remember(order[at], answers[order[at]])
        return found  # type: ignore[return-value] # every None was replaced

    def _order(self, answers: dict[str, Any]) -> tuple[list[str], list[dict[Any, str]]]:
        if len(self.orders) >= EXPORT_MEMO:
            self.orders.clear()
        order = sorted(code for code in answers if self._kept(code.rsplit("/", 1)[-1]))
        entry = self.orders[tuple(answers)] = (order, [self.known[code] for code in order])
        return entry

    def _kept(self, code: str) -> bool:
        return not code.endswith("_text") and code not in self.left_out

    def _remember(self, code: str, value: Any) -> str:
        if self.remembered >= EXPORT_MEMO:
            self.known = defaultdict(dict)
            self.orders.clear()  # they hold the memos let go
            self.remembered = 0
        piece = self.known[code][value] = self._piece(code, value)
        self.remembered += 1
        return piece

    def _piece(self, code: str, value: Any) -> str:
        return self.csv.line([code, value])


def _repeats_expanded(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers with each instance of an XLSForm repeat (``name: [{code: answer}]``) as its own
    answers, named as in ODK's paths: ``name[2]/code`` (the long form of the repeats); the
    question's own answer is the first instance's, the one the figures use."""
    if not any(type(v) is list and v and type(v[0]) is dict for v in answers.values()):
        return answers
    expanded: dict[str, Any] = {}
    for code, value in answers.items():
        if type(value) is list and value and type(value[0]) is dict:
            for number, instance in enumerate(value, 1):
                if type(instance) is dict:
                    for inner, answer in instance.items():
                        expanded[f"{code}[{number}]/{inner}"] = answer
        else:
            expanded[code] = value
    return expanded


def _no_parts(parts: list[str]) -> tuple[str, ...]:
    return ()


_REMEMBERED = {int, str}
_LISTED = {int, str, list}
_ANSWER_PART = PART_ANSWER + ","
_THEN_PART = PART_THEN + ","
