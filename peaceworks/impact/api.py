"""The impact API: frameworks, indicators, instruments, rounds, responses, imports."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from peaceworks.accounts.access import viewer_for
from peaceworks.campaigns.models import Campaign
from peaceworks.campaigns.selectors import Purpose, activity_get_for_user
from peaceworks.core import problems
from peaceworks.core.errors import DomainError, NotFound
from peaceworks.core.models import PendingUpload
from peaceworks.core.pagination import Rows, paginate, updated_since
from peaceworks.core.schemas import Id, Line
from peaceworks.core.uploads import (
    ImportRefused,
    upload_confirm,
    upload_counts,
    upload_errors,
    upload_get_for_user,
    upload_preview,
    upload_store,
)
from peaceworks.impact.analytics import DIMENSIONS, Cell
from peaceworks.impact.figures.export import (
    export_activities_csv,
    export_csv,
    export_descriptor,
    export_org_scope,
)
from peaceworks.impact.figures.selectors import (
    floor_for,
    indicator_cells,
    indicator_snapshot_view,
    parse_by,
    require_aggregate_scope,
)
from peaceworks.impact.models import (
    Indicator,
    Instrument,
    Outcome,
    Question,
    Response,
    ResponseAttachment,
    Round,
)
from peaceworks.impact.qr import public_link
from peaceworks.impact.schemas import (
    RESPONSE_ORDERINGS,
    ROUND_ORDERINGS,
    AttachmentOut,
    FrameworkOut,
    ImportErrorOut,
    ImportOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorValuesOut,
    InstrumentOut,
    QuestionOut,
    ResponseFilter,
    ResponseIn,
    ResponseOut,
    RoundFilter,
    RoundIn,
    RoundOut,
    SubmissionOut,
    TargetOut,
)
from peaceworks.impact.selectors import (
    framework_get_for_user,
    framework_list_visible_to,
    instrument_get_for_user,
    response_list_visible_to,
    round_get_for_user,
    round_get_public,
    round_list_visible_to,
)
from peaceworks.impact.services import (
    indicator_save,
    response_submit,
    round_open,
)
from peaceworks.impact.services.imports import KOBO, RESPONSES, XLSFORM
from peaceworks.impact.services.responses import MAX_TEXT
from peaceworks.impact.xlsform import export_xlsform

router = Router(tags=["impact"])


def _indicator_out(indicator: Indicator) -> IndicatorOut:
    outcome = indicator.outcome
    return IndicatorOut(
        id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        kind=indicator.kind,
        unit=indicator.unit,
        direction=indicator.direction,
        aggregation=indicator.aggregation,
        outcome_code=outcome.code if outcome else None,
        theme_number=outcome.theme.number if outcome and outcome.theme else None,
        source_questions=indicator.source_questions,
        output_key=indicator.output_key,
        baseline=indicator.baseline,
        disaggregations=indicator.disaggregations,
        targets=[TargetOut(period=t.period, value=t.value) for t in indicator.targets.all()],
    )


def _round_out(survey_round: Round) -> RoundOut:
    return RoundOut(
        id=survey_round.pk,
        activity_id=survey_round.activity_id,
        instrument_id=survey_round.instrument_id,
        kind=survey_round.kind,
        opens_at=survey_round.opens_at,
        closes_at=survey_round.closes_at,
        token=survey_round.token,
        uses_retrospective=survey_round.uses_retrospective,
        omitted_questions=survey_round.omitted_questions,
        link=public_link(survey_round),
    )


@router.get("/frameworks", response=list[FrameworkOut])
@paginate
def framework_list(request: HttpRequest) -> list[FrameworkOut]:
    return [
        FrameworkOut(id=f.pk, campaign_id=f.campaign_id, name=f.name, source=f.source)
        for f in framework_list_visible_to(user=request.user)
    ]


@router.get("/frameworks/{framework_id}/indicators", response=list[IndicatorOut])
@paginate
def indicator_list(request: HttpRequest, framework_id: Id) -> list[IndicatorOut]:
    framework = framework_get_for_user(user=request.user, pk=framework_id)
    indicators = framework.indicators.select_related("outcome", "outcome__theme").prefetch_related(
        "targets"
    )
    return [_indicator_out(indicator) for indicator in indicators]


@router.post("/frameworks/{framework_id}/indicators", response={201: IndicatorOut})
def indicator_create(
    request: HttpRequest, framework_id: Id, payload: IndicatorIn
) -> Status[IndicatorOut]:
    framework = framework_get_for_user(user=request.user, pk=framework_id, write=True)
    if payload.kind not in Indicator.Kind.values:
        raise DomainError(_("Unknown indicator kind."), field="kind")
    if payload.aggregation not in Indicator.Aggregation.values:
        raise DomainError(_("Unknown aggregation method."), field="aggregation")
    outcome = None
    if payload.outcome_code:
        outcome = Outcome.objects.filter(framework=framework, code=payload.outcome_code).first()
        if outcome is None:
            raise DomainError(_("This framework has no such outcome."), field="outcome_code")
    indicator = indicator_save(
        actor=request.user,
        framework=framework,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        aggregation=payload.aggregation,
        unit=payload.unit,
        direction=payload.direction,
        outcome=outcome,
        source_questions=payload.source_questions,
        output_key=payload.output_key,
        baseline=payload.baseline,
        disaggregations=payload.disaggregations,
    )
    return Status(201, _indicator_out(indicator))


@router.get("/frameworks/{framework_id}/instruments", response=list[InstrumentOut])
@paginate
def instrument_list(request: HttpRequest, framework_id: Id) -> list[InstrumentOut]:
    framework = framework_get_for_user(user=request.user, pk=framework_id)
    instruments = framework.instruments.prefetch_related("questions__theme")
    return [_instrument_out(instrument) for instrument in instruments]


@router.get("/instruments/{instrument_id}", response=InstrumentOut)
def instrument_detail(request: HttpRequest, instrument_id: Id) -> InstrumentOut:
    return _instrument_out(instrument_get_for_user(user=request.user, pk=instrument_id))


def _instrument_out(instrument: Instrument) -> InstrumentOut:
    return InstrumentOut(
        id=instrument.pk,
        framework_id=instrument.framework_id,
        role=instrument.role,
        version=instrument.version,
        status=instrument.status,
        title=instrument.title,
        consent_version=instrument.consent_version,
        consent_text=instrument.consent_text,
        sensitive_consent_text=instrument.sensitive_consent_text,
        languages=instrument.languages,
        questions=[
            QuestionOut(
                code=q.code,
                order=q.order,
                block=q.block,
                theme_number=q.theme.number if q.theme else None,
                kind=q.kind,
                text=q.text,
                choices=q.choices,
                scale=q.scale,
                is_sensitive=q.is_sensitive,
                in_retrospective=q.in_retrospective,
                relevant=q.relevant,
            )
            for q in instrument.questions.all()
        ],
    )


@router.get("/rounds", response=list[RoundOut])
@paginate
def round_list(request: HttpRequest, filters: Query[RoundFilter]) -> Rows[Round]:
    rounds = round_list_visible_to(user=request.user)
    if filters.activity_id is not None:
        rounds = rounds.filter(activity_id=filters.activity_id)
    if filters.campaign_id is not None:
        rounds = rounds.filter(activity__campaign_id=filters.campaign_id)
    if filters.kind:
        rounds = rounds.filter(kind=filters.kind)
    rounds = updated_since(rounds, filters.updated_since)
    return Rows(ROUND_ORDERINGS.apply(rounds, filters.ordering), _round_out)


@router.post("/activities/{activity_id}/rounds", response={201: RoundOut})
def round_create(request: HttpRequest, activity_id: Id, payload: RoundIn) -> Status[RoundOut]:
    activity = activity_get_for_user(user=request.user, pk=activity_id, purpose=Purpose.WRITE)
    survey_round = round_open(
        actor=request.user,
        activity=activity,
        kind=payload.kind,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        uses_retrospective=payload.uses_retrospective,
        omitted_questions=payload.omitted_questions,
    )
    return Status(201, _round_out(survey_round))


#: bytes of JSON around one answer: the code's quotes, the colon, the value's quotes, the comma,
#: and the line break and indentation of a pretty-printed body
_ANSWER_PUNCTUATION = 16
#: the submission's other fields at their longest, with their names (they take under 400 bytes)
_OTHER_FIELDS = 1024


def _most_keys(field: str) -> int:
    """The schema's cap on the number of answers in ``field`` of ``ResponseIn``."""
    rules = ResponseIn.model_fields[field].metadata  # annotated-types' MaxLen among them
    return next(int(rule.max_length) for rule in rules if hasattr(rule, "max_length"))


def largest_honest_submission() -> int:
    """Bytes of the largest submission a respondent can honestly send, from the schema's limits:
    every one of ``answers``' 1,000 keys (``ResponseIn``) the code of a question (60 characters
    at most, ASCII) answered with the longest answer, a text of ``MAX_TEXT`` (2,000) characters
    of 4 bytes each (UTF-8's longest, as JSON is sent; RFC 8259); ``then_answers``' 1,000 keys
    answered again in the retrospective block, which asks the scales' items again, each a number
    (12 bytes are enough for any, and for "dk"/"na"); then the other fields. About 7.8 MB:
    any body over it is refused before it is parsed (a JSON object's keys cost Python ~400
    bytes each, 24 times their size in the body, whatever the schema's caps refuse after)."""
    code = Question._meta.get_field("code").max_length or 0
    text = 4 * MAX_TEXT
    answers = _most_keys("answers") * (code + text + _ANSWER_PUNCTUATION)
    then_answers = _most_keys("then_answers") * (code + 12 + _ANSWER_PUNCTUATION)
    return answers + then_answers + _OTHER_FIELDS


SUBMISSION_MAX_BYTES = largest_honest_submission()


def _refuse_larger_than_any_submission(
    run: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The operation refuses a declared body over :data:`SUBMISSION_MAX_BYTES` with a 413
    problem before ninja reads or parses any of it (Django reads no more than the declared
    length, so a body sent without one is empty)."""

    @functools.wraps(run)
    def refused_or_run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > SUBMISSION_MAX_BYTES:
            detail = _(
                "The submission is larger than the answers to any survey can be: at most "
                "%(limit)s MB. Please send the answers to one survey at a time."
            ) % {"limit": number_format(round(SUBMISSION_MAX_BYTES / 2**20, 1), 1)}
            return problems.problem_response(413, problems.title_for(413), detail)
        return run(request, *args, **kwargs)

    return refused_or_run


@router.post(
    "/public/rounds/{token}/responses",
    response={200: SubmissionOut, 201: SubmissionOut},
    auth=None,
)
@decorate_view(_refuse_larger_than_any_submission)
def response_create(
    request: HttpRequest, token: Line, payload: ResponseIn
) -> Status[SubmissionOut]:
    """The idempotent submission: 201 stored, 200 identical repeat, 409 conflicting repeat."""
    survey_round = round_get_public(token=token)
    submission = response_submit(
        survey_round=survey_round,
        submission_id=payload.submission_id,
        language=payload.language,
        answers=payload.answers,
        then_answers=payload.then_answers or None,
        matching_code=payload.matching_code,
        consent_version=payload.consent_version,
        sensitive_consent=payload.sensitive_consent,
        source=Response.Source.API,
        quote_consent=payload.quote_consent,
    )
    stored = submission.response
    out = SubmissionOut(
        submission_id=stored.submission_id,
        created=submission.created,
        submitted_at=stored.submitted_at,
    )
    return Status(201 if submission.created else 200, out)


@router.get("/rounds/{round_id}/responses", response=list[ResponseOut])
@paginate
def response_list(
    request: HttpRequest, round_id: Id, filters: Query[ResponseFilter]
) -> Rows[Response]:
    """Pseudonymised responses of a round; withdrawn respondents are left out."""
    survey_round = _raw_answers_round(request, round_id)  # analysts see aggregates only
    responses = (
        response_list_visible_to(user=request.user)
        .filter(round=survey_round)
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=ResponseAttachment.objects.only(
                    "id", "response_id", "name", "content_type", "size"
                ),
            )
        )
    )
    responses = updated_since(
        responses, filters.submitted_since, field="submitted_at", parameter="submitted_since"
    )
    return Rows(RESPONSE_ORDERINGS.apply(responses, filters.ordering), _response_out)


def _response_out(r: Response) -> ResponseOut:
    return ResponseOut(
        submission_id=r.submission_id,
        round_id=r.round_id,
        respondent_id=r.respondent_id,
        instrument_id=r.instrument_version_id,
        language=r.language,
        submitted_at=r.submitted_at,
        answers=r.answers,
        then_answers=r.then_answers,
        sensitive_consent=r.sensitive_consent,
        source=r.source,
        attachments=[
            AttachmentOut(
                id=a.pk,
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                url=reverse("api:attachment_download", args=[a.pk]),
            )
            for a in r.attachments.all()
        ],
    )


def _raw_answers_round(request: HttpRequest, survey_round_id: int) -> Round:
    """The round, for those who may read its raw answers: its organisation's readers and
    network staff; analysts work with aggregates (404), as outsiders."""
    survey_round = round_get_for_user(user=request.user, pk=survey_round_id)
    viewer = viewer_for(request.user)
    if viewer.is_analyst and not viewer.can_write_org(survey_round.activity.host_organisation_id):
        raise NotFound
    return survey_round


@router.get("/attachments/{attachment_id}")
def attachment_download(request: HttpRequest, attachment_id: Id) -> HttpResponse:
    """A file sent with an app submission (a photo, a recording), for those who may read the
    round's raw answers (analysts and outsiders 404; a withdrawn respondent's are deleted).
    Served as a download, never rendered in the page."""
    found = (
        ResponseAttachment.objects.select_related("response")
        .filter(pk=attachment_id, response__respondent__withdrawn_at__isnull=True)
        .first()
    )
    if found is None:
        raise NotFound
    _raw_answers_round(request, found.response.round_id)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in found.name)[:200]
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


#: the API's names for the upload mechanism's kinds and states (kept from before it)
_KIND_NAMES = {RESPONSES: "responses", KOBO: "kobo", XLSFORM: "xlsform"}
_STATUS_NAMES: dict[str, str] = {
    PendingUpload.State.PENDING: "previewed",
    PendingUpload.State.CONFIRMED: "imported",
}


def _import_out(upload: PendingUpload) -> ImportOut:
    """An upload as the API has always shown it: ``summary`` is the preview's counts until
    it is imported, then the counts written (a refused import has no created count)."""
    preview = upload_preview(actor=None, upload=upload)
    errors = upload_errors(upload=upload, preview=preview)
    summary = upload_counts(upload=upload, preview=preview)
    return ImportOut(
        id=upload.pk,
        kind=_KIND_NAMES.get(upload.importer, upload.importer),
        status=_STATUS_NAMES.get(upload.state, upload.state),
        filename=upload.filename,
        round_id=upload.target.get("round"),
        instrument_id=upload.target.get("instrument"),
        errors=[ImportErrorOut(**error) for error in errors],
        summary=summary,
        warnings=[ImportErrorOut(**warning) for warning in preview.as_json()["warnings"]],
    )


@router.post("/rounds/{round_id}/imports", response={201: ImportOut})
def import_create(
    request: HttpRequest,
    round_id: Id,
    kind: Form[Line],
    file: File[UploadedFile],
) -> Status[ImportOut]:
    """Upload responses (``kind=responses``) or a Kobo/ODK export (``kind=kobo``) to preview.

    A file over ``MAX_UPLOAD_MB`` is 413, an unreadable file or one without data rows 400."""
    survey_round = round_get_for_user(user=request.user, pk=round_id, write=True)
    importers = {"responses": RESPONSES, "kobo": KOBO}
    if kind not in importers:
        raise DomainError(_("Choose responses or kobo as the kind of import."), field="kind")
    upload = upload_store(
        actor=request.user,
        importer=importers[kind],
        filename=file.name or "upload.csv",
        data=file.read(),
        target={"round": survey_round.pk},
    )
    return Status(201, _import_out(upload))


@router.post("/instruments/{instrument_id}/imports", response={201: ImportOut})
def instrument_import_create(
    request: HttpRequest, instrument_id: Id, file: File[UploadedFile]
) -> Status[ImportOut]:
    """Upload an XLSForm (``.xlsx``, ``.xlsm`` or ``.xls``) to preview as a new draft version
    of the instrument: ``summary`` counts its questions, ``errors`` are pyxform's refusals with
    their row, ``warnings`` what is kept but not done by the web form. Confirm it with
    ``POST /imports/{id}/confirm``. Over ``MAX_UPLOAD_MB`` 413, not a workbook 400."""
    instrument = instrument_get_for_user(user=request.user, pk=instrument_id, write=True)
    upload = upload_store(
        actor=request.user,
        importer=XLSFORM,
        filename=file.name or "form.xlsx",
        data=file.read(),
        target={"instrument": instrument.pk},
    )
    return Status(201, _import_out(upload))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/instruments/{instrument_id}/xlsform")
def instrument_xlsform_export(request: HttpRequest, instrument_id: Id) -> HttpResponse:
    """The instrument as an XLSForm workbook (``.xlsx``) for KoboToolbox / ODK: an imported
    form is written back as it was read (skip logic, constraints, required, choice filters,
    ``or_other``, groups and repeats), so pyxform accepts it and it re-imports to the same
    questions."""
    instrument = instrument_get_for_user(user=request.user, pk=instrument_id)
    response = HttpResponse(export_xlsform(instrument), content_type=XLSX)
    name = f"peaceworks-{instrument.role}-v{instrument.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/imports/{import_id}", response=ImportOut)
def import_detail(request: HttpRequest, import_id: Id) -> ImportOut:
    return _import_out(upload_get_for_user(user=request.user, pk=import_id, kinds=_KIND_NAMES))


@router.post("/imports/{import_id}/confirm", response=ImportOut)
def import_confirm_endpoint(request: HttpRequest, import_id: Id) -> ImportOut:
    """Write a previewed import once: every row, or none (then ``status`` is ``failed`` with
    the errors). Confirming again is 409; an expired upload is 410."""
    upload = upload_get_for_user(user=request.user, pk=import_id, kinds=_KIND_NAMES, write=True)
    with contextlib.suppress(ImportRefused):
        upload_confirm(actor=request.user, upload=upload)
    upload.refresh_from_db()
    return _import_out(upload)


# Analytics ----------------------------------------------------------------------------------


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@router.get("/indicators", response=list[IndicatorOut])
@paginate
def indicator_index(request: HttpRequest, campaign: Line | None = None) -> list[IndicatorOut]:
    """Every indicator of the frameworks the user may read (optionally one campaign's)."""
    frameworks = framework_list_visible_to(user=request.user)
    if campaign:
        frameworks = frameworks.filter(campaign__code=campaign)
    indicators = (
        Indicator.objects.filter(framework__in=frameworks)
        .select_related("outcome", "outcome__theme")
        .prefetch_related("targets")
        .order_by("framework_id", "order", "code")
    )
    return [_indicator_out(indicator) for indicator in indicators]


@router.get("/indicators/{code}/values", response=IndicatorValuesOut)
def indicator_values(
    request: HttpRequest,
    code: Line,
    by: Line = "",
    campaign: Line | None = None,
    published: bool = False,
) -> IndicatorValuesOut:
    """The indicator per cell of ``by`` (comma-separated dimensions), filtered by any
    ``<dimension>=<label>`` parameter: the slice of one table of the snapshot's protected
    family (``by`` and filters name at most two dimensions, else 400 problem+json)."""
    dimensions = parse_by(by)
    view = indicator_snapshot_view(user=request.user, code=code, campaign_code=campaign)
    viewer = viewer_for(request.user)
    floor = floor_for(viewer, published=published or not viewer.is_network_member)
    # ``campaign=`` chooses the snapshot (one campaign's respondents), it is no filter
    filters = {
        name: request.GET[name]
        for name in DIMENSIONS
        if request.GET.get(name) and name != "campaign"
    }
    require_aggregate_scope(viewer, dimensions, filters)
    cells = indicator_cells(view, indicator=code, by=dimensions, floor=floor, filters=filters)
    return IndicatorValuesOut.model_validate(
        {
            "indicator": code,
            "campaign": view.campaign.code,
            "by": list(dimensions),
            "filters": filters,
            "floor": floor,
            "refreshed_at": view.refreshed_at,
            "cells": [_cell_fields(cell) for cell in cells],
        }
    )


#: a cell's fields as the API gives them (``distribution`` aside: a dataclass of its own)
_CELL_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(Cell)
    if field.name not in ("indicator", "distribution")
)


def _cell_fields(cell: Cell) -> dict[str, Any]:
    """One cell's fields as the API gives them, validated once, as ``IndicatorValuesOut``'s
    ``cells`` (a ``CellOut`` built here would be validated again there, attribute by attribute,
    on every cell of every request for figures; ``dataclasses.asdict`` would copy each field
    deeply)."""
    distribution = cell.distribution
    fields = {name: _finite(getattr(cell, name)) for name in _CELL_FIELDS}
    fields["distribution"] = None if distribution is None else dataclasses.asdict(distribution)
    return fields


def _export_scope(request: HttpRequest, campaign: str | None) -> tuple[Campaign | None, Any]:
    scope = export_org_scope(user=request.user)
    found = None
    if campaign:
        found = Campaign.objects.filter(code=campaign).first()
        if found is None:
            raise NotFound
    return found, scope


def _csv_download(chunks: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/responses/export")
def response_export(request: HttpRequest, campaign: Line | None = None) -> StreamingHttpResponse:
    """Pseudonymised responses as CSV, streamed: network staff get every organisation's,
    organisation members their own activities'; analysts work with aggregates only. Every
    answer the figures use, the retrospective "then" answers included (``part``); the data
    dictionary is ``/responses/export/datapackage``."""
    found, scope = _export_scope(request, campaign)
    return _csv_download(export_csv(campaign=found, org_ids=scope), "responses.csv")


@router.get("/responses/export/activities")
def response_export_activities(
    request: HttpRequest, campaign: Line | None = None
) -> StreamingHttpResponse:
    """The activities of the export (same scope): the dimensions the figures group by."""
    found, scope = _export_scope(request, campaign)
    return _csv_download(export_activities_csv(campaign=found, org_ids=scope), "activities.csv")


@router.get("/responses/export/datapackage", response=dict[str, Any])
def response_export_datapackage(request: HttpRequest, campaign: Line | None = None) -> Any:
    """The export's data dictionary (a Frictionless tabular data package): fields, types,
    descriptions, the questions' codes and labels, the respondent key, what "then" means."""
    found, scope = _export_scope(request, campaign)
    query = f"?{urlencode({'campaign': campaign})}" if campaign else ""
    urls = {
        "responses": request.build_absolute_uri(reverse("api:response_export") + query),
        "activities": request.build_absolute_uri(reverse("api:response_export_activities") + query),
        "statistics": request.build_absolute_uri(reverse("impact:statistics")),
    }
    return export_descriptor(campaign=found, org_ids=scope, urls=urls)
